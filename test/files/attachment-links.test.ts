// Signed attachment links: Discord's ex/is/hm parameters, a day's lifetime, the instance's own secret (made once,
// kept in the database), and the public URL when one is configured.
import { describe, expect, it } from 'bun:test';
import { defaultConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { SqliteUnitOfWork } from '../../src/db/unit-of-work.ts';
import { EventHub } from '../../src/events/event-hub.ts';
import { AttachmentLinks, LINK_LIFETIME_SECONDS } from '../../src/files/attachment-links.ts';
import { sqliteRepositories } from '../../src/store/sqlite/index.ts';

const T0 = Date.UTC(2026, 11, 6, 12, 0, 0);
const attachment = { id: '1300000000000000002', channelId: '1300000000000000001', filename: 'a b.png' };

/** Links over `db` (a new database unless given), their secret loaded as the core loads it. */
async function links(now: { ms: number }, publicUrl: string | null = null, db = openDatabase(':memory:')) {
  migrate(db);
  const uow = new SqliteUnitOfWork(db, new EventHub(), sqliteRepositories);
  const made = new AttachmentLinks(uow.repos.settings, { now: () => now.ms }, defaultConfig({ publicUrl, port: 4000 }));
  await made.load(uow);
  return { db, links: made };
}

const params = (url: string) => Object.fromEntries(new URL(url).searchParams) as { ex: string; is: string; hm: string };

describe('AttachmentLinks', () => {
  it('mints /attachments/{channel}/{id}/{filename}?ex&is&hm, valid for 24 hours from now', async () => {
    const now = { ms: T0 };
    const { links: l } = await links(now);
    l.listeningAt('http://127.0.0.1:4000');
    const url = l.url(attachment);
    expect(url).toMatch(
      /^http:\/\/127\.0\.0\.1:4000\/attachments\/1300000000000000001\/1300000000000000002\/a%20b\.png\?ex=[0-9a-f]+&is=[0-9a-f]+&hm=[0-9a-f]{64}$/,
    );
    const p = params(url);
    expect(Number.parseInt(p.is, 16)).toBe(T0 / 1000);
    expect(Number.parseInt(p.ex, 16)).toBe(T0 / 1000 + LINK_LIFETIME_SECONDS);
    expect(l.check(attachment.channelId, attachment.id, p)).toBe(LINK_LIFETIME_SECONDS);
    now.ms += (LINK_LIFETIME_SECONDS - 1) * 1000;
    expect(l.check(attachment.channelId, attachment.id, p)).toBe(1);
    now.ms += 1000;
    expect(l.check(attachment.channelId, attachment.id, p)).toBeNull();
  });

  it("mints an interaction's file link under /ephemeral-attachments/{interaction}, signed apart from every channel link", async () => {
    const { links: l } = await links({ ms: T0 });
    l.listeningAt('http://127.0.0.1:4000');
    const held = { ...attachment, interactionId: '1300000000000000005' };
    const url = l.url(held);
    expect(url).toMatch(
      /^http:\/\/127\.0\.0\.1:4000\/ephemeral-attachments\/1300000000000000005\/1300000000000000002\/a%20b\.png\?ex=[0-9a-f]+&is=[0-9a-f]+&hm=[0-9a-f]{64}$/,
    );
    const p = params(url);
    expect(l.checkInteractionFile(held.interactionId, held.id, p)).toBe(LINK_LIFETIME_SECONDS);
    // Neither kind of link opens the other: not as the interaction's channel, not as a channel named like it.
    expect(l.check(held.channelId, held.id, p)).toBeNull();
    expect(l.check(held.interactionId, held.id, p)).toBeNull();
    expect(l.checkInteractionFile(attachment.channelId, attachment.id, params(l.url(attachment)))).toBeNull();
  });

  it('refuses a link for another attachment or channel, with a moved time, a changed mac, or missing parts', async () => {
    const { links: l } = await links({ ms: T0 });
    const p = params(l.url(attachment));
    const later = (Number.parseInt(p.ex, 16) + 60).toString(16);
    expect(l.check(attachment.channelId, '1300000000000000003', p)).toBeNull();
    expect(l.check('1300000000000000009', attachment.id, p)).toBeNull();
    expect(l.check(attachment.channelId, attachment.id, { ...p, ex: later })).toBeNull();
    expect(l.check(attachment.channelId, attachment.id, { ...p, is: (Number.parseInt(p.is, 16) - 1).toString(16) })).toBeNull();
    expect(l.check(attachment.channelId, attachment.id, { ...p, hm: p.hm.replace(/.$/, (c) => (c === '0' ? '1' : '0')) })).toBeNull();
    expect(l.check(attachment.channelId, attachment.id, { ...p, hm: p.hm.toUpperCase() })).toBeNull();
    expect(l.check(attachment.channelId, attachment.id, { ex: p.ex, is: p.is })).toBeNull();
    expect(l.check(attachment.channelId, attachment.id, {})).toBeNull();
  });

  it('keeps its secret in the database: another process on the same data verifies, another instance does not', async () => {
    const now = { ms: T0 };
    const first = await links(now);
    const url = first.links.url(attachment);
    const sameData = (await links(now, null, first.db)).links;
    expect(sameData.check(attachment.channelId, attachment.id, params(url))).toBe(LINK_LIFETIME_SECONDS);
    const elsewhere = (await links(now)).links;
    expect(elsewhere.check(attachment.channelId, attachment.id, params(url))).toBeNull();
  });

  it('uses the public URL, with its path, when one is configured', async () => {
    const { links: l } = await links({ ms: T0 }, 'https://chat.example.com/harmony');
    l.listeningAt('http://127.0.0.1:4000');
    expect(l.url(attachment)).toStartWith('https://chat.example.com/harmony/attachments/1300000000000000001/1300000000000000002/a%20b.png?ex=');
  });
});
