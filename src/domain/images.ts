// Uploaded pictures (avatars, guild icons, custom emoji) arrive as data URIs, as Discord's API takes them. The bytes
// decide what they are (sniffImage): the declared type is ignored, and anything but PNG, JPEG, GIF or WebP with a
// readable size is refused with 50035 on the field, before anything is stored. An image is named by its content
// hash, `a_`-prefixed when it animates, so its URL never changes meaning and can be cached for good.
import { createHash } from 'node:crypto';
import type { FileStore } from '../files/file-store.ts';
import { type ImageInfo, sniffImage } from '../files/sniff.ts';
import { invalidField } from '../http/api-error.ts';
import type { StoredImage } from './model/image.ts';

export type { StoredImage } from './model/image.ts';

/**
 * Largest avatar or guild icon, decoded. Discord allows 10 MiB, but every request body here is at most 1 MiB
 * (src/http/body-limit.ts), and a base64 data URI is 4/3 of the bytes: 512 KiB keeps the whole upload in one body.
 */
export const PROFILE_IMAGE_MAX_BYTES = 512 * 1024;
/** Discord's limit for an emoji image. */
export const EMOJI_IMAGE_MAX_BYTES = 256 * 1024;

export type ImageUpload = { bytes: Uint8Array; info: ImageInfo; hash: string; fileKey: string };

const DATA_URI = /^data:([a-z]+\/[a-z0-9.+-]+)?(;[a-z0-9-]+=[^;,]*)*;base64,([A-Za-z0-9+/]*={0,2})$/i;
const kib = (n: number) => `${Math.round(n / 1024)} KiB`;

/** Decodes and checks a data URI for `field`; throws 50035 naming the field when it is not an acceptable image. */
export function decodeImage(field: string, value: string, maxBytes: number): ImageUpload {
  const match = DATA_URI.exec(value.trim());
  const base64 = match?.[3];
  if (base64 === undefined || base64.length % 4 !== 0) throw invalidField(field, 'IMAGE_INVALID', 'Invalid image data');
  // Size first, from the encoded length, so an oversized upload is refused without decoding it.
  if ((base64.length / 4) * 3 - (base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0) > maxBytes) {
    throw invalidField(field, 'BINARY_TYPE_MAX_SIZE', `File cannot be larger than ${kib(maxBytes)}.`);
  }
  const bytes = new Uint8Array(Buffer.from(base64, 'base64'));
  const info = bytes.length > 0 ? sniffImage(bytes) : null;
  if (!info) throw invalidField(field, 'IMAGE_INVALID', 'Invalid image data');
  const digest = createHash('sha256').update(bytes).digest('hex');
  return { bytes, info, hash: `${info.animated ? 'a_' : ''}${digest.slice(0, 32)}`, fileKey: `images/${digest.slice(0, 2)}/${digest}` };
}

/** Writes an upload's bytes before the row that names them is committed; the same bytes land on the same key. */
export async function storeImage(files: FileStore, upload: ImageUpload): Promise<void> {
  await files.put(upload.fileKey, upload.bytes);
}

export function storedImage(upload: ImageUpload): StoredImage {
  return {
    hash: upload.hash,
    fileKey: upload.fileKey,
    contentType: upload.info.contentType,
    size: upload.bytes.length,
    width: upload.info.width,
    height: upload.info.height,
  };
}

/** The image for an avatar or icon field: undefined leaves it, null clears it, a string must be a data URI image. */
export async function prepareProfileImage(field: string, value: string | null | undefined, files: FileStore): Promise<ImageUpload | null | undefined> {
  if (value === undefined || value === null) return value;
  const upload = decodeImage(field, value, PROFILE_IMAGE_MAX_BYTES);
  await storeImage(files, upload);
  return upload;
}
