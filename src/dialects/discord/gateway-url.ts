// Where discord.js should open its gateway socket: GET /gateway(/bot) hands this URL out, and the client
// appends `?v=10&encoding=json` itself, so the URL never carries a query string.
import type { Config } from '../../config.ts';

/** The discord dialect's WebSocket endpoint, relative to the server root (and to publicUrl's path). */
export const DISCORD_GATEWAY_PATH = '/gateway/discord';

/**
 * `ws(s)://<public host>[/<public path>]/gateway/discord`: from config.publicUrl when set (a proxy in front
 * decides the public origin), otherwise from the request's Host header and scheme (X-Forwarded-Proto honoured:
 * it only shapes the answer to the client that sent it).
 */
export function discordGatewayUrl(config: Pick<Config, 'publicUrl'>, request: Request): string {
  if (config.publicUrl) {
    const url = new URL(config.publicUrl);
    const scheme = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${url.host}${url.pathname.replace(/\/+$/, '')}${DISCORD_GATEWAY_PATH}`;
  }
  const requestUrl = new URL(request.url);
  const forwarded = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  const secure = forwarded ? forwarded === 'https' || forwarded === 'wss' : requestUrl.protocol === 'https:';
  const header = request.headers.get('host');
  // A Host header that is not a host[:port] would make a URL the client cannot append its query to. (Underscores
  // appear in container host names; request.url carries no host of its own, see http/request-target.ts.)
  const host = header && /^[A-Za-z0-9._-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(header) ? header : requestUrl.host;
  return `${secure ? 'wss' : 'ws'}://${host}${DISCORD_GATEWAY_PATH}`;
}
