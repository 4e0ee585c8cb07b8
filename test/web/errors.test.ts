// The web app's error sentences (src/web/lib/errors.ts): a refused form (50035) is described field by field in
// words a person reads, not as "Invalid Form Body: username: Expected string length greater or equal to 1".
import { describe, expect, it } from 'bun:test';
import { HarmonyApiError } from '../../src/sdk/errors.ts';
import { describeError, fieldLabel, fieldSentence } from '../../src/web/lib/errors.ts';

const formError = (errors: object) => new HarmonyApiError(400, 50035, 'Invalid Form Body', errors as never, 'POST', '/auth/register');

describe('describeError', () => {
  it('translates validation wording into sentences naming each field, without "Invalid Form Body"', () => {
    const error = formError({
      username: { _errors: [{ code: 'BASE_TYPE_INVALID', message: 'Expected string length greater or equal to 1' }] },
      password: { _errors: [{ code: 'BASE_TYPE_INVALID', message: 'Expected string length less or equal to 1024' }] },
    });
    expect(describeError(error)).toBe('Username is required. Password must be at most 1024 characters.');
  });

  it("keeps the server's own sentence when it already names the field", () => {
    const error = formError({ username: { _errors: [{ code: 'USERNAME_INVALID', message: 'Username must be 2-32 characters of letters, digits, _ and .' }] } });
    expect(describeError(error)).toBe('Username must be 2-32 characters of letters, digits, _ and .');
  });

  it('names nested fields in words and keeps other errors as the server says them', () => {
    const error = formError({ embeds: { '0': { title: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 256 or fewer in length.' }] } } } });
    expect(describeError(error)).toBe('Embed 1 title: must be 256 or fewer in length.');
    expect(describeError(new HarmonyApiError(403, 50013, 'Missing Permissions', undefined, 'GET', '/x'))).toBe('Missing Permissions');
  });
});

describe('fieldSentence', () => {
  it('words minimums, maximums and types', () => {
    expect(fieldSentence(['username'], 'Expected string length greater or equal to 2')).toBe('Username must be at least 2 characters.');
    expect(fieldSentence(['max_uses'], 'Expected integer to be less or equal to 100')).toBe('Maximum uses must be at most 100.');
    expect(fieldSentence(['position'], 'Expected integer')).toBe('Position must be a whole number.');
    expect(fieldSentence(['global_name'], 'Expected string')).toBe('Display name must be a string.');
    expect(fieldLabel([])).toBe('The form');
  });
});
