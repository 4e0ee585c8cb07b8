// Builds the release artifacts: dist/harmony (one self-contained executable with the web app,
// docs and migrations inside) and dist/HarmonyClient.js (the dependency-free bot SDK).
import { rmSync } from 'node:fs';
import { buildSdk } from './src/sdk/build-sdk.ts';

const outdir = 'dist';
rmSync(outdir, { recursive: true, force: true });

const result = await Bun.build({
  entrypoints: ['src/main.ts'],
  compile: {
    outfile: `${outdir}/harmony`,
    // The binary must behave the same wherever it is started: no stray .env, bunfig, tsconfig or package.json.
    autoloadDotenv: false,
    autoloadBunfig: false,
    autoloadTsconfig: false,
    autoloadPackageJson: false,
  },
  // Identifier renaming breaks Elysia; whitespace and syntax minification are safe.
  minify: { whitespace: true, syntax: true, identifiers: false },
  define: { 'process.env.NODE_ENV': '"production"' },
});

if (!result.success) {
  for (const log of result.logs) console.error(log);
  process.exit(1);
}

await buildSdk(outdir);
const size = (Bun.file(`${outdir}/harmony`).size / 1024 / 1024).toFixed(1);
console.log(`built ${outdir}/harmony (${size} MiB) and ${outdir}/HarmonyClient.js`);
