// IDENTIFY's `properties`: what the SDK runs on, so the server shows the right platform in client_status
// (a web page as web, Bun and Node as desktop, a phone as mobile). Read from globals, never imported, so the
// bundle stays dependency-free and loads unchanged everywhere.

export type ClientProperties = { os: string; browser: string; device: string };

/** The SDK's own name, in `browser` (as discord.js puts its own there): it is the client, whatever hosts it. */
const SDK_NAME = 'harmony-sdk';

type RuntimeGlobals = {
  process?: { platform?: unknown; versions?: { node?: unknown; bun?: unknown } };
  navigator?: { userAgent?: unknown };
};

/**
 * Bun and Node (which also have a `navigator`): `os` is process.platform. A browser or worker: the operating
 * system read from the user agent and `device: 'browser'`, which the server counts as web.
 */
export function clientProperties(globals: RuntimeGlobals = globalThis as RuntimeGlobals): ClientProperties {
  const proc = globals.process;
  if (proc?.versions?.node !== undefined || proc?.versions?.bun !== undefined) {
    return { os: typeof proc.platform === 'string' ? proc.platform : 'unknown', browser: SDK_NAME, device: SDK_NAME };
  }
  const userAgent = globals.navigator?.userAgent;
  if (typeof userAgent === 'string') return { os: osOf(userAgent), browser: SDK_NAME, device: 'browser' };
  return { os: 'unknown', browser: SDK_NAME, device: SDK_NAME };
}

/** The names Discord's own clients send; phones first, since their user agents also mention Linux or Mac OS X. */
function osOf(userAgent: string): string {
  if (/android/i.test(userAgent)) return 'Android';
  if (/iphone|ipad|ipod/i.test(userAgent)) return 'iOS';
  if (/windows/i.test(userAgent)) return 'Windows';
  if (/cros/i.test(userAgent)) return 'Chrome OS';
  if (/mac os x|macintosh/i.test(userAgent)) return 'Mac OS X';
  if (/linux/i.test(userAgent)) return 'Linux';
  return 'unknown';
}
