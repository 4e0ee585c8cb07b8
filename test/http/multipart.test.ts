// The multipart reader of the routes that take files: what Discord libraries and browsers send, read exactly
// (bytes kept, field values left as text, names flat), and every limit refused at its edge.
import { describe, expect, it } from 'bun:test';
import { ApiError } from '../../src/http/api-error.ts';
import { boundaryOf, MAX_FIELDS, parseMultipart } from '../../src/http/multipart.ts';

const LIMITS = { maxFileBytes: 100, maxFiles: 2 };

/** A body as a browser's FormData serializes it, with its Content-Type. */
async function encode(form: FormData): Promise<{ body: Uint8Array; type: string }> {
  const request = new Request('http://x/', { method: 'POST', body: form });
  // Read before the body: Bun's Request drops a FormData body's Content-Type once the body is consumed.
  const type = request.headers.get('content-type') ?? '';
  return { body: new Uint8Array(await request.arrayBuffer()), type };
}

function raw(parts: string[], boundary = 'B'): Uint8Array {
  return new TextEncoder().encode(`${parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('')}--${boundary}--\r\n`);
}

function refusal(run: () => unknown): { status: number; code: number; errors: unknown } {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return { status: error.status, code: error.code, errors: error.errors };
    throw error;
  }
  throw new Error('not refused');
}

describe('parseMultipart', () => {
  it('reads payload_json and files[n] as FormData sends them, bytes exact (CRLF and boundary-like text included)', async () => {
    const bytes = new Uint8Array([0, 13, 10, 45, 45, 255, 13, 10]);
    const form = new FormData();
    form.set('payload_json', '{"content":"[[[ not parsed here"}');
    form.append('files[0]', new Blob([bytes]), 'a.bin');
    form.append('files[1]', new Blob(['--not-the-boundary\r\n']), 'ünïcode name.txt');
    const { body, type } = await encode(form);
    const parsed = parseMultipart(body, type, LIMITS);
    expect(Object.fromEntries(parsed.fields)).toEqual({ payload_json: '{"content":"[[[ not parsed here"}' });
    expect(parsed.files.map((f) => [f.name, f.filename, [...f.bytes]])).toEqual([
      ['files[0]', 'a.bin', [...bytes]],
      ['files[1]', 'ünïcode name.txt', [...new TextEncoder().encode('--not-the-boundary\r\n')]],
    ]);
  });

  it('keeps dotted names flat and takes RFC 5987 filename*, a quoted boundary and a preamble', () => {
    const body = new TextEncoder().encode(
      'preamble\r\n--"q"\r\nContent-Disposition: form-data; name="a.b.c"\r\n\r\nx\r\n--"q"\r\nContent-Disposition: form-data; name="f"; filename="ignored"; filename*=UTF-8\'\'caf%C3%A9.txt\r\nContent-Type: text/html\r\n\r\nhi\r\n--"q"--\r\n',
    );
    const fixed = new TextDecoder().decode(body).replaceAll('--"q"', '--q');
    const parsed = parseMultipart(new TextEncoder().encode(fixed), 'multipart/form-data; boundary="q"', LIMITS);
    expect(Object.fromEntries(parsed.fields)).toEqual({ 'a.b.c': 'x' });
    expect(parsed.files.map((f) => f.filename)).toEqual(['café.txt']);
  });

  it('refuses a file over the limit with 413 40005, and one file too many with 50035 on attachments', () => {
    const big = raw([`Content-Disposition: form-data; name="files[0]"; filename="a"\r\n\r\n${'x'.repeat(101)}`]);
    expect(refusal(() => parseMultipart(big, 'multipart/form-data; boundary=B', LIMITS))).toMatchObject({ status: 413, code: 40005 });
    const atLimit = raw([`Content-Disposition: form-data; name="files[0]"; filename="a"\r\n\r\n${'x'.repeat(100)}`]);
    expect(parseMultipart(atLimit, 'multipart/form-data; boundary=B', LIMITS).files[0]?.bytes.length).toBe(100);
    const three = raw([0, 1, 2].map((i) => `Content-Disposition: form-data; name="files[${i}]"; filename="f${i}"\r\n\r\nx`));
    expect(refusal(() => parseMultipart(three, 'multipart/form-data; boundary=B', LIMITS))).toMatchObject({
      status: 400,
      code: 50035,
      errors: { attachments: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } },
    });
  });

  it(`refuses more than ${MAX_FIELDS} plain fields, a part header over 8 KiB, and malformed bodies with 50035`, () => {
    const fields = raw(Array.from({ length: MAX_FIELDS + 1 }, (_, i) => `Content-Disposition: form-data; name="f${i}"\r\n\r\nv`));
    expect(refusal(() => parseMultipart(fields, 'multipart/form-data; boundary=B', LIMITS))).toMatchObject({ status: 400, code: 50035 });
    const header = raw([`Content-Disposition: form-data; name="${'n'.repeat(9000)}"\r\n\r\nv`]);
    expect(refusal(() => parseMultipart(header, 'multipart/form-data; boundary=B', LIMITS))).toMatchObject({ status: 400, code: 50035 });
    for (const [body, type] of [
      ['no boundary at all', 'multipart/form-data; boundary=B'],
      ['--B\r\nContent-Disposition: form-data; name="a"\r\n\r\nunterminated', 'multipart/form-data; boundary=B'],
      ['--B\r\nContent-Type: text/plain\r\n\r\nno name\r\n--B--', 'multipart/form-data; boundary=B'],
      ['--B--', 'multipart/form-data'],
    ] as const) {
      expect(refusal(() => parseMultipart(new TextEncoder().encode(body), type, LIMITS))).toMatchObject({
        status: 400,
        code: 50035,
        errors: { files: { _errors: [{ code: 'MULTIPART_INVALID' }] } },
      });
    }
  });

  it('reads an empty form', () => {
    expect(parseMultipart(new TextEncoder().encode('--B--\r\n'), 'multipart/form-data; boundary=B', LIMITS)).toEqual({ fields: new Map(), files: [] });
  });
});

describe('boundaryOf', () => {
  it('reads plain and quoted boundaries, and nothing from a type without one', () => {
    expect(boundaryOf('multipart/form-data; boundary=----WebKitFormBoundaryabc')).toBe('----WebKitFormBoundaryabc');
    expect(boundaryOf('multipart/form-data; charset=utf-8; boundary="a b"')).toBe('a b');
    expect(boundaryOf('multipart/form-data')).toBeNull();
  });
});
