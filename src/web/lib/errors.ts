// Turns anything a call can throw into one sentence a person can act on. The API's own message
// comes first (it is written for people); field errors are listed; the status explains the rest.
import { HarmonyApiError, type HarmonyFieldErrors } from '../../sdk/errors.ts';

const BY_STATUS: Record<number, string> = {
  400: 'The server could not accept that.',
  401: 'Your session has ended. Please log in again.',
  403: 'You do not have permission to do that.',
  404: 'Not found.',
  413: 'That is too large.',
  429: 'Slow down: you are being rate limited.',
  500: 'The server had a problem. Try again.',
};

export function describeError(error: unknown): string {
  if (error instanceof HarmonyApiError) {
    const fields = fieldMessages(error.errors);
    const base = error.message && !/^\d{3}:/.test(error.message) ? error.message : (BY_STATUS[error.status] ?? `Request failed (${error.status}).`);
    return fields.length ? `${base}: ${fields.join('; ')}` : base;
  }
  if (error instanceof TypeError) return 'Cannot reach the server. Check your connection and try again.';
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}

/** `{ content: { _errors: [{ message }] } }` -> ["content: message"]. */
export function fieldMessages(errors: HarmonyFieldErrors | undefined, path = ''): string[] {
  if (!errors) return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(errors)) {
    if (Array.isArray(value)) {
      for (const e of value) out.push(path ? `${path}: ${e.message}` : e.message);
    } else {
      out.push(...fieldMessages(value, key === '_errors' ? path : path ? `${path}.${key}` : key));
    }
  }
  return out;
}

export function isStatus(error: unknown, status: number): boolean {
  return error instanceof HarmonyApiError && error.status === status;
}
