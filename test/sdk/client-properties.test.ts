// IDENTIFY's properties from each runtime the SDK supports: the server reads `device: 'browser'` as web and the
// rest as desktop (or mobile on a phone), so these decide what client_status shows.
import { describe, expect, it } from 'bun:test';
import { platformOf } from '../../src/gateway/platform.ts';
import { clientProperties } from '../../src/sdk/client-properties.ts';

const CHROME_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';
const SAFARI_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15';
const CHROME_ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36';
const SAFARI_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const CHROMEBOOK = 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';

describe('clientProperties()', () => {
  it('names the operating system and the SDK under Bun, which the server shows as desktop', () => {
    const properties = clientProperties();
    expect(properties).toEqual({ os: process.platform, browser: 'harmony-sdk', device: 'harmony-sdk' });
    expect(platformOf(properties)).toBe('desktop');
  });

  it('takes Node (process.versions.node) for a server runtime even though it has a navigator too', () => {
    const node = { process: { platform: 'win32', versions: { node: '22.1.0' } }, navigator: { userAgent: 'Node.js/22' } };
    expect(clientProperties(node)).toEqual({ os: 'win32', browser: 'harmony-sdk', device: 'harmony-sdk' });
  });

  it('in a browser, reads the operating system from the user agent and says device "browser": web, or mobile on a phone', () => {
    const inBrowser = (userAgent: string) => clientProperties({ navigator: { userAgent } });
    expect(inBrowser(CHROME_WINDOWS)).toEqual({ os: 'Windows', browser: 'harmony-sdk', device: 'browser' });
    expect(inBrowser(FIREFOX_LINUX).os).toBe('Linux');
    expect(inBrowser(SAFARI_MAC).os).toBe('Mac OS X');
    expect(inBrowser(CHROMEBOOK).os).toBe('Chrome OS');
    expect(inBrowser(CHROME_ANDROID).os).toBe('Android');
    expect(inBrowser(SAFARI_IPHONE).os).toBe('iOS');
    expect(inBrowser('SomethingElse/1.0').os).toBe('unknown');

    expect(platformOf(inBrowser(CHROME_WINDOWS))).toBe('web');
    expect(platformOf(inBrowser(SAFARI_MAC))).toBe('web');
    expect(platformOf(inBrowser(CHROME_ANDROID))).toBe('mobile');
  });

  it('ignores a bundler polyfill of process without versions, and falls back to desktop with nothing to go on', () => {
    expect(clientProperties({ process: { platform: 'browser' }, navigator: { userAgent: FIREFOX_LINUX } })).toEqual({
      os: 'Linux',
      browser: 'harmony-sdk',
      device: 'browser',
    });
    expect(clientProperties({})).toEqual({ os: 'unknown', browser: 'harmony-sdk', device: 'harmony-sdk' });
  });
});
