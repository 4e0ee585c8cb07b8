// What every browser test file starts from: a Harmony server (rate limits off) and Chromium, shared by the
// file's tests and closed after them, so a test file states only what its tests do; and the set-up several
// files share (API calls that throw on failure, the daily-driver tests' "Tea Room").
import { afterAll } from 'bun:test';
import type { Browser } from 'playwright-core';
import { register, startServer, type TestServer } from '../../support/test-server.ts';
import { launchChromium, PASSWORD } from './browser.ts';

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

export type Account = { id: string; token: string };
export type Call = (who: Account, method: string, path: string, body?: unknown, bot?: boolean) => Promise<any>;

/** Set-up calls to the v1 API as `who` (a person, or a bot with `bot`), throwing on failure so set-up never fails quietly. */
export function caller(server: TestServer): Call {
  return async (who, method, path, body, bot = false) => {
    const res = await server.api(method, `/api/v1${path}`, { token: who.token, body, ...(bot ? { scheme: 'Bot' as const } : {}) });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
}

/**
 * The daily-driver tests' world: alice (registered first, so the instance's admin) owns the server "Tea Room"
 * with its #general and the `channels` asked for; the `members` join through an invite; a bot (`botName`) is
 * added that may read, send and read history. Call it before anyone else registers.
 */
export async function teaRoom<Member extends string, Channel extends string = never>(
  server: TestServer,
  { members, channels = [], botName = 'helperbot' }: { members: readonly Member[]; channels?: readonly Channel[]; botName?: string },
) {
  const call = caller(server);
  const alice: Account = await register(server, 'alice', PASSWORD);
  const people = {} as Record<Member, Account>;
  for (const name of members) people[name] = await register(server, name, PASSWORD);
  const guild = await call(alice, 'POST', '/guilds', { name: 'Tea Room' });
  const general: string = guild.channels[0].id;
  const channelIds = {} as Record<Channel, string>;
  for (const name of channels) channelIds[name] = (await call(alice, 'POST', `/guilds/${guild.id}/channels`, { name })).id;
  const invite = await call(alice, 'POST', `/channels/${general}/invites`, {});
  for (const name of members) await call(people[name], 'POST', `/invites/${invite.code}`);
  const created = await call(alice, 'POST', '/admin/bots', { username: botName });
  const bot: Account = { id: created.bot.id, token: created.token };
  await call(alice, 'PUT', `/guilds/${guild.id}/bots/${bot.id}`, { permissions: ['read_messages', 'send_messages', 'read_message_history'] });
  return { call, alice, people, guild, general, channels: channelIds, bot };
}
