// Issue 6: "reconnect banner when the gateway drops and automatic resume". The page's gateway socket
// runs through a Playwright WebSocket route the test can cut; while it is down the banner shows, and
// once it is back the SDK RESUMEs (op 6) and the message posted meanwhile arrives without a reload.
import { describe, expect, it } from 'bun:test';
import type { WebSocketRoute } from 'playwright-core';
import { register } from '../support/test-server.ts';
import { hidden, logInInPage, message, openPage, PASSWORD, screenshot, until, visible } from './support/browser.ts';
import { serverAndBrowser } from './support/server-and-browser.ts';

const { server, browser } = await serverAndBrowser();

describe('gateway outage in the browser', () => {
  it('shows the reconnect banner while the gateway is unreachable, then resumes and catches up', async () => {
    const alice = await register(server, 'alice', PASSWORD);
    const bob = await register(server, 'bob', PASSWORD);
    const guild = await server.api('POST', '/api/v1/guilds', { token: alice.token, body: { name: 'Outage' } });
    const channelId: string = guild.body.channels[0].id;
    const invite = await server.api('POST', `/api/v1/channels/${channelId}/invites`, { token: alice.token, body: {} });
    await server.api('POST', `/api/v1/invites/${invite.body.code}`, { token: bob.token });

    const { context, page, errors } = await openPage(browser);
    let reachable = true;
    const open: { page: WebSocketRoute; server: WebSocketRoute }[] = [];
    // IDENTIFY (2) and RESUME (6) frames the page sent; heartbeats are left out.
    const sentOps: number[] = [];
    await context.routeWebSocket(/\/gateway$/, (ws) => {
      if (!reachable) return ws.close({ code: 1011, reason: 'unreachable (test)' });
      const upstream = ws.connectToServer();
      ws.onMessage((frame) => {
        const op = JSON.parse(String(frame)).op;
        if (op === 2 || op === 6) sentOps.push(op);
        upstream.send(frame);
      });
      open.push({ page: ws, server: upstream });
    });

    await logInInPage(page, server, 'alice', `/app/channels/${guild.body.id}/${channelId}`);
    await visible(page.locator('.layout[data-connection="ready"]'));
    expect(sentOps).toEqual([2]);

    // Cut the line (both ends) and keep it cut for a moment.
    reachable = false;
    for (const ws of open.splice(0)) {
      await ws.server.close({ code: 1001, reason: 'test cut' });
      await ws.page.close({ code: 1011, reason: 'test cut' });
    }
    const banner = await visible(page.getByTestId('reconnect-banner'));
    expect(await banner.textContent()).toContain('reconnecting');
    await screenshot(page, 'reconnect-banner');
    await server.api('POST', `/api/v1/channels/${channelId}/messages`, { token: bob.token, body: { content: 'sent while you were away' } });
    await Bun.sleep(500);
    expect(await message(page, 'sent while you were away').count()).toBe(0);

    // Back: the SDK resumes the session and the missed message is replayed.
    reachable = true;
    await hidden(page.getByTestId('reconnect-banner'), 20_000);
    await visible(message(page, 'sent while you were away'));
    await until(
      'a RESUME to have been sent',
      async () => sentOps,
      (ops) => ops.includes(6),
    );
    expect(sentOps.filter((op) => op === 2)).toEqual([2]);
    await visible(page.locator('.layout[data-connection="ready"]'));
    expect(errors).toEqual([]);
  }, 60_000);
});
