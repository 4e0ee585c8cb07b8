// Baseline for gateway connects: Bun.serve WebSockets that say HELLO on open and answer an IDENTIFY with the
// frames Harmony sent one session (READY, then its GUILD_CREATEs), read as JSON on stdin: the same bytes out,
// with no session, database or permission work behind them.
const { ready, guildCreates } = (await Bun.stdin.json()) as { ready: string; guildCreates: string[] };
const hello = JSON.stringify({ op: 10, d: { heartbeat_interval: 41250 }, s: null, t: null });
const server = Bun.serve({
  port: 0,
  hostname: '127.0.0.1',
  fetch(request, srv) {
    if (new URL(request.url).pathname === '/memory') {
      Bun.gc(true);
      const { rss, heapUsed } = process.memoryUsage();
      return Response.json({ rss, heapUsed });
    }
    return srv.upgrade(request) ? undefined : new Response('no', { status: 400 });
  },
  websocket: {
    idleTimeout: 0,
    open: (ws) => {
      ws.send(hello);
    },
    message: (ws, message) => {
      const text = String(message);
      if (text.includes('"op":2')) {
        ws.send(ready);
        for (const frame of guildCreates) ws.send(frame);
      } else if (text.includes('"op":1')) ws.send('{"op":11,"d":null,"s":null,"t":null}');
    },
  },
});
console.log(JSON.stringify({ url: `ws://127.0.0.1:${server.port}`, controlUrl: `http://127.0.0.1:${server.port}/memory` }));

export {};
