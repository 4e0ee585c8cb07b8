// A TCP forwarder standing in for the reverse proxy (nginx, Caddy) a deployment puts in front of Harmony: clients
// keep one address while the process behind it restarts, and while nothing listens behind it they get what nginx
// answers then, `502 Bad Gateway`, instead of a refused connection.
import type { Socket, TCPSocketListener } from 'bun';

type Link = { upstream: Socket<Link> | null; pending: Uint8Array[] };

const BAD_GATEWAY = 'HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/plain\r\ncontent-length: 11\r\nconnection: close\r\n\r\nBad Gateway';

export type FrontProxy = { url: string; stop: () => void };

/** `backendPort`: a port, or a function asked on every new connection (a test fails over from one node to another). */
export function frontProxy(backendPort: number | (() => number)): FrontProxy {
  const listener: TCPSocketListener<Link> = Bun.listen<Link>({
    hostname: '127.0.0.1',
    port: 0,
    socket: {
      open(client) {
        client.data = { upstream: null, pending: [] };
        Bun.connect<Link>({
          hostname: '127.0.0.1',
          port: typeof backendPort === 'number' ? backendPort : backendPort(),
          socket: {
            open(upstream) {
              upstream.data = client.data;
              client.data.upstream = upstream;
              for (const chunk of client.data.pending) upstream.write(chunk);
              client.data.pending = [];
            },
            data(_upstream, chunk) {
              client.write(chunk);
            },
            close() {
              client.end();
            },
            error() {
              client.end();
            },
          },
        }).catch(() => {
          client.write(BAD_GATEWAY);
          client.end();
        });
      },
      data(client, chunk) {
        if (client.data.upstream) client.data.upstream.write(chunk);
        else client.data.pending.push(new Uint8Array(chunk));
      },
      close(client) {
        client.data.upstream?.end();
      },
      error(client) {
        client.data.upstream?.end();
      },
    },
  });
  return { url: `http://127.0.0.1:${listener.port}`, stop: () => listener.stop(true) };
}
