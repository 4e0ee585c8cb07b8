// One HTTP request written byte for byte on a TCP socket, for what fetch would normalize away: a short or missing
// Host header, HTTP/1.0, an absolute-form request target. The request should ask the server to close
// (`Connection: close`, or HTTP/1.0), so the answer ends with the connection.
import { connect } from 'node:net';

export type RawResponse = { status: number; headers: Record<string, string>; text: string; body: unknown };

export async function rawRequest(serverUrl: string, request: string): Promise<RawResponse> {
  const { hostname, port } = new URL(serverUrl);
  const socket = connect(Number(port), hostname);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk) => chunks.push(Buffer.from(chunk)));
  const closed = new Promise<void>((resolve, reject) => {
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
  await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
  socket.write(request);
  await closed;
  const raw = Buffer.concat(chunks).toString('utf8');
  const split = raw.indexOf('\r\n\r\n');
  const [statusLine = '', ...headerLines] = raw.slice(0, split).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const text = raw.slice(split + 4);
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: Number(statusLine.split(' ')[1]), headers, text, body };
}
