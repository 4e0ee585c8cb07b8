// Turns anything thrown while handling a request into the JSON error the bot dialects share:
// { code, message } (+ errors). Never a stack trace; unexpected errors are logged, not echoed.
import { RESTJSONErrorCodes as Codes } from 'discord-api-types/v10';
import { ApiError, type FieldErrors, unknown } from './api-error.ts';
import { storageFailure } from './storage-failure.ts';

type ValueErrorLike = { path?: string; message?: string };
type ElysiaErrorLike = { all?: ValueErrorLike[]; valueError?: ValueErrorLike };

/** Elysia's validation errors, in Discord's nested 50035 shape. */
function fromValidation(error: ElysiaErrorLike, on: string): ApiError {
  // Field names come from the client (an unknown "__proto__" key is reported too), so every node is a
  // prototype-less object: on a plain one, node['__proto__'] is Object.prototype and writing there pollutes it.
  const errors: FieldErrors = Object.create(null);
  const list = error.all?.length ? error.all : error.valueError ? [error.valueError] : [];
  for (const item of list.slice(0, 10)) {
    const parts = (item.path ?? '').split('/').filter(Boolean);
    // Elysia reports a coerced query number (limit=0) as type 'property', without its name.
    if (parts.length === 0) parts.push(on === 'body' ? '_body' : on === 'property' ? 'query' : on);
    let node = errors as Record<string, unknown>;
    for (const part of parts) {
      if (!Object.hasOwn(node, part)) node[part] = Object.create(null);
      node = node[part] as Record<string, unknown>;
    }
    if (!Object.hasOwn(node, '_errors')) node._errors = [];
    (node._errors as { code: string; message: string }[]).push({ code: 'BASE_TYPE_INVALID', message: item.message ?? 'Invalid value' });
  }
  return new ApiError(400, Codes.InvalidFormBodyOrContentType, 'Invalid Form Body', errors);
}

export function toApiError(code: string | number, error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  switch (code) {
    case 'VALIDATION':
      return fromValidation(error as ElysiaErrorLike, (error as { type?: string }).type ?? 'body');
    case 'PARSE':
      // A parse hook's own ApiError (see json-body.ts) arrives wrapped in Elysia's ParseError.
      if ((error as { cause?: unknown } | null)?.cause instanceof ApiError) return (error as { cause: ApiError }).cause;
      return new ApiError(400, Codes.RequestBodyContainsInvalidJSON, 'The request body contains invalid JSON.');
    case 'NOT_FOUND':
      return unknown.route();
    case 'INVALID_COOKIE_SIGNATURE':
    case 'INVALID_FILE_TYPE':
      return new ApiError(400, Codes.GeneralError, 'Bad request');
  }
  const storage = storageFailure(error);
  if (storage) {
    console.error(`storage failure: ${storage.status} ${error instanceof Error ? error.message : String(error)}`);
    return storage;
  }
  console.error('unexpected error:', error instanceof Error ? (error.stack ?? error.message) : error);
  return new ApiError(500, Codes.GeneralError, 'Internal Server Error');
}

/** JSON is always UTF-8 (RFC 8259), and Discord, whom several libraries compare the header against, sends no parameter. */
export const JSON_CONTENT_TYPE = 'application/json';

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': JSON_CONTENT_TYPE, ...headers } });
}

/**
 * Every JSON answer labelled exactly `application/json`. Elysia serializes a handler's object with Response.json,
 * which says `application/json;charset=utf-8`, and discord.py and oceanic.js then read the body as text; app.ts
 * passes every response through here, so no route, dialect or error path has to remember it.
 */
export function withExactJsonType(response: Response): Response {
  const type = response.headers.get('content-type');
  if (type !== null && type !== JSON_CONTENT_TYPE && /^application\/json\s*;/i.test(type)) response.headers.set('content-type', JSON_CONTENT_TYPE);
  return response;
}
