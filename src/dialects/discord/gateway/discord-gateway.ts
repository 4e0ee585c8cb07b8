// The discord v10 gateway at /gateway/discord (the URL GET /api/v10/gateway/bot hands out), on the shared
// gateway core: HELLO first, IDENTIFY with intents, READY then one GUILD_CREATE per guild, RESUME, op 7/9,
// Discord's close codes, zlib-stream or per-frame compression. Events are serialized once per stream
// (intents.ts), so an unmodified discord.js bot gets what it would get from Discord at the cost of one publish.
import type { Core } from '../../../core.ts';
import type { ConnectionParams, GatewayDialect, GatewayProtocol } from '../../../gateway/dialect.ts';
import { gatewayEndpoint } from '../../../gateway/endpoint.ts';
import type { Gateway } from '../../../gateway/gateway.ts';
import type { SocketEndpoint } from '../../../http/socket-endpoint.ts';
import { DISCORD_GATEWAY_PATH, discordGatewayUrl } from '../gateway-url.ts';
import { CORE_CLOSES, PROTOCOL_CLOSES } from './closes.ts';
import { zlibStreamTransform } from './compression.ts';
import { createEventEncoder, discordAtCommit } from './events.ts';
import { helloFrame } from './frames.ts';
import { type HandlerContext, handleFrame } from './handlers.ts';
import { HeartbeatWatch } from './heartbeat-watch.ts';

export const DISCORD_DIALECT_ID = 'discord-v10';

/** Cores whose writes already shape INTERACTION_CREATE at commit (a core may serve several gateways in tests). */
const shaping = new WeakSet<Core>();

export function discordDialect(core: Core): GatewayDialect {
  if (!shaping.has(core)) {
    shaping.add(core);
    core.atCommit(discordAtCommit(core));
  }
  const { encode } = createEventEncoder();
  return { id: DISCORD_DIALECT_ID, closes: CORE_CLOSES, encode, showsGuildMembers: true };
}

/** Query parameters kept from the upgrade (absent ones are left out), plus the URL RESUME should use. */
function upgradeParams(core: Core, request: Request, url: URL): ConnectionParams {
  const params: Record<string, string> = { resume_url: discordGatewayUrl(core.config, request) };
  for (const key of ['v', 'encoding', 'compress']) {
    const value = url.searchParams.get(key);
    if (value !== null) params[key] = value;
  }
  return params;
}

export function discordGatewayProtocol(gateway: Gateway, core: Core): GatewayProtocol {
  const ctx: HandlerContext = { gateway, core, watch: new HeartbeatWatch(gateway, core.clock) };
  return {
    path: DISCORD_GATEWAY_PATH,
    dialect: discordDialect(core),
    upgrade: (request, url) => upgradeParams(core, request, url),
    open(connection) {
      const { v, encoding, compress } = connection.params;
      // A missing `v` is taken as 10; 9 is the same protocol here.
      if (v !== undefined && v !== '10' && v !== '9') return gateway.close(connection, PROTOCOL_CLOSES.invalidVersion);
      if (encoding !== undefined && encoding !== 'json') return gateway.close(connection, PROTOCOL_CLOSES.unsupportedEncoding);
      if (compress !== undefined && compress !== 'zlib-stream') return gateway.close(connection, PROTOCOL_CLOSES.unsupportedCompression);
      if (compress === 'zlib-stream') {
        try {
          connection.transform = zlibStreamTransform();
        } catch {
          return gateway.close(connection, PROTOCOL_CLOSES.unsupportedCompression);
        }
      }
      gateway.send(connection, helloFrame(gateway.options.heartbeatInterval));
      ctx.watch.track(connection);
    },
    frame: (connection, text) => handleFrame(ctx, connection, text),
  };
}

export function discordGateway(gateway: Gateway, harmony: { core: Core }): SocketEndpoint {
  return gatewayEndpoint(gateway, discordGatewayProtocol(gateway, harmony.core));
}
