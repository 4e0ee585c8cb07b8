// Issue 6 (a): two people chat in real browsers. The first registers (and is told they are the admin),
// creates a server and posts; the second joins through the invite link and sees messages arrive live.
import { describe, expect, it } from 'bun:test';
import { createServerInPage, message, openPage, PASSWORD, registerInPage, screenshot, send, until, visible } from './support/browser.ts';
import { serverAndBrowser } from './support/server-and-browser.ts';

const { server, browser } = await serverAndBrowser();

describe('chat between two people in the browser', () => {
  it('registers the first user as admin, creates a server, and a second user joined by invite sees messages live and replies', async () => {
    const alice = await openPage(browser);
    await alice.page.goto(server.url);
    await alice.page.getByRole('tab', { name: 'Register' }).click();
    expect(await alice.page.getByTestId('first-admin-hint').textContent()).toContain('becomes its administrator');
    await registerInPage(alice.page, server, 'alice');
    await visible(alice.page.getByText('As the first account, you are this instance’s administrator.'));
    await visible(alice.page.getByRole('link', { name: 'Admin panel' }));

    const { guildId, channelId } = await createServerInPage(alice.page, 'Tea Room');
    await send(alice.page, 'Hello from Alice');
    await visible(message(alice.page, 'Hello from Alice'));

    // The invite dialog hands out a link to /invite/<code>.
    await alice.page.getByRole('button', { name: 'Invite people' }).click();
    await alice.page.getByRole('button', { name: 'Create invite link' }).click();
    const link = await (await visible(alice.page.getByTestId('invite-link'))).inputValue();
    expect(link).toMatch(new RegExp(`^${server.url}/invite/[A-Za-z0-9-]+$`));
    await alice.page.getByRole('button', { name: 'Close' }).click();

    // Bob opens the link, registers (not admin), accepts and lands in the channel with its history.
    const bob = await openPage(browser);
    await bob.page.goto(link);
    await visible(bob.page.getByText(/to accept the invite/));
    await bob.page.getByRole('tab', { name: 'Register' }).click();
    await bob.page.getByLabel('Username').fill('bob');
    await bob.page.getByLabel('Password').fill(PASSWORD);
    await bob.page.getByRole('button', { name: 'Create account' }).click();
    await visible(bob.page.getByRole('heading', { name: 'Tea Room' }));
    expect(await bob.page.getByRole('link', { name: 'Admin panel' }).count()).toBe(0);
    await bob.page.getByRole('button', { name: 'Join server' }).click();
    await visible(message(bob.page, 'Hello from Alice'));
    expect(new URL(bob.page.url()).pathname).toBe(`/app/channels/${guildId}/${channelId}`);

    // Alice's member list learns about Bob without a reload (MEMBER_JOIN).
    await visible(alice.page.locator('.member-panel .member-name', { hasText: 'bob' }));

    // Live: Alice posts, Bob sees it without reloading.
    await send(alice.page, 'Are you there, Bob?');
    await visible(message(bob.page, 'Are you there, Bob?'));

    // Typing shows on the other side.
    await bob.page.getByRole('textbox', { name: 'Message #general' }).pressSequentially('Ye');
    await visible(alice.page.getByText('bob is typing…'));

    // Bob replies to Alice's message; Alice sees the reply, with the reference, live.
    const question = message(bob.page, 'Are you there, Bob?');
    await question.hover();
    await question.getByRole('button', { name: 'Reply' }).click();
    await visible(bob.page.getByText('Replying to'));
    await send(bob.page, 'Yes! Hi Alice.');
    const reply = message(alice.page, 'Yes! Hi Alice.');
    await visible(reply);
    expect(await reply.locator('.reply-ref').textContent()).toContain('Are you there, Bob?');
    expect(await reply.locator('.author').last().textContent()).toBe('bob');
    await until(
      'the typing notice to clear',
      () => alice.page.locator('.typing').textContent(),
      (t) => t === '',
    );

    // Both sides hold the same history, in order, with bob's arrival announced between the first two.
    const texts = (page: typeof alice.page) => page.locator('article:not([data-system]) .message-content').allTextContents();
    expect(await texts(alice.page)).toEqual(['Hello from Alice', 'Are you there, Bob?', 'Yes! Hi Alice.']);
    expect(await texts(bob.page)).toEqual(['Hello from Alice', 'Are you there, Bob?', 'Yes! Hi Alice.']);
    for (const page of [alice.page, bob.page]) {
      const order = await page.locator('article[data-message-id]').evaluateAll((els) => els.map((el) => el.getAttribute('data-system') ?? 'message'));
      expect(order).toEqual(['message', 'join', 'message', 'message']);
      expect(await page.locator('article[data-system="join"] .author-button').textContent()).toBe('bob');
    }

    await screenshot(alice.page, 'chat-alice');
    await screenshot(bob.page, 'chat-bob');
    expect(alice.errors).toEqual([]);
    expect(bob.errors).toEqual([]);
  }, 60_000);
});
