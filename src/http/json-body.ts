// JSON request bodies, parsed with a nesting limit. Elysia pretty-prints a rejected body into its validation
// error, which takes time quadratic in the depth (seconds for 10 000 levels, well under 1 MiB) and overflows the
// stack beyond that; no request of ours nests deeper than a few levels.
// The Discord dialect keeps the digits of integers too big for a JS number (see exact-json.ts); the v1 API takes
// snowflakes as strings only, as the seed documents, since a JS client's integer id has already been rounded.
import { RESTJSONErrorCodes as Codes } from 'discord-api-types/v10';
import { ApiError } from './api-error.ts';
import { parseExactJson } from './exact-json.ts';

export const MAX_JSON_DEPTH = 32;

export type JsonIntegers = 'exact' | 'number';

/** Parses a JSON body; ApiError 400 (50109) for malformed or too deeply nested JSON. */
export function parseJsonBody(text: string, integers: JsonIntegers = 'number'): unknown {
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new ApiError(400, Codes.RequestBodyContainsInvalidJSON, `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`);
  }
  try {
    return integers === 'exact' ? parseExactJson(text) : JSON.parse(text);
  } catch {
    throw new ApiError(400, Codes.RequestBodyContainsInvalidJSON, 'The request body contains invalid JSON.');
  }
}

/** One linear pass over brackets outside strings; malformed input is left for JSON.parse to refuse. */
function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/**
 * Elysia parse hooks for `application/json` bodies: numbers as JSON.parse reads them (v1), or integers past 2^53
 * kept as their digits (the Discord dialect). An empty body is left to Elysia (so an optional body may be
 * omitted); anything else goes through parseJsonBody.
 */
const parserFor =
  (integers: JsonIntegers) =>
  async ({ request, contentType }: { request: Request; contentType: string }): Promise<unknown> => {
    if (!contentType.toLowerCase().startsWith('application/json')) return undefined;
    const text = await request.text();
    return text.trim() === '' ? undefined : parseJsonBody(text, integers);
  };

export const jsonBodyParser = parserFor('number');
export const exactJsonBodyParser = parserFor('exact');
