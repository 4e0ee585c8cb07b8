import { describe, expect, it } from 'bun:test';
import { sniffContentType, sniffImage } from '../../src/files/sniff.ts';
import { gif, jpeg, png, webp } from '../support/images.ts';

const text = (s: string) => new TextEncoder().encode(s);

describe('sniffImage', () => {
  it('reads the format, size and animation of PNG, APNG, JPEG, GIF and WebP', () => {
    expect(sniffImage(png(5, 7))).toEqual({ format: 'png', contentType: 'image/png', width: 5, height: 7, animated: false });
    expect(sniffImage(png(2, 2, undefined, true))).toMatchObject({ format: 'png', animated: true });
    expect(sniffImage(jpeg(640, 480))).toEqual({ format: 'jpeg', contentType: 'image/jpeg', width: 640, height: 480, animated: false });
    expect(sniffImage(gif())).toEqual({ format: 'gif', contentType: 'image/gif', width: 1, height: 1, animated: false });
    expect(sniffImage(gif(2))).toMatchObject({ format: 'gif', animated: true });
    expect(sniffImage(webp())).toEqual({ format: 'webp', contentType: 'image/webp', width: 1, height: 1, animated: false });
    expect(sniffImage(webp(true, 300, 200))).toEqual({ format: 'webp', contentType: 'image/webp', width: 300, height: 200, animated: true });
  });

  it('refuses what only claims to be an image', () => {
    expect(sniffImage(text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).toBeNull();
    expect(sniffImage(png().subarray(0, 20))).toBeNull();
    expect(sniffImage(new Uint8Array())).toBeNull();
    expect(sniffImage(Buffer.from([0xff, 0xd8, 0xff, 0x00, 0x00]))).toBeNull();
  });
});

describe('sniffContentType', () => {
  it('names images and known binary formats by their bytes, never by a claim', () => {
    expect(sniffContentType(png())).toBe('image/png');
    expect(sniffContentType(text('%PDF-1.7\n...'))).toBe('application/pdf');
    expect(sniffContentType(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2]))).toBe('application/zip');
  });

  it('calls HTML, SVG and script plain text, and binary noise an octet stream', () => {
    expect(sniffContentType(text('<!doctype html><script>alert(1)</script>'))).toBe('text/plain; charset=utf-8');
    expect(sniffContentType(text('<svg onload="alert(1)"/>'))).toBe('text/plain; charset=utf-8');
    expect(sniffContentType(text('héllo wörld\n'))).toBe('text/plain; charset=utf-8');
    expect(sniffContentType(Buffer.from([0x00, 0xfe, 0x13, 0x37]))).toBe('application/octet-stream');
    expect(sniffContentType(Buffer.from([0xc3, 0x28]))).toBe('application/octet-stream');
    expect(sniffContentType(new Uint8Array())).toBe('application/octet-stream');
  });
});
