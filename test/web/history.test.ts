// Issue 15 item 4, second half, in Chromium with two people: ↑ in an empty composer edits your last message (the
// other person sees the edit live), a reply's header jumps to the replied message far back in history (loaded with
// around=) and "Jump to present" comes back, the pins panel lists, jumps and unpins (only for a moderator), search
// with from:/in:/has: filters jumps into another channel, and a 10 000-message channel scrolled to its start and
// back keeps the number of messages in the DOM bounded. Desktop and 390×844.
import { describe, expect, it } from 'bun:test';
import type { Page } from 'playwright-core';
import { register } from '../support/test-server.ts';
import { composer, hidden, logInInPage, message, openPage, PASSWORD, screenshot, send, until, visible } from './support/browser.ts';
import { serverAndBrowser } from './support/server-and-browser.ts';

const { server, browser } = await serverAndBrowser();
const VIEWPORTS = [
  { name: 'desktop', viewport: { width: 1440, height: 900 } },
  { name: 'mobile', viewport: { width: 390, height: 844 } },
] as const;

let n = 0;
/** Two people in a fresh server: alice owns it, bob joined; its #general id. */
async function world() {
  n += 1;
  const alice = await register(server, `alice${n}`, PASSWORD);
  const bob = await register(server, `bob${n}`, PASSWORD);
  const guild = await server.api('POST', '/api/v1/guilds', { token: alice.token, body: { name: `History ${n}` } });
  const channelId: string = guild.body.channels[0].id;
  const invite = await server.api('POST', `/api/v1/channels/${channelId}/invites`, { token: alice.token, body: {} });
  await server.api('POST', `/api/v1/invites/${invite.body.code}`, { token: bob.token });
  return { alice, bob, guildId: guild.body.id as string, channelId };
}

