// The harmony v1 gateway at /gateway: the seed's protocol (IDENTIFY first, READY with bot/user,
// session_id and heartbeat_interval) on the shared gateway core. One stream: every v1 session gets the
// same bytes for an event, so each event is serialized once for all of them.
import type { GatewayDialect, GatewayProtocol } from '../../../gateway/dialect.ts';
import { gatewayEndpoint } from '../../../gateway/endpoint.ts';
import type { Gateway } from '../../../gateway/gateway.ts';
import type { SocketEndpoint } from '../../../http/socket-endpoint.ts';
import { interaction } from '../interactions.ts';
import { encodeDispatch } from './frames.ts';
import { handleFrame } from './handlers.ts';
import { CORE_CLOSES } from './opcodes.ts';
import { payloadOf } from './payloads.ts';

export const HARMONY_GATEWAY_PATH = '/gateway';
export const HARMONY_STREAM = 'h1';

export const harmonyDialect: GatewayDialect = {
  id: 'harmony-v1',
  closes: CORE_CLOSES,
  encode(dispatch, seq) {
    const { t, d } = payloadOf(dispatch);
    const frame = encodeDispatch(t, d, seq);
    if (dispatch.type !== 'interaction.create') return [[HARMONY_STREAM, frame]];
    // The one per-user v1 payload: the application gets the interaction and its token, the person an acknowledgement.
    const { interaction: i, token, invoker, files } = dispatch;
    const full = encodeDispatch(t, interaction(i, token, invoker, files), seq);
    return [
      [
        HARMONY_STREAM,
        null,
        new Map([
          [i.applicationId, full],
          [i.userId, frame],
        ]),
      ],
    ];
  },
};

export function harmonyGatewayProtocol(gateway: Gateway): GatewayProtocol {
  const ctx = { gateway, stream: HARMONY_STREAM };
  return { path: HARMONY_GATEWAY_PATH, dialect: harmonyDialect, frame: (connection, text) => handleFrame(ctx, connection, text) };
}

export function harmonyGateway(gateway: Gateway): SocketEndpoint {
  return gatewayEndpoint(gateway, harmonyGatewayProtocol(gateway));
}
