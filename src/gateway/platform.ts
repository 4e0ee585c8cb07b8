// IDENTIFY's `properties` ({ os, browser, device }) say what a client runs on; presence reports it per platform.
import type { Platform } from '../domain/presence/presence-service.ts';

const MOBILE_OS = /android|ios|iphone|ipad/i;
const WEB_BROWSER = /chrome|chromium|firefox|safari|edge|opera|brave|vivaldi/i;

/** Mobile for phone operating systems, web for browsers, desktop for everything else (bots, apps, libraries). */
export function platformOf(properties: { os?: string; browser?: string; device?: string } | undefined): Platform {
  if (!properties) return 'desktop';
  if (MOBILE_OS.test(properties.os ?? '') || MOBILE_OS.test(properties.device ?? '')) return 'mobile';
  if (WEB_BROWSER.test(properties.browser ?? '')) return 'web';
  return 'desktop';
}
