// The URL a webhook is executed at, in Discord's form (`<origin>/api/webhooks/:id/:token`, no API version) on the
// public origin this server answers on, found the way the gateway URL is (config.publicUrl, else the listening
// address or a Host naming this machine).
import type { Config } from '../../config.ts';
import { DISCORD_GATEWAY_PATH, discordGatewayUrl } from './gateway-url.ts';

export function webhookUrl(config: Pick<Config, 'publicUrl' | 'host' | 'port'>, request: Request, id: string, token: string): string {
  const gateway = discordGatewayUrl(config, request);
  return `${gateway.slice(0, -DISCORD_GATEWAY_PATH.length).replace(/^ws/, 'http')}/api/webhooks/${id}/${token}`;
}
