// Fallback load generator (when wrk is not installed): C connections of Bun fetch, each sending its requests back
// to back for a fixed time. Reads an HttpJob (./http.ts) on stdin, prints {requestsPerSecond, p50, p99, errors}.
import type { HttpJob } from './http.ts';

const job = (await Bun.stdin.json()) as HttpJob;
const latencies: number[] = [];
let errors = 0;
const end = performance.now() + job.seconds * 1000;

await Promise.all(
  Array.from({ length: job.connections }, async (_, connection) => {
    let n = connection;
    while (performance.now() < end) {
      const spec = job.requests[n++ % job.requests.length];
      if (!spec) break;
      const t0 = performance.now();
      try {
        const response = await fetch(`${job.origin}${spec.path}`, { method: spec.method, body: spec.body, headers: job.headers });
        await response.arrayBuffer();
        if (response.status < 400) latencies.push(performance.now() - t0);
        else errors++;
      } catch {
        errors++;
      }
    }
  }),
);

latencies.sort((a, b) => a - b);
const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))] ?? Number.NaN;
console.log(JSON.stringify({ requestsPerSecond: latencies.length / job.seconds, p50: at(50), p99: at(99), errors }));
process.exit(0);
