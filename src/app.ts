// Composition root: createApp({ db, config, clock }) builds everything and never listens on
// its own; main.ts passes the real things, tests pass temp files and a fake clock.
import { Database } from 'bun:sqlite';
import type { Server, SQL } from 'bun';
import { Elysia } from 'elysia';
import type { Cluster } from './cluster/cluster.ts';
import { type Config, nodeId } from './config.ts';
import { createCore } from './core.ts';
import { cdnRoutes } from './dialects/cdn/index.ts';
import { DISCORD_FILE_ROUTES, discordApi, discordBodyIntegers } from './dialects/discord/index.ts';
import { apiErrorHandler, HARMONY_FILE_ROUTES, harmonyApi } from './dialects/harmony/index.ts';
import { discordBridgeRoutes } from './dialects/harmony/routes/discord-bridge-routes.ts';
import { presenceSettingsApi } from './dialects/harmony/routes/presence-routes.ts';
import { lanyardApi } from './dialects/lanyard/index.ts';
import { presenceFastRoutes } from './dialects/presence/fast-routes.ts';
import { presenceApi } from './dialects/presence/index.ts';
import { tokenRevealPages } from './dialects/presence/token-reveal-routes.ts';
import type { Clock } from './domain/clock.ts';
import { attachmentRoutes } from './files/attachment-routes.ts';
import { apiDocument, recordingLevels } from './http/api-document/index.ts';
import { unauthorized } from './http/api-error.ts';
import { MAX_BODY_BYTES, SERVER_BODY_LIMIT, withBodyLimit } from './http/body-limit.ts';
import { originRecorder, rememberOrigin } from './http/client-address.ts';
import { ConnectionCap } from './http/connection-cap.ts';
import { jsonResponse, withExactJsonType } from './http/error-response.ts';
import { guardPlugin, tokenFrom } from './http/guard.ts';
import { requestBodyParser } from './http/json-body.ts';
import { NodeMetrics } from './http/metrics.ts';
import { opsRoutes, type Probe } from './http/ops-routes.ts';
import { RateLimiter } from './http/rate-limit.ts';
import { missingHost, ROUTING_ORIGIN, requestTarget, requireHost } from './http/request-target.ts';
import { countRoutes, decorateRoutes, type ResponseDecorator, responseHeaders } from './http/response-headers.ts';
import { type SocketData, type SocketEndpoint, servesPath } from './http/socket-endpoint.ts';
import { type FileRoute, uploadBodyLimit, uploadPolicy } from './http/uploads.ts';
import { DiscordBridgeControl } from './integrations/discord-bridge/bridge-launcher.ts';
import { PresenceStateStore as PostgresPresenceState } from './store/postgres/presence-state-store.ts';
import { PresenceStateStore } from './store/sqlite/presence-state-store.ts';
import { VERSION } from './version.ts';
import { apiReferenceRoutes } from './web/api-reference/serve.ts';
import { webRoutes } from './web/serve.ts';

/** `cluster`: this node's share of a multi-node instance (cluster/cluster.ts, from --redis-url); absent for one node. */
/** `db`: the SQLite database, or a migrated PostgreSQL pool (serve --database-url). */
export type AppDeps = { db: Database | SQL; config: Config; clock: Clock; cluster?: Cluster };

