// Composition root: createApp({ db, config, clock }) builds everything and never listens on
// its own; main.ts passes the real things, tests pass temp files and a fake clock.
import type { Database } from 'bun:sqlite';
import type { Server } from 'bun';
import { openapi } from '@elysiajs/openapi';
import { Elysia } from 'elysia';
import type { Config } from './config.ts';
import { createCore } from './core.ts';
import type { Clock } from './domain/clock.ts';
import { discordApi } from './dialects/discord/index.ts';
import { apiErrorHandler, harmonyApi } from './dialects/harmony/index.ts';
import { presenceSettingsApi } from './dialects/harmony/routes/presence-routes.ts';
import { lanyardApi } from './dialects/lanyard/index.ts';
import { presenceApi, presenceFastRoutes } from './dialects/presence/index.ts';
import { SERVER_BODY_LIMIT, withBodyLimit } from './http/body-limit.ts';
import { rememberAddress } from './http/client-address.ts';
import { jsonResponse } from './http/error-response.ts';
import { missingHost, requestTarget, requireHost, ROUTING_ORIGIN } from './http/request-target.ts';
import { guardPlugin } from './http/guard.ts';
import { parseRequestBody } from './http/json-body.ts';
import { RateLimiter } from './http/rate-limit.ts';
import type { SocketData, SocketEndpoint } from './http/socket-endpoint.ts';
import { healthReport } from './integrations/discord-bridge/bridge-health.ts';
import { discordBridgeFor } from './integrations/discord-bridge/bridge-launcher.ts';
import { VERSION } from './version.ts';
import { webRoutes } from './web/serve.ts';

export type AppDeps = { db: Database; config: Config; clock: Clock };

export function createApp({ db, config, clock }: AppDeps) {
  const core = createCore({ db, config, clock });
  const limiter = new RateLimiter(clock, { enabled: config.rateLimits });
  const deps = { core, limiter, guard: guardPlugin(core, limiter) };
  const sockets: SocketEndpoint[] = [];
  // Runs from listen() to stop() when a Discord bot token is configured.
  const discordBridge = discordBridgeFor(config, core);

  // normalize: false makes `additionalProperties: false` reject unknown fields instead of dropping them.
  const app = new Elysia({ normalize: false })
    .use(
      openapi({
        path: '/docs',
        specPath: '/docs/json',
        // Routes with a dot are left out by default (taken for static files); /user/:id/card.svg is an API route.
        exclude: { staticFile: false },
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
      }),
    )
    .get('/health', () => healthReport(VERSION, discordBridge), {
      detail: {
        tags: ['Instance'],
        summary: 'Liveness and version',
        description: 'With the Discord bridge on, `bridge` says whether it is live; `status` is `degraded` while it is not.',
      },
    })
    // The presence faces come before the bot dialects, whose scoped error handlers would answer for them too.
    .use(presenceApi(deps))
    .use(lanyardApi(deps))
    // Every route from here on reads its body through this one parser (size and nesting limits, before any schema
    // work); the presence faces above read raw bodies themselves (`parse: 'none'`) and check JSON the same way.
    .onParse(parseRequestBody)
    .use(presenceSettingsApi(deps))
    .use(discordApi(deps))
    .use(harmonyApi(deps))
    .onError(({ code, error }) => apiErrorHandler(code, error));

  const prefix = config.publicUrl ? new URL(config.publicUrl).pathname.replace(/\/+$/, '') : '';

  /** Strips the public path prefix when a proxy forwards it unchanged. */
  const localPath = (url: URL): string => (prefix && url.pathname.startsWith(`${prefix}/`) ? url.pathname.slice(prefix.length) : url.pathname);

  async function fetch(request: Request, server: Server<SocketData>): Promise<Response | undefined> {
    const url = requestTarget(request);
    if (!url) return missingHost();
    const path = localPath(url);
    const endpoint = sockets.find((s) => s.path === path);
    if (endpoint && request.headers.get('upgrade')?.toLowerCase() === 'websocket') {
      const accepted = endpoint.upgrade(request, url);
      if (accepted instanceof Response) return accepted;
      return server.upgrade(request, { data: accepted }) ? undefined : jsonResponse(400, { code: 0, message: 'WebSocket upgrade failed' });
    }
    const limited = await withBodyLimit(request);
    if (limited instanceof Response) return limited;
    // Elysia routes a URL rebuilt from the parsed path, never the client's URL string (see ROUTING_ORIGIN).
    const routed = new Request(ROUTING_ORIGIN + path + url.search, limited);
    rememberAddress(routed, server.requestIP(request)?.address);
    return app.handle(routed);
  }

  const endpointOf = (ws: { data: SocketData }) => sockets.find((s) => s.path === ws.data.endpoint);

  let server: Server<SocketData> | null = null;

  return {
    app,
    core,
    limiter,
    deps,
    discordBridge,
    /** Adds a WebSocket endpoint (gateways, sockets); call before listen(). */
    addSocket(endpoint: SocketEndpoint) {
      sockets.push(endpoint);
    },
    listen(options: { port?: number; hostname?: string } = {}) {
      server = Bun.serve<SocketData>({
        port: options.port ?? config.port,
        hostname: options.hostname ?? config.host,
        maxRequestBodySize: SERVER_BODY_LIMIT,
        // The web app's pages and assets, and the public presence read on Bun's native router; every other
        // path (API, gateways, docs) reaches `fetch`.
        routes: requireHost({ ...webRoutes(config), ...presenceFastRoutes(deps) }),
        fetch,
        websocket: {
          maxPayloadLength: 64 * 1024,
          backpressureLimit: 1024 * 1024,
          closeOnBackpressureLimit: true,
          idleTimeout: 0,
          sendPings: true,
          open: (ws) => endpointOf(ws)?.open(ws),
          message: (ws, message) => endpointOf(ws)?.message(ws, message),
          close: (ws, code, reason) => endpointOf(ws)?.close(ws, code, reason),
          drain: (ws) => endpointOf(ws)?.drain?.(ws),
        },
        error(error) {
          console.error('server error:', error.message);
          return jsonResponse(500, { code: 0, message: 'Internal Server Error' });
        },
      });
      for (const s of sockets) s.attach?.(server);
      discordBridge?.start();
      return { port: server.port as number, url: `http://${server.hostname === '0.0.0.0' ? '127.0.0.1' : server.hostname}:${server.port}` };
    },
    /** Stops accepting, lets in-flight requests finish, tells socket clients to reconnect, closes the database. */
    async stop() {
      for (const s of sockets) s.shutdown?.();
      await discordBridge?.stop();
      core.services.systemBot.stop();
      core.services.presenceDirectory.stop();
      await server?.stop(false);
      server = null;
      db.close(false);
    },
  };
}

export type Harmony = ReturnType<typeof createApp>;
