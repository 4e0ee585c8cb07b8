// Baseline for the presence read: Bun.serve answering GET with a fixed JSON body of the same shape.
const body = await Bun.stdin.text();
const server = Bun.serve({
  port: 0,
  hostname: '127.0.0.1',
  fetch: () => new Response(body, { headers: { 'content-type': 'application/json', 'cache-control': 'no-store', 'access-control-allow-origin': '*' } }),
});
console.log(JSON.stringify({ url: `http://127.0.0.1:${server.port}` }));

export {};
