// Discord's error JSON for the v10 dialect: { message, code } (+ errors for 50035), and for 429s
// { message, retry_after, global, code } with the headers @discordjs/rest waits on. The numbering is
// shared with v1 (toApiError); only the answer is built here.
import { RESTJSONErrorCodes as Codes } from 'discord-api-types/v10';
import { ApiError, type FieldErrors } from '../../http/api-error.ts';
import { jsonResponse, toApiError } from '../../http/error-response.ts';
import { RateLimitedError } from '../../http/rate-limited-error.ts';
import { StorageError } from '../../http/storage-failure.ts';

export function discordErrorResponse(code: string | number, error: unknown): Response {
  const apiError = toApiError(code, error);
  if (apiError instanceof RateLimitedError) {
    return jsonResponse(429, { message: apiError.message, retry_after: apiError.retryAfter, global: apiError.global, code: apiError.code }, apiError.headers);
  }
  const body: { message: string; code: number; errors?: FieldErrors } = { message: apiError.message, code: apiError.code };
  if (apiError.errors) body.errors = apiError.errors;
  return jsonResponse(apiError.status, body, apiError instanceof StorageError ? apiError.headers : {});
}

/** A 50035 naming every field this server does not implement, so a bot learns why instead of losing data silently. */
export function unsupportedFields(fields: Record<string, string>): ApiError {
  const errors: FieldErrors = {};
  for (const [field, message] of Object.entries(fields)) errors[field] = { _errors: [{ code: 'UNSUPPORTED_BY_SERVER', message }] };
  return new ApiError(400, Codes.InvalidFormBodyOrContentType, 'Invalid Form Body', errors);
}
