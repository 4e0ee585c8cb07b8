// Harmony as its own process (`bun src/main.ts serve`), for tests that kill, starve or restart it: the only way to
// know what survives a SIGKILL is to deliver one.
import { join } from 'node:path';

const MAIN = join(import.meta.dir, '..', '..', 'src', 'main.ts');

export type ChildServer = {
  url: string;
  process: ReturnType<typeof Bun.spawn>;
  /** Everything the process printed on stderr so far. */
  stderr: () => string;
  /** Sends a signal and waits for the exit code. */
  stop: (signal?: NodeJS.Signals) => Promise<number>;
};

/** Runs `harmony <args>` to completion: exit code and output. */
export async function runHarmony(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = Bun.spawn(['bun', MAIN, ...args], { stdout: 'pipe', stderr: 'pipe', env: { ...process.env, ...env } });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr };
}

/** Starts `harmony serve` on a free loopback port over `dataDir` and waits until it listens. */
/** `env` is added to this process's environment (e.g. a secret an operator would not pass as a flag). */
export async function startChild(dataDir: string, flags: string[] = [], env: Record<string, string> = {}): Promise<ChildServer> {
  // A restart test names the port (clients reconnect to the same address); otherwise any free one.
  const port = flags.includes('--port') ? [] : ['--port', '0'];
  // Rate limits off unless the test turns them on (a cluster test checks they are shared).
  const limits = flags.includes('--rate-limits') ? [] : ['--rate-limits', 'off'];
  const child = Bun.spawn(['bun', MAIN, 'serve', '--host', '127.0.0.1', ...port, '--data', dataDir, ...limits, ...flags], {
    stdout: 'pipe',
    stderr: 'pipe',
    env: { ...process.env, ...env },
  });
  let errors = '';
  void (async () => {
    for await (const chunk of child.stderr as ReadableStream<Uint8Array>) errors += new TextDecoder().decode(chunk);
  })();
  const reader = (child.stdout as ReadableStream<Uint8Array>).getReader();
  let out = '';
  const deadline = Date.now() + 30_000;
  for (;;) {
    const match = /listening on (http:\/\/\S+)/.exec(out);
    if (match?.[1]) {
      // Keep draining stdout so the child never blocks on a full pipe.
      void (async () => {
        while (!(await reader.read().catch(() => ({ done: true }))).done);
      })();
      const url = match[1];
      return {
        url,
        process: child,
        stderr: () => errors,
        stop: async (signal = 'SIGTERM') => {
          child.kill(signal);
          return child.exited;
        },
      };
    }
    if (Date.now() > deadline) throw new Error(`harmony did not start: ${out} ${errors}`);
    const { done, value } = await Promise.race([reader.read(), child.exited.then(() => ({ done: true, value: undefined }))]);
    if (done) throw new Error(`harmony exited before listening: ${out} ${errors}`);
    out += new TextDecoder().decode(value);
  }
}

/** A loopback port nothing listens on right now (to restart a server on the same address). */
export function freePort(): number {
  const probe = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() });
  const port = probe.port as number;
  probe.stop(true);
  return port;
}

/** A JSON call with a Bearer or Bot token. */
export async function call(url: string, method: string, path: string, token?: string, body?: unknown, scheme = 'Bearer') {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `${scheme} ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as any) : null };
}

/** `call` for a set-up step: its body, or a thrown error naming the request when it answers past 2xx. */
export async function ok(url: string, method: string, path: string, token?: string, body?: unknown, scheme = 'Bearer') {
  const res = await call(url, method, path, token, body, scheme);
  if (res.status >= 300) throw new Error(`${method} ${path} on ${url}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
