// Discord avatar hashes as CDN URLs: what the presence card links for a member mirrored from Discord.
import { describe, expect, it } from 'bun:test';
import { discordAvatarUrl } from '../../../src/integrations/discord-bridge/avatar-url.ts';

describe('discordAvatarUrl', () => {
  it('builds the 128 px PNG of a still avatar under the user id', () => {
    expect(discordAvatarUrl('470320681905684500', '5c11d7292c91e510c2b4f07946ea6d72')).toBe(
      'https://cdn.discordapp.com/avatars/470320681905684500/5c11d7292c91e510c2b4f07946ea6d72.png?size=128',
    );
  });

  it('builds a GIF for an animated (a_) hash', () => {
    expect(discordAvatarUrl('470320681905684500', 'a_1269e74af4df7417b13759eae50c83dc')).toBe(
      'https://cdn.discordapp.com/avatars/470320681905684500/a_1269e74af4df7417b13759eae50c83dc.gif?size=128',
    );
  });

  it('keeps a hash that is not one (from a misbehaving API) inside its own path segment', () => {
    expect(discordAvatarUrl('470320681905684500', '../../x?y=1#z')).toBe(
      'https://cdn.discordapp.com/avatars/470320681905684500/..%2F..%2Fx%3Fy%3D1%23z.png?size=128',
    );
  });
});
