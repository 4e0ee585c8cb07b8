// Runs Debian's nginx as a child process in front of a test server, with a config of our own in a
// temp folder (no system config, no root-owned paths), so deployment behind a prefix is tested for real.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => Bun.file(p).size > 0) ?? null;

export type Nginx = { port: number; pid: number; stop: () => Promise<void> };

/** `locations` is the body of the server block: one or more `location` directives. */
export function startNginx(locations: string): Promise<Nginx> {
  return startNginxWith(
    (port) => `  map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  server {
    listen 127.0.0.1:${port};
${locations}
  }`,
  );
}

/** `http(port)` is the rest of the http block (upstreams, maps, servers), listening on 127.0.0.1:`port`. */
export async function startNginxWith(http: (port: number) => string): Promise<Nginx> {
  if (!NGINX) throw new Error('nginx is not installed (apt-get install nginx, or run bash .ci/deps)');
  const dir = mkdtempSync(join(tmpdir(), 'harmony-nginx-'));
  // Started as root, nginx's workers run as nobody and buffer large request bodies under `body/` here: they must
  // be able to reach it (mkdtemp makes the folder 0700).
  chmodSync(dir, 0o755);
  const port = await freePort();
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
# A proxied request or WebSocket holds two connections (client, node): the cluster benchmark's sessions and posts in
# flight need thousands.
worker_rlimit_nofile 10000;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
${http(port)}
}
`,
  );
  const proc = Bun.spawn([NGINX, '-p', dir, '-c', join(dir, 'nginx.conf')], { stdout: 'ignore', stderr: 'pipe' });
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/`).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (proc.exitCode !== null) throw new Error(`nginx exited: ${await new Response(proc.stderr).text()}`);
    await Bun.sleep(50);
  }
  return {
    port,
    pid: proc.pid,
    stop: async () => {
      proc.kill('SIGQUIT');
      await proc.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function freePort(): Promise<number> {
  const probe = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() });
  const port = probe.port as number;
  await probe.stop(true);
  return port;
}

/** The proxy directives a WebSocket-capable location needs (as docs/gateway-setup.md shows them). */
export const PROXY_HEADERS = `
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_read_timeout 3600s;`;

/**
 * The ```nginx block of docs/operations.md's "Several nodes behind nginx" section, fitted to loopback: one `server`
 * line per entry of `upstreams` (host:port) with the documented options, and `listen 127.0.0.1:PORT` (PORT is
 * nginx's port, filled in by startNginxWith) instead of TLS. Tests run the configuration operators are told to use.
 */
export function documentedNodesConfig(upstreams: string[]): string {
  const doc = readFileSync(join(import.meta.dir, '../../docs/operations.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Several nodes behind nginx'));
  const block = /```nginx\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('docs/operations.md has no nginx block under "Several nodes behind nginx"');
  const options = /^ {4}server 10\.0\.0\.11:3002 (.*);$/m.exec(block)?.[1];
  if (!options) throw new Error('the documented upstream has no node 10.0.0.11:3002');
  return block
    .replace(/^ {4}server 10\.0\.0\.11:3002 .*;$/m, upstreams.map((u) => `    server ${u} ${options};`).join('\n'))
    .replace(/^ {4}server 10\.0\.0\.1\d:3002 .*;\n/gm, '')
    .replace(/^ {4}listen 443 ssl;$/m, '    listen 127.0.0.1:PORT;')
    .replace(/^ {4}(http2 on|ssl_\w+ .*);\n/gm, '');
}