export async function createApp({ db, config, clock, cluster }: AppDeps) {
  const core = await createCore({
    db,
    config,
    clock,
    ...(cluster ? { hub: cluster.hub, workerId: () => cluster.lease.current() } : {}),
    // Each commit writes its events to the outbox inside its own transaction; on PostgreSQL no write is taken while
    // the event log is unreachable.
    ...(cluster ? { outbox: { outbox: cluster.outbox, relay: cluster.relay, gate: () => cluster.assertLogReachable() } } : {}),
  });
  // Last seen, custom statuses and mirrored presences as the previous process left them (restart-state.ts). The
  // table holds one process's records: nodes of a cluster on PostgreSQL would overwrite each other's, so they keep
  // none across restarts (live presence comes back with the sessions).
  const presenceRecords = db instanceof Database ? new PresenceStateStore(db) : cluster ? null : new PostgresPresenceState(db);
  core.services.presence.restore((await presenceRecords?.load()) ?? []);
  // In a cluster every node sees each message: one of them (whoever takes its lock first) answers a command.
  if (cluster) core.services.systemBot.answerOnce(async (messageId) => (await cluster.locks.tryAcquire(`system-bot:${messageId}`, 10 * 60_000)) !== null);
  const limiter = new RateLimiter(clock, { enabled: config.rateLimits });
  limiter.shared = cluster?.limiter ?? null;
  const deps = { core, limiter, guard: recordingLevels(guardPlugin(core, limiter)) };
  const sockets: SocketEndpoint[] = [];
  // Runs from listen() to stop() when a Discord bot token is configured (or an admin sets one).
  const bridges = new DiscordBridgeControl(config, core);
  // What /health and /metrics report about this node (ops-routes.ts); the gateway reports each event it has handed
  // to the sockets (fan-out lag, gateways.ts), a hub listener counts events (in listen).
  const node = nodeId(config);
  const metrics = new NodeMetrics(node, VERSION, prefixOf(config));
  // A query that reads a page of the database file (SELECT 1 alone would not touch it).
  const probes: Record<string, Probe> = {
    database: db instanceof Database ? () => db.query('SELECT id FROM schema_migrations LIMIT 1').get() : () => db`SELECT id FROM schema_migrations LIMIT 1`,
  };
  if (core.files.probe) probes.s3 = () => core.files.probe?.();
  if (cluster) probes.redis = () => cluster.redis.send('PING', []);
  const uploads = uploadPolicy([...DISCORD_FILE_ROUTES, ...HARMONY_FILE_ROUTES], {
    maxFileBytes: config.maxAttachmentBytes,
    maxFiles: config.maxAttachments,
  });

  // normalize: false makes `additionalProperties: false` reject unknown fields instead of dropping them.
  const app = new Elysia({ normalize: false })
    .use(
      apiDocument({
        documentation: {
          info: {
            title: 'Harmony API',
            version: VERSION,
            description: 'Self-hosted chat platform and presence API. Bots: Authorization: Bot <token>. People: Authorization: Bearer <session token>.',
          },
          components: {
            securitySchemes: {
              bot: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Bot <token>' },
              bearer: { type: 'http', scheme: 'bearer', description: 'A session token from /api/v1/auth/login' },
              presenceToken: {
                type: 'apiKey',
                in: 'header',
                name: 'Authorization',
                description: 'A presence API token (from the .token command): raw, or Bearer <token>',
              },
            },
          },
        },
        fileRoutes: [...DISCORD_FILE_ROUTES, ...HARMONY_FILE_ROUTES],
        limits: { maxFileBytes: config.maxAttachmentBytes, maxFiles: config.maxAttachments },
      }),
    )
    .use(opsRoutes({ config, node, version: VERSION, probes, metrics, bridge: () => bridges.current }))
    // The presence faces come before the bot dialects, whose scoped error handlers would answer for them too.
    .use(presenceApi(deps))
    .use(lanyardApi(deps))
    .use(tokenRevealPages(deps))
    .use(attachmentRoutes(core))
    // Uploaded images at Discord's CDN paths (the server root), public and read-only: GET and HEAD, no body.
    .use(cdnRoutes(core))
    // Every route from here on reads its body through this one parser (size and nesting limits, before any schema
    // work); the presence faces above read raw bodies themselves (`parse: 'none'`) and check JSON the same way.
    .onParse(requestBodyParser(discordBodyIntegers, uploads))
    .use(presenceSettingsApi(deps))
    .use(discordApi(deps))
    .use(discordBridgeRoutes(deps, bridges))
    .use(harmonyApi(deps))
    .onError(({ code, error }) => apiErrorHandler(code, error));

  const prefix = prefixOf(config);

  /** Strips the public path prefix when a proxy forwards it unchanged. */
  const localPath = (url: URL): string => (prefix && url.pathname.startsWith(`${prefix}/`) ? url.pathname.slice(prefix.length) : url.pathname);

  const recordOrigin = originRecorder(config);
  const connections = new ConnectionCap(config.maxConnectionsPerAddress, config.rateLimits);

  const headers = responseHeaders(config);
  // Every answer, from `fetch` or Bun's native routes, is counted for /metrics on its way out.
  const decorate: ResponseDecorator = (response, request) => {
    if (request) metrics.request(request.url, response.status);
    return headers(response);
  };

  /** The decoration of one of Bun's native routes: its metrics class is worked out once, from its path. */
  const decorateRoute = (path: string): ResponseDecorator => {
    const count = metrics.routeCounter(path);
    return (response, request) => {
      if (request) count(request, response.status);
      return headers(response);
    };
  };

  async function fetch(request: Request, server: Server<SocketData>): Promise<Response | undefined> {
    const response = await answer(request, server);
    if (!response) metrics.request(request.url, 101);
    return response && decorate(response, request);
  }

  // The public presence reads on Bun's native router; whatever they do not answer themselves goes through `answer`.
  // They decorate their answers themselves (a ready answer's headers carry the decoration already): only counted here.
  const fastRoutes = () =>
    countRoutes(
      requireHost(
        presenceFastRoutes(deps, (request, server) => answer(request, server as Server<SocketData>), headers),
        () => headers(missingHost()),
      ),
      (path) => metrics.routeCounter(path),
    );

  async function answer(request: Request, server: Server<SocketData>): Promise<Response | undefined> {
    const url = requestTarget(request);
    if (!url) return missingHost();
    const path = localPath(url);
    const origin = recordOrigin(request, server);
    const endpoint = sockets.find((s) => servesPath(s, path));
    if (endpoint && request.headers.get('upgrade')?.toLowerCase() === 'websocket') {
      if (!connections.take(origin.client)) {
        return jsonResponse(429, { code: 0, message: `Too many open connections from this address (${connections.limit} at most)` });
      }
      const accepted = endpoint.upgrade(request, url);
      if (!(accepted instanceof Response)) {
        // The slot is given back when the socket closes (websocket.close below).
        accepted.clientAddress = origin.client;
        if (server.upgrade(request, { data: accepted })) return undefined;
      }
      connections.release(origin.client);
      return accepted instanceof Response ? accepted : jsonResponse(400, { code: 0, message: 'WebSocket upgrade failed' });
    }
    const limit = await bodyLimitFor(request, path);
    if (limit instanceof Response) return limit;
    const limited = await withBodyLimit(request, limit);
    if (limited instanceof Response) return limited;
    // Elysia routes a URL rebuilt from the parsed path, never the client's URL string (see ROUTING_ORIGIN).
    // The body goes across as bytes: handing over the request itself would turn Bun's native body into a JS
    // stream that the parser then reads chunk by chunk (about a tenth of a message send's CPU).
    const body = limited.body === null ? null : await limited.arrayBuffer();
    const routed = new Request(ROUTING_ORIGIN + path + url.search, { method: limited.method, headers: limited.headers, body });
    rememberOrigin(routed, origin);
    return withExactJsonType(await app.handle(routed));
  }

  /**
   * 1 MiB, or room for every file a message may carry on a route that takes them. A body that may be larger than
   * 1 MiB is read only for a caller whose token is valid: nobody else can make the server hold hundreds of MiB.
   */
  async function bodyLimitFor(request: Request, path: string): Promise<number | Response> {
    const multipart = (request.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data');
    const route = multipart ? uploads.route(request.method, path) : null;
    if (!route) return MAX_BODY_BYTES;
    const declared = request.headers.get('content-length');
    if (declared !== null && Number(declared) <= MAX_BODY_BYTES) return MAX_BODY_BYTES;
    if (!(await mayUpload(request, path, route))) return jsonResponse(401, unauthorized().toJSON());
    return uploadBodyLimit(uploads.limits);
  }

  /**
   * A valid token: the one in the path on a webhook route (a webhook's, or an interaction's for its follow-ups) and
   * on an interaction's callback route, a caller's (Authorization) elsewhere.
   */
  async function mayUpload(request: Request, path: string, route: FileRoute): Promise<boolean> {
    if (!route.webhook && !route.interaction) return (await core.services.users.authenticate(tokenFrom(request.headers.get('authorization')) ?? '')) !== null;
    const [, id = '', encoded = ''] = route.path.exec(path) ?? [];
    try {
      const token = decodeURIComponent(encoded);
      if (route.interaction) return await core.services.interactions.holdsToken(id, token);
      if (await core.services.interactions.byToken(id, token)) return true;
      await core.services.webhooks.withToken(id, token);
      return true;
    } catch {
      return false;
    }
  }

  const endpointOf = (ws: { data: SocketData }) => sockets.find((s) => s.path === ws.data.endpoint);

  let server: Server<SocketData> | null = null;
  let stopping: Promise<void> | null = null;
  // Expired sessions are also refused when used; the sweep closes the gateway connections they still hold open.
  let sessionSweep: ReturnType<typeof setInterval> | null = null;
  let stopFanoutTimer: (() => void) | null = null;
  let bridgeLock: { stop: () => Promise<void> } | null = null;

  return {
    app,
    core,
    limiter,
    deps,
    /** This node's share of a cluster (absent on one node). */
    cluster,
    /** What /metrics reports (the gateway feeds its fan-out lag). */
    metrics,
    /** The Discord bridge now running (null while none is configured). */
    get discordBridge() {
      return bridges.current;
    },
    /** Adds a WebSocket endpoint (gateways, sockets); call before listen(). */
    addSocket(endpoint: SocketEndpoint) {
      sockets.push(endpoint);
    },
    listen(options: { port?: number; hostname?: string } = {}) {
      server = Bun.serve<SocketData>({
        port: options.port ?? config.port,
        hostname: options.hostname ?? config.host,
        maxRequestBodySize: SERVER_BODY_LIMIT,
        // The web app's and the API reference's pages and assets, and the public presence read on Bun's
        // native router; every other path (API, gateways, /docs/json) reaches `fetch`.
        routes: { ...decorateRoutes(requireHost({ ...webRoutes(config), ...apiReferenceRoutes(config) }), decorateRoute), ...fastRoutes() },
        fetch,
        websocket: {
          maxPayloadLength: 64 * 1024,
          backpressureLimit: 1024 * 1024,
          closeOnBackpressureLimit: true,
          idleTimeout: 0,
          sendPings: true,
          open: (ws) => {
            metrics.socketOpened(ws.data.endpoint);
            endpointOf(ws)?.open(ws);
          },
          message: (ws, message) => endpointOf(ws)?.message(ws, message),
          close: (ws, code, reason) => {
            if (typeof ws.data.clientAddress === 'string') connections.release(ws.data.clientAddress);
            metrics.socketClosed(ws.data.endpoint);
            endpointOf(ws)?.close(ws, code, reason);
          },
          drain: (ws) => endpointOf(ws)?.drain?.(ws),
        },
        error(error) {
          console.error('server error:', error.message);
          return headers(jsonResponse(500, { code: 0, message: 'Internal Server Error' }));
        },
      });
      for (const s of sockets) s.attach?.(server);
      stopFanoutTimer = core.hub.subscribe(() => metrics.dispatched());
      sessionSweep = setInterval(() => {
        core.services.sessions.sweep().catch((error: unknown) => console.error('could not sweep expired sessions:', error));
      }, SESSION_SWEEP_MS);
      // In a cluster one node at a time runs the Discord bridge: whichever holds its lock.
      if (cluster)
        bridgeLock = cluster.singleton(
          'discord-bridge',
          () => bridges.start(),
          () => void bridges.stop(),
        );
      else bridges.start();
      core.services.threads.startSweeping();
      const url = listenOrigin(server.hostname ?? '127.0.0.1', server.port as number);
      core.services.systemBot.listeningAt(url);
      core.attachmentLinks.listeningAt(url);
      cluster?.listening(url);
      return { port: server.port as number, url };
    },
    /** Stops accepting, lets in-flight requests finish, tells socket clients to reconnect, closes the database.
     *  A second call waits for the first rather than saving presence into a closed database. */
    stop(): Promise<void> {
      stopping ??= (async () => {
        for (const s of sockets) s.shutdown?.();
        if (sessionSweep) clearInterval(sessionSweep);
        stopFanoutTimer?.();
        await bridgeLock?.stop();
        await bridges.stop();
        try {
          await presenceRecords?.save(core.services.presence.records());
        } catch (error) {
          console.error('could not save presence (last seen, custom statuses) for the next start:', error);
        }
        // Last-seen writes still queued finish before the directory stops and the database closes.
        await core.services.presenceDirectory.idle();
        core.services.systemBot.stop();
        core.services.interactions.stop();
        core.services.presenceDirectory.stop();
        core.services.threads.stop();
        await core.searchIndexer.stop();
        await server?.stop(false);
        server = null;
        await cluster?.stop();
        // On PostgreSQL this closes the pool.
        await core.uow.close();
        if (db instanceof Database) db.close(false);
      })();
      return stopping;
    },
  };
}

export type Harmony = Awaited<ReturnType<typeof createApp>>;

const SESSION_SWEEP_MS = 10 * 60 * 1000;

/** The path prefix of the public URL ('' without one), which a proxy may forward unchanged. */
function prefixOf(config: Config): string {
  return config.publicUrl ? new URL(config.publicUrl).pathname.replace(/\/+$/, '') : '';
}

/** `http://host:port` for the address the server is bound to; a wildcard address is reached on loopback. */
function listenOrigin(hostname: string, port: number): string {
  const host = hostname === '0.0.0.0' ? '127.0.0.1' : hostname === '::' ? '::1' : hostname;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
