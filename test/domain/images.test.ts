// decodeImage: a data URI in, checked bytes and a content hash out, or 50035 naming the field.
import { describe, expect, it } from 'bun:test';
import { createHash } from 'node:crypto';
import { decodeImage } from '../../src/domain/images.ts';
import { ApiError } from '../../src/http/api-error.ts';
import { dataUri, gif, jpeg, png, webp } from '../support/images.ts';

function refusal(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    if (error instanceof ApiError) return { status: error.status, code: error.code, errors: error.errors };
    throw error;
  }
  throw new Error('expected a refusal');
}

const invalid = (field: string) => ({ status: 400, code: 50035, errors: { [field]: { _errors: [{ code: 'IMAGE_INVALID', message: 'Invalid image data' }] } } });

describe('decodeImage', () => {
  it('names an image by the first 128 bits of its SHA-256, a_-prefixed when animated, whatever type the URI claims', () => {
    const bytes = png(3, 3);
    const digest = createHash('sha256').update(bytes).digest('hex');
    const upload = decodeImage('avatar', dataUri(bytes, 'image/gif'), 1024);
    expect({ hash: upload.hash, key: upload.fileKey, type: upload.info.contentType }).toEqual({
      hash: digest.slice(0, 32),
      key: `images/${digest.slice(0, 2)}/${digest}`,
      type: 'image/png',
    });
    expect(decodeImage('avatar', dataUri(gif(2), 'image/gif'), 1024).hash).toMatch(/^a_[0-9a-f]{32}$/);
    expect(decodeImage('avatar', dataUri(webp(true, 4, 4), 'image/webp'), 1024).hash).toMatch(/^a_/);
    expect(decodeImage('avatar', dataUri(png(2, 2, undefined, true), 'image/png'), 1024).hash).toMatch(/^a_/);
    expect(decodeImage('icon', dataUri(jpeg(), 'image/jpeg'), 1024).info.format).toBe('jpeg');
  });

  it('takes a data URI with parameters and no declared type', () => {
    const base64 = Buffer.from(png()).toString('base64');
    expect(decodeImage('image', `data:image/png;charset=utf-8;base64,${base64}`, 1024).info.format).toBe('png');
    expect(decodeImage('image', `data:;base64,${base64}`, 1024).info.format).toBe('png');
  });

  it('refuses what is not a base64 data URI of a PNG, JPEG, GIF or WebP, naming the field', () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>');
    for (const value of [
      '',
      'https://example.com/a.png',
      `data:image/png,${Buffer.from(png()).toString('base64')}`,
      'data:image/png;base64,abc',
      'data:image/png;base64,',
      dataUri(svg, 'image/svg+xml'),
      dataUri(Buffer.concat([Buffer.from(png()).subarray(0, 8), Buffer.from('<html>')]), 'image/png'),
    ]) {
      expect(refusal(() => decodeImage('icon', value, 1024))).toEqual(invalid('icon'));
    }
  });

  it('refuses more than maxBytes from the encoded length, before decoding', () => {
    const bytes = png(2, 2);
    expect(decodeImage('image', dataUri(bytes, 'image/png'), bytes.length).bytes.length).toBe(bytes.length);
    expect(refusal(() => decodeImage('image', dataUri(bytes, 'image/png'), bytes.length - 1))).toEqual({
      status: 400,
      code: 50035,
      errors: { image: { _errors: [{ code: 'BINARY_TYPE_MAX_SIZE', message: `File cannot be larger than ${Math.round((bytes.length - 1) / 1024)} KiB.` }] } },
    });
  });
});
