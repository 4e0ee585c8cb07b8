// IDENTIFY's properties -> the platform presence reports (client_status).
import { describe, expect, it } from 'bun:test';
import { platformOf } from '../../src/gateway/platform.ts';

describe('platformOf', () => {
  it('reads phones as mobile, browsers as web, and everything else (bots, libraries, apps) as desktop', () => {
    expect(platformOf(undefined)).toBe('desktop');
    expect(platformOf({ os: 'Android', browser: 'Discord Android', device: 'Pixel' })).toBe('mobile');
    expect(platformOf({ os: 'iOS', browser: 'Harmony', device: 'iPhone' })).toBe('mobile');
    expect(platformOf({ os: 'Windows', browser: 'Chrome', device: '' })).toBe('web');
    expect(platformOf({ os: 'Mac OS X', browser: 'Safari' })).toBe('web');
    expect(platformOf({ os: 'linux', browser: 'discord.js', device: 'discord.js' })).toBe('desktop');
    expect(platformOf({ os: 'linux', browser: 'python-websockets' })).toBe('desktop');
  });

  it('reads a library that says it runs in a browser (device "browser", as HarmonyClient sends from a web page) as web', () => {
    expect(platformOf({ os: 'Windows', browser: 'harmony-sdk', device: 'browser' })).toBe('web');
    expect(platformOf({ os: 'linux', browser: 'harmony-sdk', device: 'harmony-sdk' })).toBe('desktop');
    // A phone is a phone, whatever runs on it.
    expect(platformOf({ os: 'Android', browser: 'harmony-sdk', device: 'browser' })).toBe('mobile');
  });
});
