// The request body parser: JSON read with a size and a nesting limit while it arrives, errors as ApiErrors (400 50109,
// 413 40005), multipart refused. test/http/request-bodies.test.ts runs it against every route of a live server.
import { describe, expect, it } from 'bun:test';
import { ApiError } from '../../src/http/api-error.ts';
import { MAX_BODY_BYTES } from '../../src/http/body-limit.ts';
import { MAX_JSON_DEPTH, NestingGauge, parseJsonBody, parseRequestBody, readJsonBody } from '../../src/http/json-body.ts';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const errorOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

describe('parseJsonBody', () => {
  it('parses JSON like JSON.parse', () => {
    expect(parseJsonBody('{"a":[1,{"b":null}],"c":"x"}')).toEqual({ a: [1, { b: null }], c: 'x' });
  });

  it(`accepts ${MAX_JSON_DEPTH} levels and refuses ${MAX_JSON_DEPTH + 1} with 400 and code 50109`, () => {
    expect(parseJsonBody(nested(MAX_JSON_DEPTH))).toBeArray();
    const error = errorOf(() => parseJsonBody(nested(MAX_JSON_DEPTH + 1)));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).toJSON()).toEqual({ code: 50109, message: `The request body nests deeper than ${MAX_JSON_DEPTH} levels.` });
    expect((error as ApiError).status).toBe(400);
  });

  it('counts objects and arrays alike, and depth rather than total brackets', () => {
    expect(() => parseJsonBody(`${'{"a":'.repeat(MAX_JSON_DEPTH + 1)}1${'}'.repeat(MAX_JSON_DEPTH + 1)}`)).toThrow(ApiError);
    const wide = `[${Array.from({ length: 1000 }, () => '[[]]').join(',')}]`;
    expect(parseJsonBody(wide)).toHaveLength(1000);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ s: `${'['.repeat(100)}"\\${'{'.repeat(100)}` });
    expect(parseJsonBody(text)).toEqual(JSON.parse(text));
  });

  it('refuses a million levels at once, without a stack overflow', () => {
    const started = performance.now();
    expect(() => parseJsonBody(nested(1_000_000))).toThrow(ApiError);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it.each(['{', '{"a":1,}', "{'a':1}", 'undefined', '[1,2'])('refuses malformed JSON %p with 400 and code 50109', (text) => {
    const error = errorOf(() => parseJsonBody(text));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).toJSON()).toEqual({ code: 50109, message: 'The request body contains invalid JSON.' });
  });
});

describe('NestingGauge', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);

  it('carries depth, strings and escapes across chunk boundaries', () => {
    const gauge = new NestingGauge(3);
    expect(gauge.feed(bytes('[["a\\'))).toBe(true); // ends inside a string, right after a backslash
    expect(gauge.feed(bytes('"[[[[", '))).toBe(true); // the escaped quote does not close it; its brackets do not count
    expect(gauge.feed(bytes('"x"], [['))).toBe(true); // depth 3
    expect(gauge.feed(bytes('['))).toBe(false);
  });

  it('is not fooled by multi-byte UTF-8 characters', () => {
    const gauge = new NestingGauge(1);
    expect(gauge.feed(bytes('["ü€😀[[[", "☃"]'))).toBe(true);
    expect(gauge.feed(bytes('[['))).toBe(false);
  });
});

describe('readJsonBody', () => {
  const chunked = (...chunks: string[]) =>
    new Request('http://localhost/', {
      method: 'POST',
      body: new ReadableStream({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
          controller.close();
        },
      }),
    });

  it('parses a body that arrives in pieces', async () => {
    expect(await readJsonBody(chunked('{"a":[1,', '{"b":"x', 'y"}]}'))).toEqual({ a: [1, { b: 'xy' }] });
  });

  it('answers undefined for an empty or blank body', async () => {
    expect(await readJsonBody(new Request('http://localhost/', { method: 'POST' }))).toBeUndefined();
    expect(await readJsonBody(chunked(' ', '\n'))).toBeUndefined();
  });

  it(`refuses past ${MAX_JSON_DEPTH} levels as soon as the chunk that crosses it arrives, without reading on`, async () => {
    let pulled = 0;
    const endless = new ReadableStream({
      pull(controller) {
        pulled++;
        controller.enqueue(new TextEncoder().encode('['.repeat(10)));
      },
    });
    const error = await readJsonBody(new Request('http://localhost/', { method: 'POST', body: endless })).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).toJSON()).toEqual({ code: 50109, message: `The request body nests deeper than ${MAX_JSON_DEPTH} levels.` });
    expect(pulled).toBeLessThan(10);
  });

  it('reads a body of a declared length whole (as app.ts hands Elysia every body), with the same limits', async () => {
    const whole = (body: string, length = Buffer.byteLength(body)) =>
      new Request('http://localhost/', { method: 'POST', headers: { 'content-length': String(length) }, body });
    expect(await readJsonBody(whole('{"a":[1,{"b":"é"}]}'))).toEqual({ a: [1, { b: 'é' }] });
    expect(await readJsonBody(whole(' '))).toBeUndefined();
    const deep = (await readJsonBody(whole(nested(MAX_JSON_DEPTH + 1))).catch((e) => e)) as ApiError;
    expect(deep.toJSON()).toEqual({ code: 50109, message: `The request body nests deeper than ${MAX_JSON_DEPTH} levels.` });
    // A declared length is the client's word: the bytes that came are what count.
    const large = (await readJsonBody(whole(`"${'x'.repeat(MAX_BODY_BYTES)}"`, 10)).catch((e) => e)) as ApiError;
    expect({ status: large.status, code: large.toJSON().code }).toEqual({ status: 413, code: 40005 });
  });

  it('refuses a body past 1 MiB with 413 and code 40005', async () => {
    const error = await readJsonBody(chunked(`"${'x'.repeat(MAX_BODY_BYTES / 2)}`, `${'x'.repeat(MAX_BODY_BYTES / 2)}"`)).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect({ status: (error as ApiError).status, ...(error as ApiError).toJSON() }).toEqual({
      status: 413,
      code: 40005,
      message: 'Request entity too large (1 MiB at most)',
    });
  });
});

describe('parseRequestBody', () => {
  const hook = (body: string, contentType: string) =>
    parseRequestBody({ request: new Request('http://localhost/', { method: 'POST', body, headers: { 'content-type': contentType } }), contentType });

  it('parses application/json in any letter case', async () => {
    expect(await hook('{"a":1}', 'application/json')).toEqual({ a: 1 });
    expect(await hook('{"a":1}', 'Application/JSON')).toEqual({ a: 1 });
  });

  it('refuses multipart with 400, 50035 on files', async () => {
    const error = await hook('--x--', 'multipart/form-data').catch((e) => e);
    expect((error as ApiError).toJSON()).toMatchObject({ code: 50035, errors: { files: { _errors: [{ code: 'UNSUPPORTED_BY_SERVER' }] } } });
  });

  it('leaves flat types (text, urlencoded) to Elysia', async () => {
    expect(await hook('a=1', 'application/x-www-form-urlencoded')).toBeUndefined();
    expect(await hook('[[[', 'text/plain')).toBeUndefined();
  });

  it('rejects a malformed JSON body', async () => {
    await expect(hook('{nope', 'application/json')).rejects.toBeInstanceOf(ApiError);
  });
});
