// Baseline for fan-out: the least a server can do — Bun.serve, one topic, and each POST published to every
// subscriber as one frame serialized once. The frame is Harmony's own MESSAGE_CREATE of the dialect measured (read
// on stdin as {frame}, sampled from Harmony in the same run) with the posted content and a new sequence number, so
// both sides put the same bytes on the wire and the load generator reads the same frames from each.
const { frame } = (await Bun.stdin.json()) as { frame: string };
const template = JSON.parse(frame) as { s: number; d: Record<string, unknown> };
let sequence = template.s;
const server = Bun.serve<{ id: number }>({
  port: 0,
  hostname: '127.0.0.1',
  async fetch(request, srv) {
    const url = new URL(request.url);
    if (url.pathname === '/ws') return srv.upgrade(request, { data: { id: 0 } }) ? undefined : new Response('no', { status: 400 });
    if (request.method === 'POST' && url.pathname === '/publish') {
      const { content } = (await request.json()) as { content: string };
      srv.publish('all', JSON.stringify({ ...template, s: ++sequence, d: { ...template.d, content } }));
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
