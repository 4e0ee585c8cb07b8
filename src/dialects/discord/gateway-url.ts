// Where discord.js should open its gateway socket: GET /gateway(/bot) hands this URL out, and the client
// appends `?v=10&encoding=json` itself, so the URL never carries a query string.
import { networkInterfaces } from 'node:os';
import type { Config } from '../../config.ts';
import { requestOrigin } from '../../http/client-address.ts';
import { canonicalIp, inRange, LOOPBACK_RANGES, parseIp } from '../../http/ip-range.ts';

/** The discord dialect's WebSocket endpoint, relative to the server root (and to publicUrl's path). */
export const DISCORD_GATEWAY_PATH = '/gateway/discord';

type Listening = { hostname: string; port: number };

/** The gateway URL for a request the server received (its listening address was recorded before routing). */
export function discordGatewayUrl(config: Pick<Config, 'publicUrl' | 'host' | 'port'>, request: Request): string {
  const listening = requestOrigin(request)?.listening ?? { hostname: config.host, port: config.port };
  return gatewayUrlFor(config, request.headers.get('host'), listening, machineAddresses);
}

/**
 * `ws(s)://<public host>[/<public path>]/gateway/discord` from config.publicUrl when set (a proxy in front decides
 * the public origin). Otherwise `ws://` and the address this server listens on: the Host header only when it names
 * this machine (localhost, loopback, or one of `local` — its interface addresses) on the listening port, because
 * anything else a client sends there (or in X-Forwarded-Proto) would point whoever reads the answer elsewhere.
 */
export function gatewayUrlFor(config: Pick<Config, 'publicUrl'>, host: string | null, listening: Listening, local: () => ReadonlySet<string>): string {
  if (config.publicUrl) {
    const url = new URL(config.publicUrl);
    const scheme = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${url.host}${url.pathname.replace(/\/+$/, '')}${DISCORD_GATEWAY_PATH}`;
  }
  const named = host === null ? null : namesThisServer(host, listening.port, local);
  return `ws://${named ?? listeningHost(listening)}${DISCORD_GATEWAY_PATH}`;
}

/** `host` as given when it is `name[:port]` naming this machine on `port`, else null. */
function namesThisServer(host: string, port: number, local: () => ReadonlySet<string>): string | null {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(host);
  if (!match) return null;
  const name = (match[1] as string).replace(/^\[(.*)\]$/, '$1');
  if (Number(match[2] ?? 80) !== port) return null;
  if (name.toLowerCase() === 'localhost') return host;
  const bytes = parseIp(name);
  if (bytes === null) return null;
  const canonical = canonicalIp(name) as string;
  // The interfaces are listed only for an address that is not loopback: listing them costs system calls, at every connect.
  return LOOPBACK_RANGES.some((range) => inRange(bytes, range)) || local().has(canonical) ? host : null;
}

/** The bound address as a URL host; a wildcard bind (every interface) is reached on loopback. */
function listeningHost({ hostname, port }: Listening): string {
  const name = hostname === '0.0.0.0' || hostname === '' ? '127.0.0.1' : hostname === '::' ? '::1' : hostname;
  return `${name.includes(':') ? `[${name}]` : name}:${port}`;
}

/** The addresses of this machine's interfaces, canonical spelling. */
function machineAddresses(): Set<string> {
  const out = new Set<string>();
  for (const list of Object.values(networkInterfaces())) {
    for (const entry of list ?? []) {
      const canonical = canonicalIp(entry.address);
      if (canonical !== null) out.add(canonical);
    }
  }
  return out;
}
