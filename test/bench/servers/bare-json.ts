// Baseline for the presence reads: Bun.serve answering GET with fixed bytes and the same headers Harmony sends
// (read on stdin as {body, headers}), and a bodyless 304 when If-None-Match names the ETag, as Harmony does.
const { body, headers } = (await Bun.stdin.json()) as { body: string; headers: Record<string, string> };
const bytes = new TextEncoder().encode(body);
const notModified = { ...headers };
delete notModified['content-type'];
delete notModified['content-length'];
const server = Bun.serve({
  port: 0,
  hostname: '127.0.0.1',
  fetch: (request) =>
    headers.etag !== undefined && request.headers.get('if-none-match') === headers.etag
      ? new Response(null, { status: 304, headers: notModified })
      : new Response(bytes, { headers }),
});
console.log(JSON.stringify({ url: `http://127.0.0.1:${server.port}` }));

export {};
