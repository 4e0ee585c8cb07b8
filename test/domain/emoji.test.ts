// Reaction emoji as they arrive in URLs: unicode emoji, or a custom `name:id`.
import { describe, expect, it } from 'bun:test';
import { emojiFromKey, emojiKey, parseEmoji } from '../../src/domain/emoji.ts';

describe('parseEmoji', () => {
  it.each([
    ['👍', 'a plain emoji'],
    ['👍🏽', 'an emoji with a skin-tone modifier'],
    ['🇫🇷', 'a flag (two regional indicators)'],
    ['1️⃣', 'a keycap'],
    ['👨‍👩‍👧', 'a ZWJ sequence'],
    ['❤️', 'an emoji with a variation selector'],
  ])('accepts %s (%s) as a unicode emoji', (raw) => {
    expect(parseEmoji(raw)).toEqual({ name: raw, id: null, animated: false });
  });

  it('accepts a custom emoji as name:id', () => {
    expect(parseEmoji('blob:1300000000000000000')).toEqual({ name: 'blob', id: '1300000000000000000', animated: false });
  });

  it('keeps the first letter of a custom emoji whose name starts with "a"', () => {
    expect(parseEmoji('awesome:123')).toEqual({ name: 'awesome', id: '123', animated: false });
    expect(parseEmoji('abc:1')).toEqual({ name: 'abc', id: '1', animated: false });
  });

  it('reads an a: prefix as animated and a leading colon as nothing', () => {
    expect(parseEmoji('a:party:42')).toEqual({ name: 'party', id: '42', animated: true });
    expect(parseEmoji(':party:42')).toEqual({ name: 'party', id: '42', animated: false });
  });

  it.each([
    ['', 'the empty string'],
    ['a', 'a letter'],
    ['1', 'a bare digit (an emoji component, not a picture)'],
    ['#', 'a bare #'],
    ['\u200D', 'a lone zero-width joiner'],
    ['x👍', 'text around an emoji'],
    ['b:1', 'a custom name shorter than 2 characters'],
    [`${'n'.repeat(33)}:1`, 'a custom name longer than 32 characters'],
    ['blob:', 'a custom emoji without an id'],
    ['blob:12a', 'a custom emoji with a non-numeric id'],
    ['blob:99999999999999999999', 'a custom id above 2^64 - 1'],
    ['👍'.repeat(40), 'more than 64 UTF-16 units'],
  ])('rejects %p (%s)', (raw) => {
    expect(parseEmoji(raw)).toBeNull();
  });
});

describe('emojiKey / emojiFromKey', () => {
  it('stores a unicode emoji as itself and a custom one as name:id', () => {
    expect(emojiKey({ name: '👍', id: null, animated: false })).toBe('👍');
    expect(emojiKey({ name: 'blob', id: '7', animated: true })).toBe('a:blob:7');
  });

  it('reads both forms back', () => {
    expect(emojiFromKey('👍')).toEqual({ name: '👍', id: null, animated: false });
    expect(emojiFromKey('blob:7')).toEqual({ name: 'blob', id: '7', animated: false });
  });

  it('round-trips what parseEmoji accepts', () => {
    for (const raw of ['🇫🇷', 'awesome:1300000000000000000']) {
      const emoji = parseEmoji(raw);
      if (!emoji) throw new Error(`${raw} should parse`);
      expect(emojiFromKey(emojiKey(emoji))).toEqual(emoji);
    }
  });
});
