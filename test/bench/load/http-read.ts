// Load generator for a read endpoint: C connections each issuing GETs back to back for a fixed
// time. Reads {url, connections, seconds} on stdin, prints {requestsPerSecond, p50, p99, errors}.
const job = (await Bun.stdin.json()) as { url: string; connections: number; seconds: number };
const latencies: number[] = [];
let errors = 0;
const end = performance.now() + job.seconds * 1000;

await Promise.all(
  Array.from({ length: job.connections }, async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        const response = await fetch(job.url);
        await response.arrayBuffer();
        if (response.ok) latencies.push(performance.now() - t0);
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

export {};
