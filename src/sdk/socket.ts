// Finds a WebSocket implementation without importing one: the global (browsers, Bun, Node 22+), else the
// `ws` package (Node 20), loaded lazily so the bundle has no static import and browsers never reach it.

export type WebSocketConstructor = new (url: string) => WebSocket;

let fallback: Promise<WebSocketConstructor> | undefined;

export function loadWebSocket(): Promise<WebSocketConstructor> {
  const native = (globalThis as { WebSocket?: unknown }).WebSocket;
  if (typeof native === 'function') return Promise.resolve(native as WebSocketConstructor);
  fallback ??= importWs();
  return fallback;
}

async function importWs(): Promise<WebSocketConstructor> {
  // A computed specifier: bundlers (ours, and the web app's) leave it alone instead of inlining `ws`.
  const specifier = ['w', 's'].join('');
  let module: { WebSocket?: unknown; default?: unknown };
  try {
    module = (await import(specifier)) as { WebSocket?: unknown; default?: unknown };
  } catch (cause) {
    fallback = undefined;
    throw new Error('No global WebSocket and the `ws` package could not be loaded; install it with `npm i ws`', {
      cause,
    });
  }
  // ws speaks the browser API subset the SDK uses (on* handlers, send, close, readyState, binaryType).
  const WebSocketClass = module.WebSocket ?? module.default;
  if (typeof WebSocketClass !== 'function') throw new Error('The `ws` package does not export a WebSocket class');
  return WebSocketClass as WebSocketConstructor;
}
