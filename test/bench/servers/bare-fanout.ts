// Baseline: the least a server can do for fan-out — Bun.serve, one topic, POST publishes the body
// to every subscriber. Harmony's gateway is measured as a fraction of this, in the same run.
const server = Bun.serve<{ id: number }>({
  port: 0,
  hostname: '127.0.0.1',
  async fetch(request, srv) {
    const url = new URL(request.url);
    if (url.pathname === '/ws') return srv.upgrade(request, { data: { id: 0 } }) ? undefined : new Response('no', { status: 400 });
    if (request.method === 'POST' && url.pathname === '/publish') {
      const body = await request.text();
      // The same envelope shape a gateway sends, serialized once for everyone.
      srv.publish('all', JSON.stringify({ op: 0, t: 'MESSAGE_CREATE', s: 1, d: JSON.parse(body) }));
      return Response.json({ ok: true });
    }
    return new Response('not found', { status: 404 });
  },
  websocket: {
    open: (ws) => {
      ws.subscribe('all');
    },
    message() {},
  },
});
console.log(JSON.stringify({ url: `http://127.0.0.1:${server.port}` }));

export {};
