// Produces the SDK as shipped: one dependency-free ESM file, HarmonyClient.js, that a browser, Bun or Node 20
// can import as-is, plus HarmonyClient.d.ts (hand-written in published-declarations.d.ts, checked against the code).
import { join } from 'node:path';

const ENTRY = join(import.meta.dir, 'harmony-client.ts');
const DECLARATIONS = join(import.meta.dir, 'published-declarations.d.ts');

export async function buildSdk(outdir: string): Promise<void> {
  const result = await Bun.build({
    entrypoints: [ENTRY],
    outdir,
    naming: 'HarmonyClient.js',
    target: 'browser',
    format: 'esm',
    // Whitespace and syntax only: readable stack traces for SDK users, and identifiers are kept.
    minify: { whitespace: false, syntax: true, identifiers: false },
    // Only reached on Node 20 through a computed import(); never bundled.
    external: ['ws'],
    sourcemap: 'none',
  });
  if (!result.success) {
    const details = result.logs.map((log) => String(log)).join('\n');
    throw new Error(`HarmonyClient SDK build failed:\n${details}`);
  }
  await Bun.write(join(outdir, 'HarmonyClient.d.ts'), Bun.file(DECLARATIONS));
}
