// The v1 JSON body parser: JSON.parse with a nesting limit, and errors as ApiErrors (400, 50109).
import { describe, expect, it } from 'bun:test';
import { ApiError } from '../../src/http/api-error.ts';
import { jsonBodyParser, MAX_JSON_DEPTH, parseJsonBody } from '../../src/http/json-body.ts';

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

describe('jsonBodyParser', () => {
  const request = (body: string, type = 'application/json') => ({
    request: new Request('http://localhost/', { method: 'POST', body, headers: { 'content-type': type } }),
    contentType: type,
  });

  it('parses application/json bodies, with or without a charset', async () => {
    expect(await jsonBodyParser(request('{"a":1}'))).toEqual({ a: 1 });
    expect(await jsonBodyParser(request('{"a":1}', 'application/json; charset=utf-8'))).toEqual({ a: 1 });
  });

  it('leaves other content types and empty bodies to Elysia (undefined)', async () => {
    expect(await jsonBodyParser(request('a=1', 'application/x-www-form-urlencoded'))).toBeUndefined();
    expect(await jsonBodyParser(request('  '))).toBeUndefined();
  });

  it('rejects a malformed body', async () => {
    await expect(jsonBodyParser(request('{nope'))).rejects.toBeInstanceOf(ApiError);
  });
});
