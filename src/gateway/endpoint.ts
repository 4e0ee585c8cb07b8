// Binds a dialect's protocol to a path on the app's WebSocket server. Every socket gets a stable
// connection id at upgrade; Bun's per-socket callbacks are routed to the gateway core by that id.
import type { ServerWebSocket } from 'bun';
import { jsonResponse } from '../http/error-response.ts';
import type { SocketData, SocketEndpoint } from '../http/socket-endpoint.ts';
import type { GatewayProtocol } from './dialect.ts';
import type { Gateway } from './gateway.ts';

export function gatewayEndpoint(gateway: Gateway, protocol: GatewayProtocol): SocketEndpoint {
  gateway.register(protocol.dialect);
  const idOf = (ws: ServerWebSocket<SocketData>): string => (typeof ws.data.connectionId === 'string' ? ws.data.connectionId : '');
  return {
    path: protocol.path,
    upgrade(request, url) {
      if (gateway.stopped) return jsonResponse(503, { code: 0, message: 'Server restarting' });
      const params = protocol.upgrade ? protocol.upgrade(request, url) : {};
      if (params instanceof Response) return params;
      return { endpoint: protocol.path, connectionId: crypto.randomUUID(), params };
    },
    open(ws) {
      const connection = gateway.connect(idOf(ws), ws, protocol.dialect, paramsOf(ws.data.params));
      if (connection.open) protocol.open?.(connection);
    },
    message(ws, message) {
      const connection = gateway.connection(idOf(ws));
      if (!connection) return;
      const text = gateway.receive(connection, message);
      if (text !== null) gateway.run(connection, () => protocol.frame(connection, text));
    },
    close(ws, code) {
      gateway.disconnected(idOf(ws), code);
    },
    drain(ws) {
      gateway.drained(idOf(ws));
    },
    attach(server) {
      gateway.attach(server);
    },
    shutdown() {
      gateway.shutdown();
    },
  };
}

/** The params `upgrade` stored on the socket (strings only). */
function paramsOf(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
