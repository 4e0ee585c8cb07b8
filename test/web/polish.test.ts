// Issue 15's leftovers from the last walk-through, each a defect a Discord user would call broken: an unread DM
// whose name is not bold (on load from READY, live, and on the phone), cleared when read on another device; and
// "Jump to present" that showed in a short channel after jumping to a replied message (it shows only while the
// newest messages are not loaded or not in view).
import { describe, expect, it } from 'bun:test';
import type { Locator, Page } from 'playwright-core';
import { composer, hidden, message, openAs, PHONE, until, VIEWPORTS, visible } from './support/browser.ts';
import { type Account, serverAndBrowser, teaRoom } from './support/server-and-browser.ts';

const { server, browser } = await serverAndBrowser();

const { call, alice, people, guild, bot: beacon } = await teaRoom(server, { members: ['bob', 'cid'], botName: 'beacon' });
const { bob, cid } = people;

const say = async (who: Account, channelId: string, content: string, extra: Record<string, unknown> = {}): Promise<string> =>
  (await call(who, 'POST', `/channels/${channelId}/messages`, { content, ...extra })).id;

/** Is the message inside the message list's visible box? */
async function inView(page: Page, text: string, channel: string): Promise<boolean> {
  const box = await page.getByRole('region', { name: `Messages in #${channel}` }).boundingBox();
  const el = await message(page, text).boundingBox();
  return !!box && !!el && el.y + el.height > box.y && el.y < box.y + box.height;
}

const dmRow = (page: Page, name: string) => page.locator('.dm-row').filter({ has: page.locator('.dm-name', { hasText: name }) });
/** The weight the row's name is drawn in, as a person sees it (not the class it carries). */
const nameWeight = (row: Locator) => row.locator('.dm-name').evaluate((el) => Number(getComputedStyle(el).fontWeight));
/** The weight of the name's text itself: a child element drawing it lighter would undo a bold row. */
const textWeights = (row: Locator) =>
  row.locator('.dm-name').evaluate((el) => {
    const weights = new Set<number>();
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (parent && node.textContent?.trim() && !parent.closest('.visually-hidden, .bot-tag')) weights.add(Number(getComputedStyle(parent).fontWeight));
    }
    return [...weights];
  });

async function expectUnread(row: Locator, mentions: number, what: string): Promise<void> {
  await visible(row.getByRole('status', { name: `${mentions} mention${mentions === 1 ? '' : 's'}` }));
  await until(
    `${what}: the name in bold`,
    () => nameWeight(row),
    (w) => w >= 700,
  );
  expect(await textWeights(row)).toEqual([700]);
  expect(await row.locator('.dm-name').textContent()).toContain('(unread)');
}

async function expectRead(row: Locator, what: string): Promise<void> {
  await hidden(row.locator('.mention-badge'));
  await until(
    `${what}: the name in normal weight`,
    () => nameWeight(row),
    (w) => w < 600,
  );
  expect(await row.locator('.dm-name').textContent()).not.toContain('(unread)');
}

