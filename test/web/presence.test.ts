// Presence in the browser: people who were online before the page connected show as online (READY's guild
// presences), and the status chosen in settings goes out on connect through HarmonyClient.setPresence().
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import type { Browser } from 'playwright-core';
import { connectAs, type GatewayClient } from '../support/gateway-client.ts';
import { register, startServer, type TestServer } from '../support/test-server.ts';
import { launchChromium, logInInPage, openPage, PASSWORD, visible } from './support/browser.ts';

let server: TestServer;
let browser: Browser;
const sockets: GatewayClient[] = [];

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  browser = await launchChromium();
});

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await browser?.close();
  await server?.stop();
});

describe('presence in the browser', () => {
  it('shows a member who was online before the page connected, and sends the saved status once connected', async () => {
    const alice = await register(server, 'alice', PASSWORD);
    const bob = await register(server, 'bob', PASSWORD);
    await register(server, 'carol', PASSWORD);
    const guild = await server.api('POST', '/api/v1/guilds', { token: alice.token, body: { name: 'Presence' } });
    const channelId: string = guild.body.channels[0].id;
    const invite = await server.api('POST', `/api/v1/channels/${channelId}/invites`, { token: alice.token, body: {} });
    for (const username of ['bob', 'carol']) {
      const login = await server.api('POST', '/api/v1/auth/login', { body: { username, password: PASSWORD } });
      await server.api('POST', `/api/v1/invites/${invite.body.code}`, { token: login.body.token });
    }

    // bob is on do-not-disturb before alice's page exists; carol never connects.
    const bobSocket = await connectAs(server, bob.token);
    sockets.push(bobSocket);
    bobSocket.send({ op: 3, d: { since: null, status: 'dnd', afk: false, activities: [] } });
    await bobSocket.event('PRESENCE_UPDATE', (d) => d.user.id === bob.id && d.status === 'dnd');

    const { page, errors } = await openPage(browser);
    // A status saved in an earlier visit: the page hands it to the client, which sends it in IDENTIFY.
    await page.goto(server.url);
    await page.evaluate(() => localStorage.setItem('harmony.presence', JSON.stringify({ status: 'idle', activity: 'reading' })));
    await logInInPage(page, server, 'alice', `/app/channels/${guild.body.id}/${channelId}`);

    const online = page.getByRole('region', { name: 'Online members' });
    await visible(online.locator(`[data-user-id="${bob.id}"]`).getByRole('img', { name: 'Do not disturb' }));
    await visible(page.getByRole('region', { name: 'Offline members' }).getByText('carol'));

    const idle = await bobSocket.event('PRESENCE_UPDATE', (d) => d.user.id === alice.id && d.status === 'idle');
    expect(idle.d.activities).toEqual([{ name: 'Custom Status', type: 4, state: 'reading', created_at: expect.any(Number) }]);
    // The page's session started idle, so bob never saw alice online in between; and a page counts as web.
    expect(
      bobSocket
        .dispatches('PRESENCE_UPDATE')
        .filter((f) => f.d.user.id === alice.id)
        .map((f) => f.d.status),
    ).toEqual(['idle']);
    expect(idle.d.client_status).toEqual({ web: 'idle' });
    await visible(online.locator(`[data-user-id="${alice.id}"]`).getByRole('img', { name: 'Idle' }));
    expect(errors).toEqual([]);
  });
});
