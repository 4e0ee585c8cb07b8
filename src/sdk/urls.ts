// Where the gateway and the REST API live. Most callers give one URL (or none); the other is derived,
// because Harmony always serves both under the same prefix: <prefix>/gateway and <prefix>/api/v1.

export const DEFAULT_GATEWAY_URL = 'ws://localhost:3002/gateway';
export const DEFAULT_API_URL = 'http://localhost:3002/api/v1';

const GATEWAY_SUFFIX = '/gateway';
const API_SUFFIX = '/api/v1';

export type Endpoints = { gatewayUrl: string; apiUrl: string };

/**
 * `base` resolves relative URLs ('/gateway'); it defaults to the page's location in a browser so the
 * web app can pass paths only.
 */
export function resolveEndpoints(options: { url?: string; apiUrl?: string }, base = pageLocation()): Endpoints {
  const { url, apiUrl } = options;
  if (url !== undefined && apiUrl !== undefined) {
    return { gatewayUrl: withScheme(url, base, 'ws'), apiUrl: withScheme(apiUrl, base, 'http') };
  }
  if (url !== undefined) return { gatewayUrl: withScheme(url, base, 'ws'), apiUrl: apiUrlFromGateway(url, base) };
  if (apiUrl !== undefined) return { gatewayUrl: gatewayUrlFromApi(apiUrl, base), apiUrl: withScheme(apiUrl, base, 'http') };
  return { gatewayUrl: DEFAULT_GATEWAY_URL, apiUrl: DEFAULT_API_URL };
}

/** wss://x/bot-gateway/gateway -> https://x/bot-gateway/api/v1 (any prefix before /gateway is kept). */
export function apiUrlFromGateway(gatewayUrl: string, base?: string): string {
  return swapSuffix(gatewayUrl, base, GATEWAY_SUFFIX, API_SUFFIX, 'http');
}

/** https://x/bot-gateway/api/v1 -> wss://x/bot-gateway/gateway. */
export function gatewayUrlFromApi(apiUrl: string, base?: string): string {
  return swapSuffix(apiUrl, base, API_SUFFIX, GATEWAY_SUFFIX, 'ws');
}

function swapSuffix(input: string, base: string | undefined, from: string, to: string, family: 'ws' | 'http'): string {
  const url = new URL(input, base);
  url.protocol = schemeFor(url.protocol, family);
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = (path.endsWith(from) ? path.slice(0, -from.length) : path) + to;
  url.search = '';
  url.hash = '';
  return url.href;
}

function withScheme(input: string, base: string | undefined, family: 'ws' | 'http'): string {
  const url = new URL(input, base);
  url.protocol = schemeFor(url.protocol, family);
  return family === 'http' ? url.href.replace(/\/+$/, '') : url.href;
}

/** Keeps the security of the scheme (http/ws vs https/wss) while switching protocol family. */
function schemeFor(protocol: string, family: 'ws' | 'http'): string {
  const secure = protocol === 'https:' || protocol === 'wss:';
  if (family === 'ws') return secure ? 'wss:' : 'ws:';
  return secure ? 'https:' : 'http:';
}

function pageLocation(): string | undefined {
  const location = (globalThis as { location?: { href?: unknown } }).location;
  return typeof location?.href === 'string' ? location.href : undefined;
}
