// IDENTIFY's `properties` ({ os, browser, device }) say what a client runs on; presence reports it per platform.
import type { Platform } from '../domain/presence/presence-service.ts';

const MOBILE_OS = /android|ios|iphone|ipad/i;
const WEB_BROWSER = /chrome|chromium|firefox|safari|edge|opera|brave|vivaldi/i;
/**
 * A library that runs in browsers and on servers alike names itself in `browser` (as discord.js does) and says
 * where it runs in `device`: HarmonyClient sends `device: 'browser'` from a web page, so the web app counts as web.
 */
const WEB_DEVICE = /^browser$/i;

/** Mobile for phone operating systems, web for browsers, desktop for everything else (bots, apps, libraries). */
export function platformOf(properties: { os?: string; browser?: string; device?: string } | undefined): Platform {
  if (!properties) return 'desktop';
  if (MOBILE_OS.test(properties.os ?? '') || MOBILE_OS.test(properties.device ?? '')) return 'mobile';
  if (WEB_BROWSER.test(properties.browser ?? '') || WEB_DEVICE.test(properties.device ?? '')) return 'web';
  return 'desktop';
}