async function say(token: string, channelId: string, content: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await server.api('POST', `/api/v1/channels/${channelId}/messages`, { token, body: { content, ...extra } });
  if (res.status !== 200) throw new Error(`post: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** Many messages fast, through the same domain service the routes call (no HTTP round trip each). */
async function seed(channelId: string, authorId: string, count: number, text: (i: number) => string): Promise<void> {
  const { messages } = server.harmony.core.services;
  for (let i = 1; i <= count; i++) await messages.send(channelId, authorId, { content: text(i) });
}

const renderedMessages = (page: Page) => page.locator('article.message').count();
const scroller = (page: Page, channel = 'general') => page.getByRole('region', { name: `Messages in #${channel}` });

/** Is the element inside the scroller's visible box? */
async function inView(page: Page, text: string, channel = 'general'): Promise<boolean> {
  const box = await scroller(page, channel).boundingBox();
  const el = await message(page, text).boundingBox();
  return !!box && !!el && el.y + el.height > box.y && el.y < box.y + box.height;
}

describe.each(VIEWPORTS)('history on $name', ({ name, viewport }) => {
  it('↑ in an empty composer edits your last message, and the other person sees the edit', async () => {
    const { alice, bob, guildId, channelId } = await world();
    const a = await openPage(browser, { viewport });
    const b = await openPage(browser, { viewport });
    await logInInPage(a.page, server, alice.user.username, `/app/channels/${guildId}/${channelId}`);
    await logInInPage(b.page, server, bob.user.username, `/app/channels/${guildId}/${channelId}`);
    await send(a.page, 'first draft');
    await send(b.page, 'a reply from bob');
    await visible(message(a.page, 'a reply from bob'));
    await composer(a.page).press('ArrowUp');
    const box = a.page.getByRole('textbox', { name: 'Edit message' });
    await visible(box);
    expect(await box.inputValue()).toBe('first draft');
    await box.fill('final text');
    await box.press('Enter');
    await visible(message(a.page, 'final text'));
    await visible(message(b.page, 'final text'));
    expect(await message(b.page, 'final text').textContent()).toContain('(edited)');
    // With text in the composer, ↑ moves the caret and opens nothing.
    await composer(a.page).fill('not empty');
    await composer(a.page).press('ArrowUp');
    expect(await a.page.getByRole('textbox', { name: 'Edit message' }).count()).toBe(0);
    expect([...a.errors, ...b.errors]).toEqual([]);
    await a.context.close();
    await b.context.close();
  }, 60_000);

  it('jumps from a reply to the replied message far back, highlighted, and back to the present', async () => {
    const { alice, bob, guildId, channelId } = await world();
    const original = await say(bob.token, channelId, 'the original question');
    await seed(channelId, bob.user.id, 300, (i) => `filler ${i}`);
    await say(alice.token, channelId, 'the answer, at last', { reply_to: original });
    const { page, context, errors } = await openPage(browser, { viewport });
    await logInInPage(page, server, alice.user.username, `/app/channels/${guildId}/${channelId}`);
    await visible(message(page, 'the answer, at last'));
    expect(await message(page, 'the original question').count()).toBe(0);
    await page.getByRole('button', { name: 'Jump to the replied message' }).click();
    await visible(message(page, 'the original question'));
    await until(
      'the replied message in view',
      () => inView(page, 'the original question'),
      (v) => v,
    );
    expect(await message(page, 'the original question').getAttribute('class')).toContain('jumped');
    await screenshot(page, `history-jump-reply-${name}`, name === 'desktop' ? 'jump-to-reply' : undefined);
    // Newer messages are not loaded after a jump: "Jump to present" brings the newest page back.
    await page.getByRole('button', { name: 'Jump to present' }).click();
    await until(
      'the newest message in view',
      () => inView(page, 'the answer, at last'),
      (v) => v,
    );
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it('lists pins, jumps to one, and lets only a moderator unpin', async () => {
    const { alice, bob, guildId, channelId } = await world();
    const pinned = await say(bob.token, channelId, 'remember this rule');
    await seed(channelId, bob.user.id, 120, (i) => `chatter ${i}`);
    const pin = await server.api('PUT', `/api/v1/channels/${channelId}/pins/${pinned}`, { token: alice.token });
    expect(pin.status).toBe(204);
    const b = await openPage(browser, { viewport });
    await logInInPage(b.page, server, bob.user.username, `/app/channels/${guildId}/${channelId}`);
    await b.page.getByRole('button', { name: 'Pinned messages' }).click();
    const bobPanel = b.page.getByRole('complementary', { name: 'Pinned messages' });
    await visible(bobPanel.getByText('remember this rule'));
    expect(await bobPanel.getByRole('button', { name: /^Unpin/ }).count()).toBe(0);
    const a = await openPage(browser, { viewport });
    await logInInPage(a.page, server, alice.user.username, `/app/channels/${guildId}/${channelId}`);
    await a.page.getByRole('button', { name: 'Pinned messages' }).click();
    const panel = a.page.getByRole('complementary', { name: 'Pinned messages' });
    await visible(panel.getByText('remember this rule'));
    await screenshot(a.page, `history-pins-${name}`);
    await panel.getByRole('button', { name: /^Jump to the message/ }).click();
    // On a phone the panel covers the channel: the jump closes it to show the message.
    if (name === 'mobile') await hidden(panel);
    await until(
      'the pinned message in view',
      () => inView(a.page, 'remember this rule'),
      (v) => v,
    );
    if (name !== 'mobile') {
      await panel.getByRole('button', { name: /^Unpin/ }).click();
      await visible(panel.getByText('No pinned messages in #general yet.'));
      expect((await server.api('GET', `/api/v1/channels/${channelId}/pins`, { token: bob.token })).body).toEqual([]);
    }
    expect([...a.errors, ...b.errors]).toEqual([]);
    await a.context.close();
    await b.context.close();
  }, 90_000);

  it('searches with from:, in: and has: and jumps to a result in another channel', async () => {
    const { alice, bob, guildId, channelId } = await world();
    const random = await server.api('POST', `/api/v1/guilds/${guildId}/channels`, { token: alice.token, body: { name: 'random' } });
    await say(bob.token, random.body.id, 'the launch notes are at https://example.com/launch');
    await seed(random.body.id, alice.user.id, 120, (i) => `random talk ${i}`);
    await say(alice.token, channelId, 'launch party on friday');
    await say(bob.token, channelId, 'launch checklist without a link');
    const { page, context, errors } = await openPage(browser, { viewport });
    await logInInPage(page, server, alice.user.username, `/app/channels/${guildId}/${channelId}`);
    const search = page.getByRole('searchbox', { name: 'Search messages' });
    await search.fill('launch');
    await search.press('Enter');
    const panel = page.getByRole('complementary', { name: 'Search results' });
    await visible(panel.getByText('3 results'));
    await search.fill(`launch from:${bob.user.username} has:link`);
    await search.press('Enter');
    await visible(panel.getByText('1 result', { exact: true }));
    await search.fill(`launch in:general`);
    await search.press('Enter');
    await visible(panel.getByText('2 results'));
    await search.fill(`launch from:${bob.user.username} has:link`);
    await search.press('Enter');
    await visible(panel.getByText('1 result', { exact: true }));
    await visible(panel.getByText('#random'));
    await screenshot(page, `history-search-${name}`, name === 'desktop' ? 'message-search' : undefined);
    await panel.getByRole('button', { name: /^Jump to the message/ }).click();
    await visible(page.getByRole('heading', { name: 'random' }));
    await visible(message(page, 'the launch notes are at https://example.com/launch'));
    await until(
      'the found message in view',
      () => inView(page, 'the launch notes are at https://example.com/launch', 'random'),
      (v) => v,
    );
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);
});

describe('a 10 000-message channel', () => {
  it('scrolls to the start and back with the DOM holding a bounded number of messages', async () => {
    const { alice, bob, guildId, channelId } = await world();
    await seed(channelId, bob.user.id, 10_000, (i) => (i % 7 === 0 ? `message ${i}\nwith a second line\nand a third` : `message ${i}`));
    for (const { viewport } of VIEWPORTS) {
      const { page, context, errors } = await openPage(browser, { viewport });
      await logInInPage(page, server, alice.user.username, `/app/channels/${guildId}/${channelId}`);
      await visible(message(page, 'message 10000'));
      let most = 0;
      const started = Date.now();
      while ((await page.getByText('This is the start of the channel.').count()) === 0) {
        if (Date.now() - started > 150_000) throw new Error('never reached the start of the channel');
        await scroller(page).evaluate((el) => {
          el.scrollTop = 0;
        });
        await Bun.sleep(60);
        most = Math.max(most, await renderedMessages(page));
      }
      await visible(message(page, 'message 1'));
      const loaded = await page.evaluate(() => document.querySelectorAll('.message-slot').length);
      most = Math.max(most, await renderedMessages(page));
      // Everything is loaded, yet only a screenful or so is rendered.
      expect(loaded).toBeLessThan(120);
      expect(most).toBeLessThan(120);
      // Back to the bottom by hand, through every message.
      await page.getByRole('button', { name: 'Jump to present' }).click();
      await until(
        'the newest message in view',
        () => inView(page, 'message 10000'),
        (v) => v,
      );
      expect(await renderedMessages(page)).toBeLessThan(120);
      // Scrolling stays smooth: the work of one 400 px step (the scroll handler, the render of the new window and
      // its layout) takes a few milliseconds, however many messages are loaded. Measured without waiting for
      // frames, so a busy machine's frame pacing does not count.
      const perStep = await scroller(page).evaluate(async (el) => {
        let spent = 0;
        for (let i = 0; i < 40; i++) {
          const t0 = performance.now();
          el.scrollTop -= 400;
          el.dispatchEvent(new Event('scroll'));
          await new Promise((r) => setTimeout(r, 0));
          void el.scrollHeight;
          spent += performance.now() - t0;
          await new Promise((r) => requestAnimationFrame(r));
        }
        return spent / 40;
      });
      console.log(
        `10 000 messages, ${viewport.width}x${viewport.height}: ${perStep.toFixed(1)} ms of work per 400 px scroll step, at most ${most} messages rendered`,
      );
      expect(perStep).toBeLessThan(60);
      expect(await renderedMessages(page)).toBeLessThan(120);
      expect(errors).toEqual([]);
      await context.close();
    }
  }, 600_000);
});
