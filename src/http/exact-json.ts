// JSON.parse that never rounds an integer. discord.py sends snowflakes as JSON integers, on REST and on the
// gateway, and 1578515636701626369 parsed into a JS number is 1578515636701626400: a different id. Integers a
// double cannot hold exactly keep their digits, as a string, for the schema that takes them as a snowflake.

// An integer beyond Number.MAX_SAFE_INTEGER has at least 16 digits; text without such a run needs no reviver.
const LONG_DIGITS = /\d{16}/;
const INTEGER_SOURCE = /^-?\d+$/;

/** The reviver: `context.source` is the number's text as sent (JSON.parse source text access, in Bun's JavaScriptCore). */
function keepBigIntegers(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value !== 'number' || Number.isSafeInteger(value) || context?.source === undefined) return value;
  return INTEGER_SOURCE.test(context.source) ? context.source : value;
}

/** JSON.parse, except that an integer past 2^53 is the string of its digits. Throws SyntaxError as JSON.parse does. */
export function parseExactJson(text: string): unknown {
  return LONG_DIGITS.test(text) ? JSON.parse(text, keepBigIntegers) : JSON.parse(text);
}