describe('an unread DM on the home screen', () => {
  it('is bold with its badge when loaded, when it arrives live and on the phone, and clears when read on another device', async () => {
    // Written before Alice logs in: READY brings it.
    const dm = await call(bob, 'POST', '/users/@me/channels', { recipient_id: alice.id });
    await call(bob, 'POST', `/channels/${dm.id}/messages`, { content: 'are you **there**?' });

    const desk = await openAs(browser, server, 'alice', '/app');
    const phone = await openAs(browser, server, 'alice', '/app', PHONE);
    await phone.page.getByRole('button', { name: 'Open navigation' }).click();

    const deskBob = dmRow(desk.page, 'bob');
    const phoneBob = dmRow(phone.page, 'bob');
    await expectUnread(deskBob, 1, 'desktop, from READY');
    await expectUnread(phoneBob, 1, 'phone, from READY');

    // A new DM arriving live, while Alice is on the home screen.
    const fromCid = await call(cid, 'POST', '/users/@me/channels', { recipient_id: alice.id });
    await call(cid, 'POST', `/channels/${fromCid.id}/messages`, { content: 'hello' });
    await call(cid, 'POST', `/channels/${fromCid.id}/messages`, { content: 'you there?' });
    await expectUnread(dmRow(desk.page, 'cid'), 2, 'desktop, live');
    await expectUnread(dmRow(phone.page, 'cid'), 2, 'phone, live');

    // A group DM too.
    const group = await call(bob, 'POST', '/users/@me/channels', { recipients: [alice.id, cid.id], name: 'Crew' });
    await call(bob, 'POST', `/channels/${group.id}/messages`, { content: 'crew, assemble' });
    await expectUnread(dmRow(desk.page, 'Crew'), 1, 'desktop, group');

    // Read on the phone: the desktop's row clears live, the others stay unread.
    await phoneBob.getByRole('link').click();
    await visible(message(phone.page, 'are you there?'));
    await expectRead(deskBob, 'desktop after the phone read it');
    await expectUnread(dmRow(desk.page, 'cid'), 2, 'desktop, cid still unread');

    // Read on the desktop while the phone shows its list: the phone's row clears live.
    await phone.page.goto(`${server.url}/app`);
    await phone.page.getByRole('button', { name: 'Open navigation' }).click();
    await expectUnread(dmRow(phone.page, 'cid'), 2, 'phone, cid before the desktop reads it');
    await dmRow(desk.page, 'cid').getByRole('link').click();
    await visible(message(desk.page, 'you there?'));
    await expectRead(dmRow(phone.page, 'cid'), 'phone after the desktop read it');
    await expectUnread(dmRow(phone.page, 'Crew'), 1, 'phone, group still unread');

    // A new message in a DM already read and listed (the desktop is on cid's DM, the phone on its list).
    await desk.page.goto(`${server.url}/app`);
    await expectRead(deskBob, 'desktop, bob read before');
    await call(bob, 'POST', `/channels/${dm.id}/messages`, { content: `one more thing, <@${alice.id}>` });
    await expectUnread(deskBob, 1, 'desktop, a new message in a read DM');
    await expectUnread(phoneBob, 1, 'phone, a new message in a read DM');

    expect(desk.errors).toEqual([]);
    expect(phone.errors).toEqual([]);
    await desk.context.close();
    await phone.context.close();
  }, 120_000);
});

describe('"Jump to present" after jumping to a replied message', () => {
  for (const [name, viewport] of VIEWPORTS) {
    it(`does not show in a short channel, where the newest messages stay in view (${name})`, async () => {
      const short = (await call(alice, 'POST', `/guilds/${guild.id}/channels`, { name: `short-${name}` })).id as string;
      const original = await say(bob, short, 'where is the kettle?');
      await say(cid, short, 'good question');
      await say(alice, short, 'on the shelf', { reply_to: original });
      const { page, context, errors } = await openAs(browser, server, 'alice', `/app/channels/${guild.id}/${short}`, viewport);
      await visible(message(page, 'on the shelf'));
      await message(page, 'on the shelf').getByRole('button', { name: 'Jump to the replied message' }).click();
      await until(
        'the replied message highlighted',
        async () => (await message(page, 'where is the kettle?').getAttribute('class')) ?? '',
        (c) => c.includes('jumped'),
      );
      expect(await inView(page, 'on the shelf', `short-${name}`)).toBe(true);
      // Given time to appear, it does not: everything newest is on screen.
      await Bun.sleep(1_000);
      expect(await page.getByRole('button', { name: 'Jump to present' }).count()).toBe(0);
      // New messages still arrive in view.
      await say(bob, short, 'thanks!');
      await visible(message(page, 'thanks!'));
      expect(await page.getByRole('button', { name: 'Jump to present' }).count()).toBe(0);
      expect(errors).toEqual([]);
      await context.close();
    }, 60_000);

    it(`shows while the newest loaded messages are out of view, and takes you back to them (${name})`, async () => {
      const long = (await call(alice, 'POST', `/guilds/${guild.id}/channels`, { name: `long-${name}` })).id as string;
      const original = await say(bob, long, 'the first question');
      for (let i = 1; i <= 30; i++) await say(cid, long, `filler ${i}`);
      await say(alice, long, 'the late answer', { reply_to: original });
      const { page, context, errors } = await openAs(browser, server, 'alice', `/app/channels/${guild.id}/${long}`, viewport);
      await visible(message(page, 'the late answer'));
      expect(await page.getByRole('button', { name: 'Jump to present' }).count()).toBe(0);
      await message(page, 'the late answer').getByRole('button', { name: 'Jump to the replied message' }).click();
      await until('the replied message in view', () => inView(page, 'the first question', `long-${name}`), Boolean);
      await visible(page.getByRole('button', { name: 'Jump to present' }));
      expect(await inView(page, 'the late answer', `long-${name}`)).toBe(false);
      await page.getByRole('button', { name: 'Jump to present' }).click();
      await until('the newest message in view', () => inView(page, 'the late answer', `long-${name}`), Boolean);
      await hidden(page.getByRole('button', { name: 'Jump to present' }));
      expect(errors).toEqual([]);
      await context.close();
    }, 60_000);
  }
});

