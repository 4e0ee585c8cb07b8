// A WebSocket endpoint on Bun's native server (the gateways, the Lanyard socket). The app routes
// upgrades by path and hands each socket's events to the endpoint that accepted it.
import type { Server, ServerWebSocket } from 'bun';

/** `clientAddress` is set by the app on upgrade: the trusted client address the socket is counted under. */
export type SocketData = { endpoint: string; clientAddress?: string; [key: string]: unknown };

export type SocketEndpoint = {
  path: string;
  /** Accept (return the socket's data) or refuse (return a Response). */
  upgrade(request: Request, url: URL): SocketData | Response;
  open(ws: ServerWebSocket<SocketData>): void;
  message(ws: ServerWebSocket<SocketData>, message: string | Buffer): void;
  close(ws: ServerWebSocket<SocketData>, code: number, reason: string): void;
  drain?(ws: ServerWebSocket<SocketData>): void;
  /** Called once the server listens, for endpoints that publish to topics. */
  attach?(server: Server<SocketData>): void;
  /** Graceful shutdown: tell clients to reconnect elsewhere, then close. */
  shutdown?(): void;
};

/** Whether a request path names this endpoint: libraries append a slash (`/gateway/discord/?v=10`), and Discord takes both. */
export function servesPath(endpoint: Pick<SocketEndpoint, 'path'>, path: string): boolean {
  return path === endpoint.path || path === `${endpoint.path}/`;
}
