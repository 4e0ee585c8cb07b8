// What an uploaded file really is, read from its bytes: a client's Content-Type and file name are never trusted.
// Images get their dimensions and whether they animate; everything that is not a known binary format is either
// plain text (valid UTF-8 without control bytes) or an opaque download. HTML and SVG are never recognised as
// such, so nothing a user uploads can come back as a page or a script.

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp';

export type ImageInfo = { format: ImageFormat; contentType: string; width: number; height: number; animated: boolean };

const IMAGE_TYPES: Record<ImageFormat, string> = { png: 'image/png', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp' };

/** Raster image types a browser may show inline: none of them can run script. */
export const INLINE_SAFE_TYPES: ReadonlySet<string> = new Set(Object.values(IMAGE_TYPES));

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0) =>
  bytes.length >= at + signature.length && signature.every((b, i) => bytes[at + i] === b);
const ascii = (bytes: Uint8Array, at: number, text: string) =>
  startsWith(
    bytes,
    [...text].map((c) => c.charCodeAt(0)),
    at,
  );

/** The byte at `i`, 0 past the end: a truncated file reads as zeros and fails its checks. */
const u8 = (b: Uint8Array, i: number) => b[i] ?? 0;
const be16 = (b: Uint8Array, at: number) => (u8(b, at) << 8) | u8(b, at + 1);
const be32 = (b: Uint8Array, at: number) => ((u8(b, at) << 24) | (u8(b, at + 1) << 16) | (u8(b, at + 2) << 8) | u8(b, at + 3)) >>> 0;
const le16 = (b: Uint8Array, at: number) => u8(b, at) | (u8(b, at + 1) << 8);
const le24 = (b: Uint8Array, at: number) => u8(b, at) | (u8(b, at + 1) << 8) | (u8(b, at + 2) << 16);
const le32 = (b: Uint8Array, at: number) => (u8(b, at) | (u8(b, at + 1) << 8) | (u8(b, at + 2) << 16) | (u8(b, at + 3) << 24)) >>> 0;

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function png(b: Uint8Array): ImageInfo | null {
  // The first chunk must be IHDR (width, height); an acTL chunk before IDAT makes it an animated PNG.
  if (!startsWith(b, PNG) || b.length < 33 || !ascii(b, 12, 'IHDR')) return null;
  let animated = false;
  for (let at = 8; at + 8 <= b.length; ) {
    const length = be32(b, at);
    if (ascii(b, at + 4, 'acTL')) animated = true;
    if (ascii(b, at + 4, 'IDAT') || ascii(b, at + 4, 'IEND')) break;
    at += 12 + length;
  }
  return image('png', be32(b, 16), be32(b, 20), animated);
}

function gif(b: Uint8Array): ImageInfo | null {
  if (!(ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a')) || b.length < 10) return null;
  // A GIF animates when it holds more than one image descriptor; counting them needs a walk of the blocks.
  return image('gif', le16(b, 6), le16(b, 8), gifFrames(b) > 1);
}

function gifFrames(b: Uint8Array): number {
  let at = 13;
  if (u8(b, 10) & 0x80) at += 3 * (1 << ((u8(b, 10) & 0x07) + 1));
  let frames = 0;
  const skipSubBlocks = (from: number) => {
    let p = from;
    while (p < b.length && u8(b, p) !== 0) p += u8(b, p) + 1;
    return p + 1;
  };
  while (at < b.length && frames < 2) {
    const marker = u8(b, at);
    if (marker === 0x2c) {
      frames++;
      const packed = u8(b, at + 9);
      at += 10;
      if (packed & 0x80) at += 3 * (1 << ((packed & 0x07) + 1));
      at = skipSubBlocks(at + 1);
    } else if (marker === 0x21) at = skipSubBlocks(at + 2);
    else break;
  }
  return frames;
}

function jpeg(b: Uint8Array): ImageInfo | null {
  if (!startsWith(b, [0xff, 0xd8, 0xff])) return null;
  // Walk the segments to the first start-of-frame marker (SOF0..SOF15 but DHT, JPG and DAC), which holds the size.
  for (let at = 2; at + 9 < b.length; ) {
    if (u8(b, at) !== 0xff) return null;
    const marker = u8(b, at + 1);
    if (marker === 0xff) {
      at++;
      continue;
    }
    const length = be16(b, at + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return image('jpeg', be16(b, at + 7), be16(b, at + 5), false);
    }
    at += 2 + length;
  }
  return null;
}

function webp(b: Uint8Array): ImageInfo | null {
  if (!ascii(b, 0, 'RIFF') || !ascii(b, 8, 'WEBP') || b.length < 30) return null;
  if (ascii(b, 12, 'VP8X')) {
    const animated = (u8(b, 20) & 0x02) !== 0;
    return image('webp', le24(b, 24) + 1, le24(b, 27) + 1, animated);
  }
  if (ascii(b, 12, 'VP8 ')) return image('webp', le16(b, 26) & 0x3fff, le16(b, 28) & 0x3fff, false);
  if (ascii(b, 12, 'VP8L')) {
    const bits = le32(b, 21);
    return image('webp', (bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1, false);
  }
  return null;
}

function image(format: ImageFormat, width: number, height: number, animated: boolean): ImageInfo | null {
  if (width <= 0 || height <= 0) return null;
  return { format, contentType: IMAGE_TYPES[format], width, height, animated };
}

/** The image the bytes hold (PNG, JPEG, GIF or WebP, with a readable size), or null. */
export function sniffImage(bytes: Uint8Array): ImageInfo | null {
  return png(bytes) ?? jpeg(bytes) ?? gif(bytes) ?? webp(bytes);
}

/** Other binary formats worth naming to a downloader; none of them is ever shown inline. */
const OTHER_SIGNATURES: [string, (b: Uint8Array) => boolean][] = [
  ['application/pdf', (b) => ascii(b, 0, '%PDF-')],
  ['application/zip', (b) => startsWith(b, [0x50, 0x4b, 0x03, 0x04]) || startsWith(b, [0x50, 0x4b, 0x05, 0x06])],
  ['application/gzip', (b) => startsWith(b, [0x1f, 0x8b])],
  ['audio/mpeg', (b) => ascii(b, 0, 'ID3') || (u8(b, 0) === 0xff && (u8(b, 1) & 0xe0) === 0xe0)],
  ['audio/ogg', (b) => ascii(b, 0, 'OggS')],
  ['audio/wav', (b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'WAVE')],
  ['video/mp4', (b) => ascii(b, 4, 'ftyp')],
  ['video/webm', (b) => startsWith(b, [0x1a, 0x45, 0xdf, 0xa3])],
];

/** Text: valid UTF-8 with no control bytes other than tab, newline, carriage return and form feed. */
function isText(bytes: Uint8Array): boolean {
  for (const c of bytes) if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The content type the bytes prove: an image type, a known binary type, text/plain, or application/octet-stream. */
export function sniffContentType(bytes: Uint8Array): string {
  const picture = sniffImage(bytes);
  if (picture) return picture.contentType;
  for (const [type, matches] of OTHER_SIGNATURES) if (matches(bytes)) return type;
  return bytes.length > 0 && isText(bytes) ? 'text/plain; charset=utf-8' : 'application/octet-stream';
}
