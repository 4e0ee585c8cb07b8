// "Join a server" accepts what people paste: a bare code or any invite link.
import { describe, expect, it } from 'bun:test';
import { inviteCodeFrom } from '../../src/web/state/actions.ts';

describe('inviteCodeFrom', () => {
  it('takes a bare code or the code at the end of an invite link', () => {
    expect(inviteCodeFrom('aB3dE6')).toBe('aB3dE6');
    expect(inviteCodeFrom('  aB3dE6 ')).toBe('aB3dE6');
    expect(inviteCodeFrom('https://chat.example.com/invite/aB3dE6')).toBe('aB3dE6');
    expect(inviteCodeFrom('https://chat.example.com/harmony/app/invite/aB3dE6/')).toBe('aB3dE6');
  });

  it('refuses anything else', () => {
    expect(inviteCodeFrom('')).toBeNull();
    expect(inviteCodeFrom('https://chat.example.com/app/channels/1/2')).toBeNull();
    expect(inviteCodeFrom('not a code!')).toBeNull();
  });
});
