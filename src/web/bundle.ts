// The web app's built files, held in memory with their gzip and brotli forms. Inside `dist/harmony`
// they come from the HTML import Bun embedded at compile time; run from source, Bun builds them once.
import { brotliCompressSync, constants as zlib } from 'node:zlib';
import type { HTMLBundle } from 'bun';

export type WebAsset = {
  name: string;
  type: string;
  etag: string;
  identity: Uint8Array;
  gzip: Uint8Array;
  br: Uint8Array;
};

export type WebBundle = {
  /** The page, with its asset URLs rewritten to `assets/<name>` (relative to the <base> serve.ts adds). */
  html: string;
  /** By file name (`chunk-1a2b3c.js`). */
  assets: Map<string, WebAsset>;
};

export type BuiltFile = { name: string; type: string; bytes: Uint8Array };

/** Reads the files Bun embedded (compiled binary) or builds them (running from source). */
export async function loadWebBundle(entry: HTMLBundle): Promise<WebBundle> {
  const files = entry.files ? await embeddedFiles(entry.files) : await buildFiles(entry.index);
  const page = files.find((f) => f.name.endsWith('.html'));
  if (!page) throw new Error('web bundle has no HTML page');
  const assets = new Map<string, WebAsset>();
  let html = new TextDecoder().decode(page.bytes);
  for (const file of files) {
    if (file === page) continue;
    assets.set(file.name, compressAsset(file));
    // Bun writes "/chunk-x.js" (compiled) or "./chunk-x.js" (Bun.build); both become relative to the
    // <base> serve.ts adds, which keeps them working behind a path prefix.
    html = html.replaceAll(`"/${file.name}"`, `"assets/${file.name}"`).replaceAll(`"./${file.name}"`, `"assets/${file.name}"`);
  }
  return { html, assets };
}

async function embeddedFiles(files: NonNullable<HTMLBundle['files']>): Promise<BuiltFile[]> {
  return Promise.all(files.map(async (f) => ({ name: baseName(f.path), type: f.headers['content-type'], bytes: await Bun.file(f.path).bytes() })));
}

async function buildFiles(htmlPath: string): Promise<BuiltFile[]> {
  const result = await Bun.build({
    entrypoints: [htmlPath],
    target: 'browser',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  if (!result.success) throw new AggregateError(result.logs, 'building the web app failed');
  return Promise.all(result.outputs.map(async (o) => ({ name: baseName(o.path), type: o.type, bytes: new Uint8Array(await o.arrayBuffer()) })));
}

/**
 * Brotli's best quality costs about 2 s per MiB on one core; past this size (the API reference's 1.7 MB
 * bundle) quality 9 keeps the first request fast for output within 10% of the best.
 */
const BEST_BROTLI_MAX_BYTES = 512 * 1024;

export function compressAsset(file: BuiltFile): WebAsset {
  const quality = file.bytes.byteLength > BEST_BROTLI_MAX_BYTES ? 9 : zlib.BROTLI_MAX_QUALITY;
  return {
    name: file.name,
    type: file.type,
    etag: `"${Bun.hash(file.bytes).toString(36)}"`,
    identity: file.bytes,
    gzip: Bun.gzipSync(file.bytes as Uint8Array<ArrayBuffer>, { level: 9 }),
    br: brotliCompressSync(file.bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: quality } }),
  };
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
