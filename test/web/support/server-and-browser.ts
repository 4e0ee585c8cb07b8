// What every browser test file starts from: a Harmony server (rate limits off) and Chromium, shared by the
// file's tests and closed after them, so a test file states only what its tests do.
import { afterAll } from 'bun:test';
import type { Browser } from 'playwright-core';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { launchChromium } from './browser.ts';

/** Started while the file loads (`const { server, browser } = await serverAndBrowser()` at its top). */
export async function serverAndBrowser(): Promise<{ server: TestServer; browser: Browser }> {
  const server = await startServer({ rateLimits: false });
  let browser: Browser | undefined;
  // Registered before Chromium starts, so a browser that fails to launch still leaves no server behind.
  afterAll(async () => {
    await browser?.close();
    await server.stop();
  });
  browser = await launchChromium();
  return { server, browser };
}
