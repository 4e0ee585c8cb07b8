// The two endpoints an operator's tools read on every node: GET /health (load balancers, uptime checks; public)
// and GET /metrics (Prometheus; not public by default, see --metrics). Both run the dependency probes: the
// database always, the object store when files are in a bucket, Redis once it is configured. Each probe has a
// short deadline, so a hung dependency makes /health answer 503 quickly instead of hanging with it.
import { type DocumentDecoration, Elysia } from 'elysia';
import type { Config } from '../config.ts';
import type { BridgeHealthSource } from '../integrations/discord-bridge/bridge-health.ts';
import { healthReport } from '../integrations/discord-bridge/bridge-health.ts';
import { ErrorBody } from './api-document/error-responses.ts';
import { clientAddress } from './client-address.ts';
import { jsonResponse } from './error-response.ts';
import { inRange, LOOPBACK_RANGES, parseIp } from './ip-range.ts';
import type { NodeMetrics, ProbeReading } from './metrics.ts';

/** A dependency check: resolves when the dependency answered, throws (or rejects) when it did not. */
export type Probe = () => unknown;

/** How long a probe may take before its dependency counts as down. */
export const PROBE_DEADLINE_MS = 2000;

export type OpsDeps = {
  config: Pick<Config, 'metrics'>;
  node: string;
  version: string;
  /** By dependency name: `database`, and `s3` / `redis` when configured. */
  probes: Record<string, Probe>;
  metrics: NodeMetrics;
  bridge: () => BridgeHealthSource | null;
};

/** Runs every probe at once, each within PROBE_DEADLINE_MS, and records their latency. */
export async function runProbes(probes: Record<string, Probe>, metrics: NodeMetrics): Promise<Record<string, ProbeReading>> {
  const entries = await Promise.all(
    Object.entries(probes).map(async ([name, probe]): Promise<[string, ProbeReading]> => {
      const started = performance.now();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), PROBE_DEADLINE_MS);
      });
      let status: ProbeReading['status'];
      try {
        status = (await Promise.race([Promise.resolve().then(probe), deadline])) === 'late' ? 'down' : 'ok';
      } catch {
        status = 'down';
      } finally {
        clearTimeout(timer);
      }
      const reading = { status, latencySeconds: (performance.now() - started) / 1000 };
      metrics.probed(name, reading);
      return [name, reading];
    }),
  );
  return Object.fromEntries(entries);
}

type Responses = NonNullable<DocumentDecoration['responses']>;

/** The answers of /health and /metrics that are not 200, for the OpenAPI document (api-document). */
const HEALTH_DOWN: Responses = {
  503: {
    description: 'A dependency did not answer its probe within 2 s: `status` is `unavailable` and `down` names it.',
    content: {
      'application/json': {
        schema: {
          type: 'object',
          required: ['status', 'down'],
          properties: { status: { type: 'string', enum: ['unavailable'] }, down: { type: 'array', items: { type: 'string' } } },
        },
      },
    },
  },
};
const METRICS_REFUSED: Responses = {
  403: { description: 'With --metrics local: the caller is not on loopback, or came through a proxy.', content: { 'application/json': { schema: ErrorBody } } },
  404: { description: 'With --metrics off.', content: { 'application/json': { schema: ErrorBody } } },
};

export function opsRoutes({ config, node, version, probes, metrics, bridge }: OpsDeps) {
  return new Elysia({ name: 'ops' })
    .get(
      '/health',
      async () => {
        const readings = await runProbes(probes, metrics);
        const checks = Object.fromEntries(
          Object.entries(readings).map(([name, r]) => [name, { status: r.status, latency_ms: Math.round(r.latencySeconds * 1e6) / 1e3 }]),
        );
        const down = Object.keys(readings).filter((name) => readings[name]?.status === 'down');
        const report = healthReport(version, bridge());
        if (down.length > 0) return jsonResponse(503, { ...report, status: 'unavailable', node, checks, down });
        return jsonResponse(200, { ...report, node, checks });
      },
      {
        detail: {
          tags: ['Instance'],
          summary: "Liveness and version, with this node's name and the reachability (and latency) of the database, object store and Redis",
          description:
            '200 while every dependency answers its probe (`status` is `degraded` while a configured Discord bridge is not live); 503 with `status: "unavailable"` and `down` naming the dependencies that did not answer within 2 s.',
          responses: HEALTH_DOWN,
        },
      },
    )
    .get(
      '/metrics',
      async ({ request }) => {
        if (config.metrics === 'off') return jsonResponse(404, { code: 0, message: '404: Not Found' });
        if (config.metrics === 'local' && !isLocalCaller(request)) {
          return jsonResponse(403, { code: 0, message: 'Metrics are served only to loopback callers not coming through a proxy (see --metrics)' });
        }
        const text = metrics.render(await runProbes(probes, metrics));
        return new Response(text, { headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' } });
      },
      {
        detail: {
          tags: ['Instance'],
          summary: "This node's Prometheus metrics (text format 0.0.4)",
          description:
            'Sessions by dialect, events dispatched, fan-out lag, HTTP requests by route class and status, dependency probe latency, memory. With `--metrics local` (the default) only a loopback caller whose request carries no X-Forwarded-For/Forwarded header is served (403 otherwise); `open` serves anyone, `off` nobody (404).',
          responses: METRICS_REFUSED,
        },
      },
    );
}

/** A caller on this machine that did not come through a proxy (a proxied request names its client in a header). */
function isLocalCaller(request: Request): boolean {
  if (request.headers.has('x-forwarded-for') || request.headers.has('forwarded')) return false;
  const address = parseIp(clientAddress(request));
  return address !== null && LOOPBACK_RANGES.some((range) => inRange(address, range));
}
