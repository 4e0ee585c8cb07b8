// The K/V store's rules, apart from storage so chat commands, REST and the Lanyard routes refuse the same
// things with the same words. Values are strictly strings: a number or boolean is refused, not coerced,
// so what a user reads back is exactly what they wrote (Lanyard, too, accepts only strings).
import { fitsChars } from './char-limit.ts';

export const KV_LIMITS = {
  keyPattern: /^[a-zA-Z0-9_]{1,255}$/,
  maxValueChars: 30_000,
  maxKeys: 512,
} as const;

/** Which rule a write broke; dialects map it to their own error codes. */
export type KvRule = 'invalid_key' | 'invalid_value' | 'value_too_long' | 'too_many_keys' | 'invalid_patch';

export type KvCheck<T> = { ok: true; value: T } | { ok: false; rule: KvRule; error: string };

export type KvMerge = {
  /** The patch, checked: every key valid, every value a string. */
  patch: Record<string, string>;
  /** `existing` with the patch applied: what the user's K/V becomes. */
  merged: Record<string, string>;
};

const fail = (rule: KvRule, error: string): { ok: false; rule: KvRule; error: string } => ({ ok: false, rule, error });

export function validateKey(key: unknown): KvCheck<string> {
  if (typeof key !== 'string' || !KV_LIMITS.keyPattern.test(key)) {
    return fail('invalid_key', 'key must be 1-255 characters of a-z, A-Z, 0-9 and _');
  }
  return { ok: true, value: key };
}

/** `key` only names the key in the message; the value itself is never echoed back. */
export function validateValue(value: unknown, key?: string): KvCheck<string> {
  const of = key === undefined ? 'value' : `value of "${key}"`;
  if (typeof value !== 'string') return fail('invalid_value', `${of} must be a string`);
  if (!fitsChars(value, KV_LIMITS.maxValueChars)) {
    return fail('value_too_long', `${of} must be at most ${KV_LIMITS.maxValueChars} characters`);
  }
  return { ok: true, value };
}

/** Keys starting with `_` are private: shown only to a request carrying the owner's API token. */
export function isPrivateKey(key: string): boolean {
  return key.startsWith('_');
}

/**
 * Checks a merge of `patch` into `existing`, all or nothing: the first broken rule in the patch's own order
 * refuses the whole patch. The key limit counts keys after the merge, so overwriting keys at the limit is fine.
 */
export function checkMerge(existing: Readonly<Record<string, string>>, patch: unknown): KvCheck<KvMerge> {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    return fail('invalid_patch', 'body must be an object of string values');
  }
  const entries: [string, string][] = [];
  for (const [key, value] of Object.entries(patch)) {
    const k = validateKey(key);
    if (!k.ok) return k;
    const v = validateValue(value, key);
    if (!v.ok) return v;
    entries.push([key, v.value]);
  }
  let added = 0;
  for (const [key] of entries) if (!Object.hasOwn(existing, key)) added += 1;
  const count = Object.keys(existing).length + added;
  if (count > KV_LIMITS.maxKeys) {
    return fail('too_many_keys', `a user may keep at most ${KV_LIMITS.maxKeys} keys; delete some first`);
  }
  // Object.fromEntries defines own properties, so a key like `__proto__` (valid, and private) stays data.
  const p = Object.fromEntries(entries);
  return { ok: true, value: { patch: p, merged: Object.fromEntries([...Object.entries(existing), ...entries]) } };
}

/** One key set (`.add`, `PUT .../kv/:key`): the same rules as a one-entry merge. */
export function checkSet(existing: Readonly<Record<string, string>>, key: unknown, value: unknown): KvCheck<KvMerge> {
  const k = validateKey(key);
  if (!k.ok) return k;
  return checkMerge(existing, Object.fromEntries([[k.value, value]]));
}

/** What a reader may see: private (`_`) keys only with the owner's token. Always a fresh object. */
export function publicView(kv: Readonly<Record<string, string>>, includePrivate: boolean): Record<string, string> {
  return Object.fromEntries(Object.entries(kv).filter(([key]) => includePrivate || !isPrivateKey(key)));
}
