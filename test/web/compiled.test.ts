// The web app and the API reference inside a compiled binary: `bun build --compile` embeds the HTML import's
// files and the API reference's `with { type: 'file' }` imports, and both are read from the binary (not from
// disk, not rebuilt). Built with build.ts's minify options.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SWAGGER_UI_BUNDLE = join(import.meta.dir, '..', '..', 'node_modules', 'swagger-ui-dist', 'swagger-ui-bundle.js');

let dir: string;
let child: ReturnType<typeof Bun.spawn> | null = null;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'harmony-web-bin-'));
  const outfile = join(dir, 'web-only');
  const result = await Bun.build({
    entrypoints: [join(import.meta.dir, 'fixtures', 'web-only-server.ts')],
    compile: { outfile, autoloadDotenv: false, autoloadBunfig: false },
    minify: { whitespace: true, syntax: true, identifiers: false },
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  if (!result.success) throw new AggregateError(result.logs, 'compile failed');
  // Started from an empty folder, as a person runs dist/harmony.
  child = Bun.spawn([outfile], { cwd: dir, stdout: 'pipe', stderr: 'inherit' });
  const reader = (child.stdout as ReadableStream<Uint8Array>).getReader();
  const { value } = await reader.read();
  url = new TextDecoder().decode(value).trim();
}, 60_000);

afterAll(() => {
  child?.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe('the web app in a compiled binary', () => {
  it('serves the embedded page with relative asset URLs, and every asset it names', async () => {
    const page = await fetch(`${url}app/channels/1/2`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<base href="../../../">');
    const assets = [...html.matchAll(/(?:src|href)="(assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.filter((a) => a.endsWith('.js'))).toHaveLength(1);
    expect(assets.filter((a) => a.endsWith('.css'))).toHaveLength(1);
    expect(html).not.toMatch(/(?:src|href)="\/chunk-/);
    let js = 0;
    for (const asset of assets) {
      const res = await fetch(url + asset, { headers: { 'accept-encoding': 'br' }, decompress: false });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-encoding')).toBe('br');
      const raw = await (await fetch(url + asset, { headers: { 'accept-encoding': 'identity' } })).arrayBuffer();
      if (asset.endsWith('.js')) js += raw.byteLength;
    }
    // build.ts keeps identifiers (Elysia needs them), so this is the larger of the two builds.
    expect(js).toBeLessThan(300 * 1024);
    // The emoji picker's list, fetched when first needed, comes from the binary too.
    const emoji = await fetch(`${url}assets/emoji.json`);
    expect(emoji.status).toBe(200);
    expect(JSON.stringify(await emoji.json())).toContain('"thumbs up"');
  });
});

describe('the API reference in a compiled binary', () => {
  it('serves /docs under its CSP and every asset it names, from the binary', async () => {
    const page = await fetch(`${url}docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toStartWith("default-src 'none'; script-src 'self';");
    const assets = [...(await page.text()).matchAll(/(?:src|href)="(docs\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toHaveLength(4);
    for (const asset of assets) {
      const res = await fetch(url + asset, { headers: { 'accept-encoding': 'identity' } });
      expect({ asset, status: res.status }).toEqual({ asset, status: 200 });
      expect(res.headers.get('content-type')).toBe(asset.endsWith('.js') ? 'text/javascript;charset=utf-8' : 'text/css;charset=utf-8');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const bytes = await res.bytes();
      if (asset.includes('/swagger-ui-bundle-')) expect(bytes).toEqual(await Bun.file(SWAGGER_UI_BUNDLE).bytes());
      else expect(bytes.byteLength).toBeGreaterThan(0);
    }
  });
});
