// Discord's six default avatars (/embed/avatars/0..5.png), drawn at start-up by a tiny PNG encoder: a light
// figure (a head and shoulders) on each of Discord's six colours. Nothing is read from disk.
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const COLOURS: readonly (readonly [number, number, number])[] = [
  [0x58, 0x65, 0xf2],
  [0x75, 0x7e, 0x8a],
  [0x3b, 0xa5, 0x5c],
  [0xfa, 0xa6, 0x1a],
  [0xed, 0x42, 0x45],
  [0xeb, 0x45, 0x9f],
];

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(Bun.hash.crc32(body) >>> 0, 8 + data.length);
  return out;
}

/** An RGB PNG of SIZE×SIZE from a per-pixel colour function. */
export function encodePng(width: number, height: number, pixel: (x: number, y: number) => readonly [number, number, number]): Uint8Array {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * 3);
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), row + 1 + x * 3);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array()),
  ]);
}

const WHITE = [0xff, 0xff, 0xff] as const;

function drawAvatar(colour: readonly [number, number, number]): Uint8Array {
  const c = SIZE / 2;
  return encodePng(SIZE, SIZE, (x, y) => {
    const head = (x - c) ** 2 + (y - 0.42 * SIZE) ** 2 <= (0.17 * SIZE) ** 2;
    const shoulders = y >= 0.66 * SIZE && y <= 0.8 * SIZE && (x - c) ** 2 / (0.28 * SIZE) ** 2 + (y - 0.8 * SIZE) ** 2 / (0.16 * SIZE) ** 2 <= 1;
    return head || shoulders ? WHITE : colour;
  });
}

/** The six PNGs, index = Discord's default avatar index. */
export const DEFAULT_AVATARS: readonly Uint8Array[] = COLOURS.map(drawAvatar);
