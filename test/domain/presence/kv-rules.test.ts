import { describe, expect, it } from 'bun:test';
import { checkMerge, checkSet, isPrivateKey, publicView, validateKey, validateValue } from '../../../src/domain/presence/kv-rules.ts';

const KEY_RULE = 'key must be 1-255 characters of a-z, A-Z, 0-9 and _';

function keys(n: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
}

describe('validateKey', () => {
  it('accepts letters, digits and underscores up to 255 characters', () => {
    expect(validateKey('location_2')).toEqual({ ok: true, value: 'location_2' });
    expect(validateKey('k'.repeat(255))).toEqual({ ok: true, value: 'k'.repeat(255) });
  });

  for (const [what, key] of [
    ['empty', ''],
    ['256 characters', 'k'.repeat(256)],
    ['a hyphen', 'my-key'],
    ['a space', 'my key'],
    ['a non-ASCII letter', 'clé'],
    ['a trailing newline', 'key\n'],
    ['not a string', 42],
  ] as const) {
    it(`refuses a key with ${what}`, () => {
      expect(validateKey(key)).toEqual({ ok: false, rule: 'invalid_key', error: KEY_RULE });
    });
  }
});

describe('validateValue', () => {
  it('accepts the empty string and exactly 30000 characters', () => {
    expect(validateValue('')).toEqual({ ok: true, value: '' });
    expect(validateValue('v'.repeat(30_000))).toEqual({ ok: true, value: 'v'.repeat(30_000) });
  });

  it('counts characters, not UTF-16 units: 30000 emoji fit', () => {
    expect(validateValue('😀'.repeat(30_000)).ok).toBe(true);
    expect(validateValue('😀'.repeat(30_001))).toEqual({
      ok: false,
      rule: 'value_too_long',
      error: 'value must be at most 30000 characters',
    });
  });

  it('refuses 30001 characters, naming the key when given', () => {
    expect(validateValue('v'.repeat(30_001), 'bio')).toEqual({
      ok: false,
      rule: 'value_too_long',
      error: 'value of "bio" must be at most 30000 characters',
    });
  });

  it('refuses numbers, booleans, null and objects instead of coercing them', () => {
    for (const value of [42, true, null, undefined, { a: 1 }, ['x']]) {
      expect(validateValue(value, 'n')).toEqual({
        ok: false,
        rule: 'invalid_value',
        error: 'value of "n" must be a string',
      });
    }
  });
});

describe('checkMerge', () => {
  it('merges a valid patch and returns the checked patch and the result', () => {
    expect(checkMerge({ a: '1', b: '2' }, { b: 'two', c: '3' })).toEqual({
      ok: true,
      value: { patch: { b: 'two', c: '3' }, merged: { a: '1', b: 'two', c: '3' } },
    });
  });

  it('accepts an empty patch as a no-op', () => {
    expect(checkMerge({ a: '1' }, {})).toEqual({ ok: true, value: { patch: {}, merged: { a: '1' } } });
  });

  it('refuses the whole patch at the first broken rule, in patch order', () => {
    expect(checkMerge({}, { good: 'x', bad: 1, 'bad-key': 'y' })).toEqual({
      ok: false,
      rule: 'invalid_value',
      error: 'value of "bad" must be a string',
    });
    expect(checkMerge({}, { good: 'x', 'bad-key': 'y', bad: 1 })).toEqual({
      ok: false,
      rule: 'invalid_key',
      error: KEY_RULE,
    });
  });

  it('refuses a body that is not an object', () => {
    for (const patch of [null, 'text', 5, ['a'], undefined]) {
      expect(checkMerge({}, patch)).toEqual({
        ok: false,
        rule: 'invalid_patch',
        error: 'body must be an object of string values',
      });
    }
  });

  it('allows reaching 512 keys and refuses the 513th', () => {
    expect(checkMerge(keys(511), { extra: 'v' }).ok).toBe(true);
    expect(checkMerge(keys(512), { extra: 'v' })).toEqual({
      ok: false,
      rule: 'too_many_keys',
      error: 'a user may keep at most 512 keys; delete some first',
    });
    expect(checkMerge({}, keys(513)).ok).toBe(false);
  });

  it('lets a user at the limit overwrite existing keys', () => {
    const result = checkMerge(keys(512), { k0: 'new', k511: 'new' });
    expect(result.ok && Object.keys(result.value.merged).length).toBe(512);
    expect(result.ok && result.value.merged.k0).toBe('new');
  });

  it('keeps __proto__ and constructor as ordinary (private / public) keys', () => {
    const patch = JSON.parse('{"__proto__":"p","constructor":"c"}') as unknown;
    const result = checkMerge({}, patch);
    if (!result.ok) throw new Error(result.error);
    expect(Object.keys(result.value.merged)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(result.value.merged)).toBe(Object.prototype);
    expect(JSON.stringify(result.value.merged)).toBe('{"__proto__":"p","constructor":"c"}');
    expect(JSON.stringify(publicView(result.value.merged, false))).toBe('{"constructor":"c"}');
  });

  it('does not count inherited names such as toString as existing keys', () => {
    expect(checkMerge(keys(512), { toString: 'x' }).ok).toBe(false);
  });
});

describe('checkSet', () => {
  it('sets one key under the same rules', () => {
    expect(checkSet({ a: '1' }, 'b', '2')).toEqual({
      ok: true,
      value: { patch: { b: '2' }, merged: { a: '1', b: '2' } },
    });
    expect(checkSet({}, 'no way', 'x')).toEqual({ ok: false, rule: 'invalid_key', error: KEY_RULE });
    expect(checkSet({}, 'n', 5)).toEqual({ ok: false, rule: 'invalid_value', error: 'value of "n" must be a string' });
    expect(checkSet(keys(512), 'new', 'x').ok).toBe(false);
    expect(checkSet(keys(512), 'k3', 'x').ok).toBe(true);
  });
});

describe('publicView', () => {
  const kv = { location: 'Zürich', _email: 'me@example.com', mood: 'ok', _: 'hidden' };

  it('hides keys starting with _ from everyone but the owner', () => {
    expect(publicView(kv, false)).toEqual({ location: 'Zürich', mood: 'ok' });
  });

  it('shows every key to the owner, as a copy', () => {
    const view = publicView(kv, true);
    expect(view).toEqual(kv);
    expect(view).not.toBe(kv);
  });

  it('names private keys', () => {
    expect(isPrivateKey('_email')).toBe(true);
    expect(isPrivateKey('email_')).toBe(false);
  });
});
