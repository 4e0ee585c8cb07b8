// Cold start of the built binary: from exec to the first 200 from /health, in a fresh empty folder
// each run (so it includes creating and migrating the database). `bun run build` first.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const binary = resolve(process.argv[2] ?? 'dist/harmony');
const runs = Number(process.argv[3] ?? 9);
const times: number[] = [];

for (let i = 0; i < runs; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'harmony-cold-'));
  const port = 30000 + Math.floor(Math.random() * 20000);
  const t0 = performance.now();
  const proc = Bun.spawn([binary, '--port', String(port), '--host', '127.0.0.1'], { cwd: dir, stdout: 'ignore', stderr: 'ignore' });
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (performance.now() - t0 > 10_000) throw new Error('binary did not answer /health within 10 s');
    await Bun.sleep(2);
  }
  times.push(performance.now() - t0);
  proc.kill('SIGTERM');
  await proc.exited;
  rmSync(dir, { recursive: true, force: true });
}

times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)] ?? Number.NaN;
const size = Bun.file(binary).size / 1024 / 1024;
console.log(
  `dist/harmony: ${size.toFixed(1)} MiB; cold start to first /health 200, median of ${runs}: ${median.toFixed(0)} ms (min ${times[0]?.toFixed(0)}, max ${times.at(-1)?.toFixed(0)})`,
);