describe('Server Settings → Bots on a 390×844 phone', () => {
  it("keeps a bot's permissions clear of its buttons", async () => {
    const { page, context, errors } = await openAs(browser, server, 'alice', `/app/guilds/${guild.id}/settings/bots`, PHONE);
    const row = page.locator(`section[aria-labelledby="installed-bots-title"] .bot-row[data-bot-id="${beacon.id}"]`);
    await visible(row.getByRole('button', { name: 'Change permissions' }));
    const boxes = await row.evaluate((el) => {
      const box = (selector: string | null) => {
        const r = (selector ? (el.querySelector(selector) as HTMLElement) : el).getBoundingClientRect();
        return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      };
      const summary = el.querySelector('.perm-summary') as HTMLElement;
      return { summary: box('.perm-summary'), actions: box('.actions'), row: box(null), overflowing: summary.scrollWidth > summary.clientWidth };
    });
    const overlap = (a: typeof boxes.summary, b: typeof boxes.summary) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    expect(overlap(boxes.summary, boxes.actions)).toBe(false);
    expect(boxes.overflowing).toBe(false);
    expect(boxes.summary.right).toBeLessThanOrEqual(boxes.row.right + 0.5);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});

describe('the composer growing', () => {
  for (const [name, viewport] of VIEWPORTS) {
    it(`keeps the newest message in view when the emoji picker or the mention list opens (${name})`, async () => {
      const busy = (await call(alice, 'POST', `/guilds/${guild.id}/channels`, { name: `busy-${name}` })).id as string;
      for (let i = 1; i <= 25; i++) await say(cid, busy, `chatter ${i}`);
      await say(bob, busy, 'the newest word');
      const { page, context, errors } = await openAs(browser, server, 'alice', `/app/channels/${guild.id}/${busy}`, viewport);
      await until('the newest message in view', () => inView(page, 'the newest word', `busy-${name}`), Boolean);
      await page.getByRole('button', { name: 'Emoji', exact: true }).click();
      await visible(page.getByRole('dialog', { name: 'Emoji picker' }).getByRole('gridcell').first());
      await until('the newest message in view over the picker', () => inView(page, 'the newest word', `busy-${name}`), Boolean);
      await page.keyboard.press('Escape');
      await composer(page).fill('@b');
      await visible(page.getByRole('option').first());
      await until('the newest message in view over the mention list', () => inView(page, 'the newest word', `busy-${name}`), Boolean);
      expect(errors).toEqual([]);
      await context.close();
    }, 60_000);
  }
});
