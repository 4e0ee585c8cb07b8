// `bun run test:postgres`: the end-to-end suite again, on PostgreSQL. It runs every test file that starts a server
// through test-server.ts (found by following imports, so a new test joins by itself), except the SQLite-only ones
// (sqlite-only.ts) and the browser tests (test/web: Chromium drives the same HTTP API the other files already hold
// to both engines, and would double the pass's time), with HARMONY_TEST_ENGINE=postgres: one throwaway cluster for
// the process, one fresh database per server. Extra arguments go to `bun test` (a file name narrows the run).
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { SQLITE_ONLY } from './sqlite-only.ts';

const ROOT = resolve(import.meta.dir, '../..');
const SERVER = join(ROOT, 'test/support/test-server.ts');
const LEFT_OUT = ['test/web/'];

const transpiler = new Bun.Transpiler({ loader: 'ts' });
const reaches = new Map<string, boolean>();

/** Whether `file` imports test-server.ts, directly or through other local modules. */
function startsServers(file: string, seen = new Set<string>()): boolean {
  if (file === SERVER) return true;
  const known = reaches.get(file);
  if (known !== undefined) return known;
  if (seen.has(file)) return false;
  seen.add(file);
  let code: string;
  try {
    code = readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  const found = transpiler
    .scanImports(code)
    .filter((i) => i.path.startsWith('.') && /\.(ts|tsx|js|mjs)$/.test(i.path))
    .some((i) => startsServers(resolve(dirname(file), i.path), seen));
  reaches.set(file, found);
  return found;
}

export function postgresSuite(): string[] {
  const excluded = new Set(SQLITE_ONLY.map((entry) => entry.file));
  return [...new Bun.Glob('test/**/*.test.ts').scanSync({ cwd: ROOT })]
    .sort()
    .filter((file) => !excluded.has(file) && !LEFT_OUT.some((prefix) => file.startsWith(prefix)))
    .filter((file) => startsServers(join(ROOT, file)));
}

if (import.meta.main) {
  const extra = process.argv.slice(2);
  const files = postgresSuite().map((file) => `./${relative(ROOT, join(ROOT, file))}`);
  // An argument that names part of a file's path narrows the pass to those files; every other argument (flags and
  // their values, as in `-t 'some test'`) goes to `bun test` in its place.
  const isFileFilter = (arg: string) => !arg.startsWith('-') && files.some((file) => file.includes(arg));
  const narrowed = extra.filter(isFileFilter);
  const chosen = narrowed.length ? files.filter((file) => narrowed.some((n) => file.includes(n))) : files;
  const flags = extra.filter((arg) => !isFileFilter(arg));
  // A word that is neither a flag nor a flag's value (`-t name`) was meant as a file: `bun test` would take it as a
  // pattern beside every file of the pass and run them all.
  const isFlagValue = (i: number) => i > 0 && /^-[^=]*$/.test(extra[i - 1] ?? '') && !isFileFilter(extra[i - 1] ?? '');
  const unknownFile = extra.find((arg, i) => !arg.startsWith('-') && !isFileFilter(arg) && !isFlagValue(i));
  if (unknownFile || chosen.length === 0) {
    console.error(`PostgreSQL pass: ${unknownFile ?? 'the filter'} is not a test file of the pass (left out: sqlite-only.ts, test/web)`);
    process.exit(1);
  }
  console.log(`PostgreSQL pass: ${chosen.length} test files (HARMONY_TEST_ENGINE=postgres)`);
  const run = Bun.spawnSync([process.execPath, 'test', '--timeout', '30000', ...flags, ...chosen], {
    cwd: ROOT,
    env: { ...process.env, HARMONY_TEST_ENGINE: 'postgres' },
    stdio: ['inherit', 'inherit', 'inherit'],
  });
  process.exit(run.exitCode ?? 1);
}
