// Runs one of test/fixtures/discord-py/*.py against a live server with Debian's discord.py (/usr/bin/python3): the
// fixture's `HOST:3002` becomes the server's address, each line it prints is a JSON step, and a stuck bot is
// killed after `timeoutMs`. With `onStep`, each step is handed over as it arrives, so a test can act in between.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PYTHON = '/usr/bin/python3';
const FIXTURES = join(import.meta.dir, '..', 'fixtures', 'discord-py');

export type PyRun<Step> = { steps: Step[]; exitCode: number; stderr: string };

export async function runDiscordPy<Step = Record<string, unknown>>(
  fixture: string,
  serverUrl: string,
  env: Record<string, string>,
  options: { onStep?: (step: Step) => Promise<void>; timeoutMs?: number } = {},
): Promise<PyRun<Step>> {
  const work = join(tmpdir(), `harmony-discord-py-${process.pid}`);
  mkdirSync(work, { recursive: true });
  const script = join(work, fixture);
  writeFileSync(script, readFileSync(join(FIXTURES, fixture), 'utf8').replaceAll('HOST:3002', new URL(serverUrl).host));
  const proc = Bun.spawn([PYTHON, '-u', script], { env: { PATH: '/usr/bin:/bin', ...env }, stdout: 'pipe', stderr: 'pipe' });
  const killer = setTimeout(() => proc.kill(), options.timeoutMs ?? 25_000);
  const stderr = new Response(proc.stderr).text();
  const steps: Step[] = [];
  let pending = '';
  for await (const chunk of proc.stdout) {
    pending += new TextDecoder().decode(chunk);
    for (let newline = pending.indexOf('\n'); newline >= 0; newline = pending.indexOf('\n')) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line === '') continue;
      const step = JSON.parse(line) as Step;
      steps.push(step);
      await options.onStep?.(step);
    }
  }
  const exitCode = await proc.exited;
  clearTimeout(killer);
  return { steps, exitCode, stderr: await stderr };
}
