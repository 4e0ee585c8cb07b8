// Reads typed values out of a request body that arrived as unknown JSON, reporting every bad field with its
// path and Discord's error codes (BASE_TYPE_MAX_LENGTH, URL_TYPE_INVALID_SCHEME, ...). Embeds and components
// are parsed with it, so both bot dialects refuse the same things with the same 50035.
import type { FieldPath, FormErrors } from '../http/api-error.ts';
import { fitsChars } from './presence/char-limit.ts';

export type Json = Record<string, unknown>;

/** Schemes a link may use: anything else (javascript:, data:, file:, ...) is refused. */
const WEB_SCHEMES = ['http:', 'https:'];
/** Discord's limit for any URL in an embed or a link button. */
export const URL_MAX = 2048;

export class FormReader {
  constructor(readonly errors: FormErrors) {}

  fail(path: FieldPath, code: string, message: string): null {
    this.errors.add(path, code, message);
    return null;
  }

  /** A JSON object (null or absent: null, no error unless required). */
  object(value: unknown, path: FieldPath, required = false): Json | null {
    if (value === undefined || value === null) return required ? this.fail(path, 'BASE_TYPE_REQUIRED', 'This field is required') : null;
    if (typeof value !== 'object' || Array.isArray(value)) return this.fail(path, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
    return value as Json;
  }

  /** A list of at most `max` items; null or absent is an empty list. */
  list(value: unknown, path: FieldPath, range: { min?: number; max: number }): unknown[] {
    if (value === undefined || value === null) {
      if ((range.min ?? 0) > 0) this.fail(path, 'BASE_TYPE_REQUIRED', 'This field is required');
      return [];
    }
    if (!Array.isArray(value)) {
      this.fail(path, 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
      return [];
    }
    const min = range.min ?? 0;
    if (value.length > range.max || value.length < min) {
      if (min > 0) this.fail(path, 'BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${range.max} in length.`);
      else this.fail(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${range.max} or fewer in length.`);
      return value.slice(0, range.max);
    }
    return value;
  }

  /** A string of at most `max` code points; `required` also refuses an empty or blank one. */
  string(value: unknown, path: FieldPath, max: number, required = false): string | null {
    if (value === undefined || value === null || (required && typeof value === 'string' && value.trim() === '')) {
      return required ? this.fail(path, 'BASE_TYPE_REQUIRED', 'This field is required') : null;
    }
    if (typeof value !== 'string') return this.fail(path, 'BASE_TYPE_STRING', 'Must be a string.');
    if (!fitsChars(value, max)) return this.fail(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
    return value;
  }

  integer(value: unknown, path: FieldPath, range: { min: number; max: number }): number | null {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'number' || !Number.isInteger(value)) return this.fail(path, 'NUMBER_TYPE_COERCE', 'Value is not int.');
    if (value < range.min) return this.fail(path, 'NUMBER_TYPE_MIN', `int value should be greater than or equal to ${range.min}.`);
    if (value > range.max) return this.fail(path, 'NUMBER_TYPE_MAX', `int value should be less than or equal to ${range.max}.`);
    return value;
  }

  boolean(value: unknown, path: FieldPath): boolean | null {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'boolean') return this.fail(path, 'BASE_TYPE_BOOLEAN', 'Must be either true or false.');
    return value;
  }

  /** One of `choices` (numbers or strings), as Discord's BASE_TYPE_CHOICES. */
  choice<T extends string | number>(value: unknown, path: FieldPath, choices: readonly T[]): T | null {
    if (value === undefined || value === null) return this.fail(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    if (!choices.includes(value as T))
      return this.fail(path, 'BASE_TYPE_CHOICES', `Value must be one of {${choices.map((c) => JSON.stringify(c)).join(', ')}}.`);
    return value as T;
  }

  /** A snowflake as a string or a JSON integer that is exactly representable. */
  snowflake(value: unknown, path: FieldPath, required = false): string | null {
    if (value === undefined || value === null) return required ? this.fail(path, 'BASE_TYPE_REQUIRED', 'This field is required') : null;
    if (typeof value === 'string' && /^\d{1,20}$/.test(value)) return value;
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
    return this.fail(path, 'NUMBER_TYPE_COERCE', 'Value is not snowflake.');
  }

  /**
   * An absolute http(s) URL, kept exactly as sent (so it round-trips) but only when it needs no cleaning:
   * surrounding spaces or control characters, which URL parsers silently drop, are refused too, so what is
   * stored always starts with the scheme that was checked.
   */
  webUrl(value: unknown, path: FieldPath, required = false): string | null {
    const text = this.string(value, path, URL_MAX, required);
    if (text === null) return null;
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      return this.fail(path, 'URL_TYPE_INVALID_URL', 'Not a well formed URL.');
    }
    if (!WEB_SCHEMES.includes(parsed.protocol)) {
      const scheme = parsed.protocol.slice(0, -1).slice(0, 32);
      return this.fail(path, 'URL_TYPE_INVALID_SCHEME', `Scheme "${scheme}" is not supported. Scheme must be one of ('http', 'https').`);
    }
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
    if (/[\u0000-\u0020\u007f]/.test(text) || parsed.hostname === '') return this.fail(path, 'URL_TYPE_INVALID_URL', 'Not a well formed URL.');
    return text;
  }

  /**
   * A picture's URL in an embed: a web URL as above, or `attachment://<filename>`, which names a file uploaded with
   * the same message and is shown as that attachment's own (signed) URL.
   */
  mediaUrl(value: unknown, path: FieldPath, required = false): string | null {
    if (typeof value === 'string' && value.startsWith(ATTACHMENT_SCHEME)) {
      const name = value.slice(ATTACHMENT_SCHEME.length);
      if (name === '' || name.length > 1024 || name.includes('/')) return this.fail(path, 'URL_TYPE_INVALID_URL', 'Not a well formed URL.');
      return value;
    }
    return this.webUrl(value, path, required);
  }
}

/** How an embed names a file uploaded with its message. */
export const ATTACHMENT_SCHEME = 'attachment://';
