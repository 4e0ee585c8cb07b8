// parseExactJson: JSON.parse that keeps the digits of integers a JS number cannot hold, so a snowflake sent as a
// JSON integer (discord.py) is never rounded into another id.
import { describe, expect, it } from 'bun:test';
import { parseExactJson } from '../../src/http/exact-json.ts';

describe('parseExactJson', () => {
  it('keeps a real 19-digit snowflake sent as an integer digit for digit', () => {
    const id = '1578515636701626369';
    expect(String(Number(id))).not.toBe(id);
    expect(parseExactJson(`{"message_reference":{"message_id":${id}},"ids":[${id},1]}`)).toEqual({ message_reference: { message_id: id }, ids: [id, 1] });
  });

  it('keeps 2^53 + 1 and 2^64 - 1 exactly, and negative ones too', () => {
    expect(parseExactJson('[9007199254740993, 18446744073709551615, -9007199254740993]')).toEqual([
      '9007199254740993',
      '18446744073709551615',
      '-9007199254740993',
    ]);
  });

  it('leaves safe integers, fractions and exponents as numbers', () => {
    const text = '[9007199254740991, 0, -5, 1.5, 1e20, 12345678901234567.5]';
    expect(parseExactJson(text)).toEqual(JSON.parse(text));
    expect((parseExactJson(text) as unknown[]).every((n) => typeof n === 'number')).toBe(true);
  });

  it('leaves strings alone, long digit runs inside them included', () => {
    expect(parseExactJson('{"a":"12345678901234567890","b":"x"}')).toEqual({ a: '12345678901234567890', b: 'x' });
  });

  it('throws on malformed JSON as JSON.parse does', () => {
    expect(() => parseExactJson('{"a":12345678901234567890')).toThrow(SyntaxError);
    expect(() => parseExactJson('{')).toThrow(SyntaxError);
  });
});
