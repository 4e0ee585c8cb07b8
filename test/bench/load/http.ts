// HTTP load for the bench: wrk (Debian's `wrk`) when it is installed, since one wrk thread in C drives more
// requests than either server can answer, so the server is what is measured; otherwise ./http-read.ts, C
// connections of Bun fetch in another process (slower: ratios against a bare server stay meaningful, absolute
// figures are the load generator's). `requests` cycles through requests (method, path, body) per connection.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type HttpRequestSpec = { method: string; path: string; body?: string };
export type HttpJob = {
  /** Origin, no trailing slash. */
  origin: string;
  requests: HttpRequestSpec[];
  headers?: Record<string, string>;
  connections: number;
  seconds: number;
};
export type HttpResult = { requestsPerSecond: number; p50: number; p99: number; errors: number; generator: 'wrk' | 'bun' };

const wrk = Bun.which('wrk');
export const httpGenerator = wrk ? 'wrk' : 'bun fetch';

const lua = (s: string) => JSON.stringify(s); // a JSON string literal is a valid Lua string literal for our ASCII

function wrkScript(job: HttpJob): string {
  const requests = job.requests.map((r) => `{${lua(r.method)}, ${lua(r.path)}, ${r.body === undefined ? 'nil' : lua(r.body)}}`).join(',\n  ');
  const headers = Object.entries(job.headers ?? {})
    .map(([k, v]) => `wrk.headers[${lua(k)}] = ${lua(v)}`)
    .join('\n');
  return `${headers}
local requests = {
  ${requests}
}
local n = 0
request = function()
  n = n + 1
  local r = requests[(n - 1) % #requests + 1]
  return wrk.format(r[1], r[2], nil, r[3])
end
done = function(summary, latency, requests)
  io.write(string.format("BENCH %d %d %f %f %d\\n", summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout + summary.errors.status))
end
`;
}

let scriptDir: string | null = null;

async function runWrk(job: HttpJob): Promise<HttpResult> {
  if (scriptDir === null) {
    const dir = mkdtempSync(join(tmpdir(), 'harmony-bench-wrk-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    scriptDir = dir;
  }
  const script = join(scriptDir, `job-${Math.random().toString(36).slice(2)}.lua`);
  writeFileSync(script, wrkScript(job));
  const proc = Bun.spawn([wrk as string, '-t1', `-c${job.connections}`, `-d${job.seconds}s`, '--timeout', '10s', '-s', script, `${job.origin}/`], {
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const out = await new Response(proc.stdout).text();
  await proc.exited;
  const line = out.split('\n').find((l) => l.startsWith('BENCH '));
  if (!line) throw new Error(`wrk printed no summary: ${out}${await new Response(proc.stderr).text()}`);
  const [requests, durationUs, p50Us, p99Us, errors] = line.slice(6).split(' ').map(Number) as [number, number, number, number, number];
  // `summary.errors.status` counts answers >= 400: they are not served requests.
  return { requestsPerSecond: (requests - errors) / (durationUs / 1e6), p50: p50Us / 1000, p99: p99Us / 1000, errors, generator: 'wrk' };
}

async function runBun(job: HttpJob): Promise<HttpResult> {
  const proc = Bun.spawn(['bun', new URL('./http-read.ts', import.meta.url).pathname], { stdin: 'pipe', stdout: 'pipe', stderr: 'inherit' });
  proc.stdin.write(JSON.stringify(job));
  await proc.stdin.end();
  const out = await new Response(proc.stdout).text();
  if ((await proc.exited) !== 0) throw new Error('http-read.ts failed');
  return { ...(JSON.parse(out) as Omit<HttpResult, 'generator'>), generator: 'bun' };
}

export function httpLoad(job: HttpJob): Promise<HttpResult> {
  return wrk ? runWrk(job) : runBun(job);
}
