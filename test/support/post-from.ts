// A JSON POST from a chosen local address (127.0.0.2, 127.0.0.3, ...), so tests can be several clients at once;
// fetch cannot bind a local address, node:http can.
import { request } from 'node:http';

export function postFrom(localAddress: string, url: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
  const target = new URL(url);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        localAddress,
        headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
