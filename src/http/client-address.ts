// Who is on the other end of a request, resolved once by the server before routing and read by every per-address
// limit (login, registration, the presence faces, socket caps). Forwarding headers are believed only when the
// peer is a configured proxy, and then only as far back as the chain stays inside trusted proxies: the right-most
// hop that is not a trusted proxy is the client, since everything to its left was written by the client itself.
import type { Server } from 'bun';
import type { Config } from '../config.ts';
import { formatIp, type IpRange, inRange, LOOPBACK_RANGES, parseIp, parseRange } from './ip-range.ts';

/** What the server knows about a request's two ends. */
export type RequestOrigin = {
  /** The trusted client address (canonical spelling), or 'unknown'. */
  readonly client: string;
  /** The address and port this server listens on (hostname as bound: 0.0.0.0 or :: for every interface). */
  listening: { hostname: string; port: number };
};

const origins = new WeakMap<Request, RequestOrigin>();

export function rememberOrigin(request: Request, origin: RequestOrigin): void {
  origins.set(request, origin);
}

export function clientAddress(request: Request): string {
  return origins.get(request)?.client ?? 'unknown';
}

export function requestOrigin(request: Request): RequestOrigin | undefined {
  return origins.get(request);
}

/** Resolves and remembers a request's origin as it reaches `server`; built once per server from the config. */
export function originRecorder(config: Pick<Config, 'trustedProxies' | 'publicUrl'>) {
  const trusted = trustedProxies(config);
  // A server listens where it started listening: its address is read once (each read of Bun's getters builds it anew).
  const listeningOn = new WeakMap<Server<unknown>, RequestOrigin['listening']>();
  const listening = (server: Server<unknown>) => {
    const known = listeningOn.get(server);
    if (known) return known;
    const where = { hostname: server.hostname ?? '', port: server.port ?? 0 };
    listeningOn.set(server, where);
    return where;
  };
  return (request: Request, server: Server<unknown>): RequestOrigin => {
    const origin = new ResolvedOnRead(request, server, trusted, listening(server));
    origins.set(request, origin);
    return origin;
  };
}

/**
 * An origin whose client address is worked out when first read, while the request is being answered: most routes
 * never read it (an authenticated API call is limited by its token), and asking Bun for the peer's address costs a
 * system call (getpeername) each time.
 */
class ResolvedOnRead implements RequestOrigin {
  #client: string | undefined;

  constructor(
    private readonly request: Request,
    private readonly server: Server<unknown>,
    private readonly trusted: readonly IpRange[],
    readonly listening: RequestOrigin['listening'],
  ) {}

  get client(): string {
    this.#client ??= resolveClientAddress(this.server.requestIP(this.request)?.address, this.request.headers, this.trusted);
    return this.#client;
  }
}

/** The proxies whose forwarding headers are believed: --trusted-proxies, or loopback when only --public-url is set. */
export function trustedProxies(config: Pick<Config, 'trustedProxies' | 'publicUrl'>): readonly IpRange[] {
  if (config.trustedProxies === null) return config.publicUrl ? LOOPBACK_RANGES : [];
  return config.trustedProxies.map((text) => {
    const range = parseRange(text);
    if (range === null) throw new RangeError(`not an address or CIDR range: ${text}`);
    return range;
  });
}

/**
 * The client of a request that reached us from `peer`: the peer itself unless it is a trusted proxy; otherwise
 * the right-most untrusted hop of X-Forwarded-For (or, when a request carries none, of `Forwarded: for=`). A hop
 * that is not an address ends the walk at the trusted hop that reported it.
 */
export function resolveClientAddress(peer: string | undefined, headers: Headers, trusted: readonly IpRange[]): string {
  // No proxy to believe (the usual single node): the peer is the client, and its spelling is remembered.
  if (trusted.length === 0 && peer !== undefined) return canonicalPeer(peer);
  const peerBytes = peer === undefined ? null : parseIp(peer);
  if (peerBytes === null) return peer ?? 'unknown';
  let client = peerBytes;
  if (trusted.length === 0 || !isTrusted(client, trusted)) return formatIp(client);
  const hops = forwardedHops(headers);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseIp(hops[i] as string);
    if (hop === null) break;
    client = hop;
    if (!isTrusted(hop, trusted)) break;
  }
  return formatIp(client);
}

/** Peers' canonical spellings (a connection sends many requests); the table starts over rather than grow. */
const canonicalSpellings = new Map<string, string>();
const MAX_SPELLINGS = 4096;

function canonicalPeer(peer: string): string {
  let spelling = canonicalSpellings.get(peer);
  if (spelling === undefined) {
    const bytes = parseIp(peer);
    spelling = bytes === null ? peer : formatIp(bytes);
    if (canonicalSpellings.size >= MAX_SPELLINGS) canonicalSpellings.clear();
    canonicalSpellings.set(peer, spelling);
  }
  return spelling;
}

function isTrusted(address: Uint8Array, trusted: readonly IpRange[]): boolean {
  return trusted.some((range) => inRange(address, range));
}

// Only one header is read: nginx and Caddy append to X-Forwarded-For and pass `Forwarded` through untouched, so
// a client could write a `Forwarded` of its choosing behind them.
function forwardedHops(headers: Headers): string[] {
  const xff = headers.get('x-forwarded-for');
  if (xff !== null) return xff.split(',').map((hop) => hop.trim());
  const forwarded = headers.get('forwarded');
  if (forwarded === null) return [];
  const hops: string[] = [];
  for (const element of forwarded.split(',')) {
    const pair = element.split(';').find((p) => p.trim().toLowerCase().startsWith('for='));
    hops.push(pair === undefined ? '' : forwardedNode(pair.trim().slice(4)));
  }
  return hops;
}

/** `for=` node of RFC 7239: `1.2.3.4`, `1.2.3.4:80`, `"[2001:db8::1]:80"`, or an obfuscated name (not an address). */
function forwardedNode(value: string): string {
  const unquoted = value.replace(/^"(.*)"$/, '$1');
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(unquoted);
  if (bracketed) return bracketed[1] as string;
  const withPort = /^([^:]+):\d+$/.exec(unquoted);
  return withPort ? (withPort[1] as string) : unquoted;
}
