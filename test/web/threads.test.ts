// Threads in the web app: "Create thread" on a message opens it in a panel beside the channel, where you read
// and post; a thread is listed under its channel while active, live messages arrive in the panel, archiving
// takes it off the list, and "View thread" on the starter message opens it again.
import { describe, expect, it } from 'bun:test';
import { register } from '../support/test-server.ts';
import { hidden, logInInPage, message, openPage, PASSWORD, screenshot, unnamedControls, until, visible } from './support/browser.ts';
import { serverAndBrowser } from './support/server-and-browser.ts';

const { server, browser } = await serverAndBrowser();

describe('threads in the web app', () => {
  it('creates a thread from a message, posts in it, sees it live and in the sidebar, archives and reopens it', async () => {
    const alice = await register(server, 'alice', PASSWORD);
    const guild = (await server.api('POST', '/api/v1/guilds', { token: alice.token, body: { name: 'Threads' } })).body;
    const channelId: string = guild.channels[0].id;
    const starter = (await server.api('POST', `/api/v1/channels/${channelId}/messages`, { token: alice.token, body: { content: 'shall we plan?' } })).body;

    const { page, errors } = await openPage(browser);
    await logInInPage(page, server, 'alice', `/app/channels/${guild.id}/${channelId}`);
    const item = message(page, 'shall we plan?');
    await visible(item);
    await item.hover();
    await item.getByRole('button', { name: 'Create thread' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create thread' });
    await visible(dialog);
    await dialog.getByLabel('Thread name').fill('Planning');
    await dialog.getByRole('button', { name: 'Create thread' }).click();

    const panel = page.getByRole('complementary', { name: 'Thread Planning' });
    await visible(panel);
    const threads = (await server.api('GET', `/api/v1/guilds/${guild.id}/threads`, { token: alice.token })).body;
    expect(threads.map((t: { id: string; name: string }) => [t.id, t.name])).toEqual([[starter.id, 'Planning']]);

    const box = panel.getByRole('textbox');
    await box.fill('first thought');
    await box.press('Enter');
    await visible(panel.locator('article.message', { hasText: 'first thought' }));
    const history = (await server.api('GET', `/api/v1/channels/${starter.id}/messages`, { token: alice.token })).body;
    expect(history.map((m: { content: string }) => m.content)).toEqual(['first thought']);

    // Someone else posts in the thread: it arrives live in the panel.
    const bob = await register(server, 'bob', PASSWORD);
    const invite = (await server.api('POST', `/api/v1/channels/${channelId}/invites`, { token: alice.token, body: {} })).body;
    await server.api('POST', `/api/v1/invites/${invite.code}`, { token: bob.token });
    await server.api('POST', `/api/v1/channels/${starter.id}/messages`, { token: bob.token, body: { content: 'count me in' } });
    await visible(panel.locator('article.message', { hasText: 'count me in' }));

    const listed = page.getByRole('button', { name: 'Thread Planning in #general' });
    await visible(listed);
    await screenshot(page, 'thread-panel');

    await panel.getByRole('button', { name: 'Archive' }).click();
    await visible(panel.getByText('Archived', { exact: true }));
    await hidden(listed);
    expect((await server.api('GET', `/api/v1/channels/${starter.id}`, { token: alice.token })).body.thread.archived).toBe(true);

    await panel.getByRole('button', { name: 'Close thread' }).click();
    await hidden(panel);
    await item.getByRole('button', { name: 'View thread' }).click();
    await visible(panel);
    await visible(panel.locator('article.message', { hasText: 'count me in' }));
    await until(
      'an unarchive button',
      () => panel.getByRole('button', { name: 'Unarchive' }).count(),
      (n) => n === 1,
    );
    expect(await unnamedControls(page)).toEqual([]);
    expect(errors).toEqual([]);
  }, 60_000);
});
