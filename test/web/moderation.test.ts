// Issue 6 (c): a member without manage_messages sees no delete button on other people's messages,
// and the API refuses the delete anyway; their own messages they may delete. Granting a role with
// manage_messages shows the button without a reload.
import { describe, expect, it } from 'bun:test';
import { register } from '../support/test-server.ts';
import { hidden, logInInPage, message, openPage, PASSWORD, screenshot, sessionToken, visible } from './support/browser.ts';
import { serverAndBrowser } from './support/server-and-browser.ts';

const { server, browser } = await serverAndBrowser();

describe('message moderation in the browser', () => {
  it('shows a member without manage_messages no delete button on others’ messages, and the API answers 403 50013', async () => {
    const alice = await register(server, 'alice', PASSWORD);
    await register(server, 'bob', PASSWORD);
    const guild = await server.api('POST', '/api/v1/guilds', { token: alice.token, body: { name: 'Rules' } });
    const channelId: string = guild.body.channels[0].id;
    const invite = await server.api('POST', `/api/v1/channels/${channelId}/invites`, { token: alice.token, body: {} });
    const aliceMessage = await server.api('POST', `/api/v1/channels/${channelId}/messages`, { token: alice.token, body: { content: 'Alice’s rule: be kind' } });

    const { page, errors } = await openPage(browser);
    await logInInPage(page, server, 'bob', `/invite/${invite.body.code}`);
    await page.getByRole('button', { name: 'Join server' }).click();
    const others = message(page, 'Alice’s rule: be kind');
    await visible(others);
    await page.getByRole('textbox', { name: 'Message #general' }).fill('Bob’s note');
    await page.keyboard.press('Enter');
    const own = message(page, 'Bob’s note');
    await visible(own);

    // Others' message: reply is offered, delete and edit are not even in the page.
    await others.hover();
    await visible(others.getByRole('button', { name: 'Reply' }));
    expect(await others.getByRole('button', { name: 'Delete message' }).count()).toBe(0);
    expect(await others.getByRole('button', { name: 'Edit message' }).count()).toBe(0);
    // Own message: both.
    await own.hover();
    await visible(own.getByRole('button', { name: 'Delete message' }));
    await visible(own.getByRole('button', { name: 'Edit message' }));
    await screenshot(page, 'moderation-member-view');

    // The API refuses regardless of what the page shows.
    const bobToken = await sessionToken(page);
    const refused = await server.api('DELETE', `/api/v1/messages/${aliceMessage.body.id}`, { token: bobToken });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ code: 50013, message: 'Missing Permissions' });
    expect((await server.api('GET', `/api/v1/channels/${channelId}/messages/${aliceMessage.body.id}`, { token: alice.token })).status).toBe(200);

    // Deleting your own message works from the page (with a confirmation).
    await own.getByRole('button', { name: 'Delete message' }).click();
    await page.getByRole('dialog', { name: 'Delete message?' }).getByRole('button', { name: 'Delete' }).click();
    await hidden(own);

    // A moderator role granted while Bob watches: the delete button appears without a reload.
    const role = await server.api('POST', `/api/v1/guilds/${guild.body.id}/roles`, {
      token: alice.token,
      body: { name: 'Moderator', permissions: ['manage_messages'] },
    });
    const bobId = (await server.api('GET', '/api/v1/users/@me', { token: bobToken })).body.id;
    expect((await server.api('PUT', `/api/v1/guilds/${guild.body.id}/members/${bobId}/roles/${role.body.id}`, { token: alice.token })).status).toBe(204);
    await others.hover();
    await visible(others.getByRole('button', { name: 'Delete message' }));
    expect(await others.getByRole('button', { name: 'Edit message' }).count()).toBe(0);
    await screenshot(page, 'moderation-moderator-view');
    expect(errors).toEqual([]);
  }, 60_000);
});
