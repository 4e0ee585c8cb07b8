// Turns anything a call can throw into one sentence a person can act on. A form the server refused (50035)
// is described field by field in words ("Username must be at least 2 characters."); otherwise the API's own
// message comes first (it is written for people), and the status explains the rest.
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
    // "Invalid Form Body" says nothing the field messages do not.
    if (fields.length && error.code === INVALID_FORM_BODY) return fields.join(' ');
    const base = error.message && !/^\d{3}:/.test(error.message) ? error.message : (BY_STATUS[error.status] ?? `Request failed (${error.status}).`);
    return fields.length ? `${base}: ${fields.join(' ')}` : base;
  }
  if (error instanceof TypeError) return 'Cannot reach the server. Check your connection and try again.';
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}

const INVALID_FORM_BODY = 50035;

/** `{ username: { _errors: [{ message }] } }` -> ["Username must be ..."]: each problem as a sentence naming its field. */
export function fieldMessages(errors: HarmonyFieldErrors | undefined, path: string[] = []): string[] {
  if (!errors) return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(errors)) {
    if (Array.isArray(value)) {
      for (const e of value) out.push(fieldSentence(path, e.message));
    } else {
      out.push(...fieldMessages(value, key === '_errors' ? path : [...path, key]));
    }
  }
  return out;
}

/** `global_name` -> "Display name", `embeds.0.title` -> "Embed 1 title"; unknown keys are spelled out. */
const FIELD_LABELS: Record<string, string> = {
  global_name: 'Display name',
  nick: 'Nickname',
  new_password: 'New password',
  max_age: 'Expiry',
  max_uses: 'Maximum uses',
  _body: 'The form',
};

export function fieldLabel(path: readonly string[]): string {
  if (path.length === 0) return 'The form';
  const words = path.map((part, i) => {
    if (/^\d+$/.test(part)) return String(Number(part) + 1);
    const label = FIELD_LABELS[part] ?? part.replace(/_/g, ' ');
    return i === 0 ? label : label.toLowerCase();
  });
  // "embeds 1 title" reads better as "Embed 1 title".
  const sentence = words.join(' ').replace(/^(\w+)s (\d+)/, '$1 $2');
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

/** The server's words about a field, as a sentence that names it (validation's wording translated). */
export function fieldSentence(path: readonly string[], message: string): string {
  const label = fieldLabel(path);
  const text = message.trim();
  const min = /^Expected string length greater or equal to (\d+)/.exec(text);
  if (min) return Number(min[1]) <= 1 ? `${label} is required.` : `${label} must be at least ${min[1]} characters.`;
  const max = /^Expected string length less or equal to (\d+)/.exec(text);
  if (max) return `${label} must be at most ${max[1]} characters.`;
  const minNumber = /^Expected (?:number|integer) to be greater or equal to (-?\d+)/.exec(text);
  if (minNumber) return `${label} must be at least ${minNumber[1]}.`;
  const maxNumber = /^Expected (?:number|integer) to be less or equal to (-?\d+)/.exec(text);
  if (maxNumber) return `${label} must be at most ${maxNumber[1]}.`;
  if (/^Expected required property/.test(text)) return `${label} is required.`;
  const type = /^Expected (string|number|integer|boolean|array|object)$/.exec(text);
  if (type) {
    const noun = type[1] === 'integer' ? 'whole number' : type[1] === 'array' ? 'list' : type[1]!;
    return `${label} must be ${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}.`;
  }
  const sentence = /[.!?]$/.test(text) ? text : `${text}.`;
  // The server's own sentences usually name the field already ("Username must be 2-32 characters ...").
  return sentence.toLowerCase().startsWith(label.toLowerCase()) ? sentence : `${label}: ${sentence.charAt(0).toLowerCase()}${sentence.slice(1)}`;
}

export function isStatus(error: unknown, status: number): boolean {
  return error instanceof HarmonyApiError && error.status === status;
}
