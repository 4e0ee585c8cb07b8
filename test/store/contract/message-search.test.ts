// Repository contract: message search (SQLite's FTS5 trigram index, PostgreSQL's pg_trgm over unaccented text) finds
// the same messages in the same order with the same total on both engines, and system messages and the guild's
// system channel round-trip.
import { expect, test } from 'bun:test';
import type { Attachment } from '../../../src/domain/attachments.ts';
import type { MessageSearchQuery } from '../../../src/domain/message-search.ts';
import type { Message } from '../../../src/domain/messages.ts';
import { forEachEngine, type Stores } from './engines.ts';
import { addChannel, addGuild, addMessage, addUser, snowflake } from './fixtures.ts';

const U64_MAX = '18446744073709551615';

const file = (m: Message, contentType: string): Attachment => {
  const id = snowflake();
  return {
    id,
    messageId: m.id,
    channelId: m.channelId,
    position: 0,
    filename: 'f',
    description: null,
    contentType,
    size: 10,
    width: null,
    height: null,
    sha256: 'ab'.repeat(32),
    fileKey: `attachments/${id}`,
  };
};

/**
 * A search as the search service runs it: the index first takes every message waiting for it (on SQLite, messages
 * above its mark and queued ones, migrations 0023 and 0025; PostgreSQL has nothing to wait for), in small batches to
 * cross batch edges.
 */
async function searchCaughtUp(s: Stores, q: MessageSearchQuery) {
  while (await s.messages.hasPendingSearch()) expect(await s.messages.indexPendingSearch(2)).toBeGreaterThan(0);
  expect(await s.messages.indexPendingSearch(2)).toBe(0);
  return s.messages.search(q);
}

/** A guild with two channels, a person, a bot and a webhook, and messages that each filter tells apart. */
async function corpus(s: Stores) {
  const person = await addUser(s);
  const bot = await addUser(s, { bot: true });
  const guild = await addGuild(s, person);
  const general = await addChannel(s, guild);
  const random = await addChannel(s, guild, { name: 'random' });
  const add = (content: string, fields: Partial<Message> = {}, channel = general, author = person) =>
    addMessage(s, channel, guild, author, { content, ...fields });
  const m = {
    cafe: await add('Un Café au lait, s’il vous plaît'),
    japanese: await add('これは日本語のテキストです'),
    russian: await add('ПРИВЕТ мир'),
    ok: await add('OK then, see you'),
    percent: await add('5% off today'),
    fifty: await add('50 off today'),
    link: await add('read HTTPS://example.com/x', { mentions: [bot] }),
    embed: await add('', { embeds: [{ title: 'Embedded' }] as never, pinned: true }),
    image: await add('a picture'),
    text: await add('a text file'),
    everyone: await add('@everyone meeting', { mentionEveryone: true }),
    byBot: await add('bot says cafe', {}, random, bot),
    hooked: await add('hook says hi', { webhook: { id: snowflake(), name: 'Hook', avatar: null, avatarUrl: null } }, random),
  };
  await s.attachments.insert(file(m.image, 'image/png'));
  await s.attachments.insert(file(m.text, 'text/plain'));
  const all = Object.values(m);
  return { person, bot, guild, general, random, m, all };
}

const query = (channelIds: string[], fields: Partial<MessageSearchQuery> = {}): MessageSearchQuery => ({
  channelIds,
  terms: [],
  sortBy: 'timestamp',
  sortOrder: 'desc',
  offset: 0,
  limit: 25,
  ...fields,
});

forEachEngine('message search', (stores) => {
  test('no filter: every message of the channels, newest first, with the total; none when no channel is allowed', async () => {
    const s = stores();
    const { general, random, all } = await corpus(s);
    const found = await searchCaughtUp(s, query([general, random]));
    expect(found.total).toBe(all.length);
    expect(found.messages.map((x) => x.id)).toEqual(all.map((x) => x.id).reverse());
    expect(found.messages.at(-1)).toEqual(all[0] as Message);
    expect(await searchCaughtUp(s, query([]))).toEqual({ total: 0, messages: [] });
    expect(await searchCaughtUp(s, query([U64_MAX]))).toEqual({ total: 0, messages: [] });
  });

  test('content: substrings ignoring case and diacritics in any script, short terms, every term must match', async () => {
    const s = stores();
    const { general, random, m } = await corpus(s);
    const ids = async (terms: string[], channels = [general, random]) => {
      const found = await searchCaughtUp(s, query(channels, { terms }));
      expect(found.total).toBe(found.messages.length);
      return found.messages.map((x) => x.id);
    };
    expect(await ids(['cafe'])).toEqual([m.byBot.id, m.cafe.id]);
    expect(await ids(['CAFÉ'])).toEqual([m.byBot.id, m.cafe.id]);
    expect(await ids(['afé au'])).toEqual([m.cafe.id]);
    expect(await ids(['cafe', 'plaît'])).toEqual([m.cafe.id]);
    expect(await ids(['cafe', 'nowhere'])).toEqual([]);
    expect(await ids(['日本語'])).toEqual([m.japanese.id]);
    expect(await ids(['привет'])).toEqual([m.russian.id]);
    expect(await ids(['テキスト'])).toEqual([m.japanese.id]);
    // Shorter than a trigram.
    expect(await ids(['ok'])).toEqual([m.hooked.id, m.ok.id]);
    expect(await ids(['日本'])).toEqual([m.japanese.id]);
    expect(await ids(['hi'])).toEqual([m.hooked.id]);
    // LIKE's wildcards are plain characters in a term.
    expect(await ids(['5%'])).toEqual([m.percent.id]);
    expect(await ids(['%'])).toEqual([m.percent.id]);
    expect(await ids(['_'])).toEqual([]);
    expect(await ids(['cafe'], [general])).toEqual([m.cafe.id]);
  });

  test('author, author type, mentions, @everyone, pinned and id bounds', async () => {
    const s = stores();
    const { person, bot, general, random, m, all } = await corpus(s);
    const ids = async (fields: Partial<MessageSearchQuery>) => (await searchCaughtUp(s, query([general, random], fields))).messages.map((x) => x.id);
    expect(await ids({ authorIds: [bot] })).toEqual([m.byBot.id]);
    expect(await ids({ authorIds: [bot, person], terms: ['says'] })).toEqual([m.hooked.id, m.byBot.id]);
    expect(await ids({ authorTypes: [{ value: 'bot', negate: false }] })).toEqual([m.byBot.id]);
    expect(await ids({ authorTypes: [{ value: 'webhook', negate: false }] })).toEqual([m.hooked.id]);
    expect(await ids({ authorTypes: [{ value: 'user', negate: false }], terms: ['says'] })).toEqual([]);
    expect(await ids({ authorTypes: [{ value: 'webhook', negate: true }], terms: ['says'] })).toEqual([m.byBot.id]);
    expect(await ids({ mentions: [bot] })).toEqual([m.link.id]);
    expect(await ids({ mentions: [person, bot] })).toEqual([m.link.id]);
    expect(await ids({ mentions: [person] })).toEqual([]);
    expect(await ids({ mentionEveryone: true })).toEqual([m.everyone.id]);
    expect(await ids({ pinned: true })).toEqual([m.embed.id]);
    expect(await ids({ pinned: false })).toHaveLength(all.length - 1);
    expect(await ids({ minId: m.everyone.id })).toEqual([m.hooked.id, m.byBot.id]);
    expect(await ids({ maxId: m.japanese.id })).toEqual([m.cafe.id]);
    expect(await ids({ minId: m.cafe.id, maxId: m.russian.id })).toEqual([m.japanese.id]);
    expect(await ids({ maxId: U64_MAX, minId: m.byBot.id })).toEqual([m.hooked.id]);
  });

  test('has: link, embed, file, image (any of the wanted kinds, none of the refused)', async () => {
    const s = stores();
    const { general, random, m, all } = await corpus(s);
    const ids = async (...has: string[]) =>
      (
        await searchCaughtUp(
          s,
          query([general, random], { has: has.map((h) => ({ value: h.replace('-', ''), negate: h.startsWith('-') })) as MessageSearchQuery['has'] }),
        )
      ).messages.map((x) => x.id);
    expect(await ids('link')).toEqual([m.link.id]);
    expect(await ids('embed')).toEqual([m.embed.id]);
    expect(await ids('file')).toEqual([m.text.id, m.image.id]);
    expect(await ids('image')).toEqual([m.image.id]);
    expect(await ids('video')).toEqual([]);
    expect(await ids('poll')).toEqual([]);
    expect(await ids('image', 'link')).toEqual([m.image.id, m.link.id]);
    expect(await ids('file', '-image')).toEqual([m.text.id]);
    expect(await ids('-file', '-link', '-embed')).toHaveLength(all.length - 4);
  });

  test('sort order, offset and limit page through the matches; the total counts them all', async () => {
    const s = stores();
    const { general, random, all } = await corpus(s);
    const asc = all.map((x) => x.id);
    const page = (fields: Partial<MessageSearchQuery>) => searchCaughtUp(s, query([general, random], fields));
    const first = await page({ sortOrder: 'asc', limit: 5 });
    expect(first.total).toBe(all.length);
    expect(first.messages.map((x) => x.id)).toEqual(asc.slice(0, 5));
    const second = await page({ sortOrder: 'asc', limit: 5, offset: 5 });
    expect(second.total).toBe(all.length);
    expect(second.messages.map((x) => x.id)).toEqual(asc.slice(5, 10));
    const last = await page({ sortOrder: 'desc', limit: 5, offset: 10 });
    expect(last.messages.map((x) => x.id)).toEqual([...asc].reverse().slice(10));
    expect(await page({ offset: all.length })).toEqual({ total: all.length, messages: [] });
    const termed = await page({ terms: ['day'], limit: 1, sortOrder: 'asc' });
    expect(termed.total).toBe(2);
    expect(termed.messages.map((x) => x.content)).toEqual(['5% off today']);
    // Relevance ranks by engine (bm25, trigram similarity) but finds the same messages with the same total.
    const relevant = await page({ terms: ['cafe'], sortBy: 'relevance' });
    expect(relevant.total).toBe(2);
    expect(relevant.messages.map((x) => x.content).sort()).toEqual(['Un Café au lait, s’il vous plaît', 'bot says cafe']);
  });

  test('edits and deletes keep the index in step', async () => {
    const s = stores();
    const { general, random, m } = await corpus(s);
    const ids = async (terms: string[]) => (await searchCaughtUp(s, query([general, random], { terms }))).messages.map((x) => x.id);
    await s.messages.update({ ...m.ok, content: 'changed to Ünïcode', editedAt: 5 });
    expect(await ids(['then'])).toEqual([]);
    expect(await ids(['unicode'])).toEqual([m.ok.id]);
    await s.messages.delete(m.ok.id);
    expect(await ids(['unicode'])).toEqual([]);
    await s.channels.delete(random);
    expect(await ids(['cafe'])).toEqual([m.cafe.id]);
  });

  test('a message stored after newer ones were indexed (its id minted first) is found, and one edited before it was indexed only by its new words', async () => {
    const s = stores();
    const { person, guild, general, m } = await corpus(s);
    const ids = async (terms: string[]) => (await searchCaughtUp(s, query([general], { terms }))).messages.map((x) => x.id);
    expect(await ids(['cafe'])).toEqual([m.cafe.id]);
    // SQLite's index has taken every message up to the newest: this one's id is older than all of them.
    const late = await addMessage(s, general, guild, person, { id: (BigInt(m.cafe.id) - 1n).toString(), content: 'a late okapi' });
    const waiting = await addMessage(s, general, guild, person, { content: 'first okapi words' });
    await s.messages.update({ ...waiting, content: 'second okapi words', editedAt: 5 });
    expect(await ids(['okapi'])).toEqual([waiting.id, late.id]);
    expect(await ids(['first'])).toEqual([]);
    expect(await ids(['second'])).toEqual([waiting.id]);
  });
});

forEachEngine('system messages and channel', (stores) => {
  test('setSystem marks a message as written by the server; others carry no system key', async () => {
    const s = stores();
    const person = await addUser(s);
    const guild = await addGuild(s, person);
    const channel = await addChannel(s, guild);
    const join = await addMessage(s, channel, guild, person, { content: '' });
    const plain = await addMessage(s, channel, guild, person);
    await s.messages.setSystem(join.id, 'join');
    expect(await s.messages.byId(join.id)).toEqual({ ...join, system: 'join' });
    const stored = await s.messages.byId(plain.id);
    expect(stored).toEqual(plain);
    expect(stored && 'system' in stored).toBe(false);
    expect((await s.messages.list(channel, { limit: 5 })).map((x) => x.system ?? null)).toEqual([null, 'join']);
    // Search finds what people wrote, not the server's announcements.
    expect((await searchCaughtUp(s, query([channel]))).messages.map((x) => x.id)).toEqual([plain.id]);
  });

  test("a guild's system channel and flags round-trip, and deleting the channel clears it", async () => {
    const s = stores();
    const person = await addUser(s);
    const guild = await addGuild(s, person);
    const channel = await addChannel(s, guild);
    expect(await s.guilds.guild(guild)).toMatchObject({ systemChannelId: null, systemChannelFlags: 0 });
    await s.guilds.updateGuild(guild, { systemChannelId: channel, systemChannelFlags: 5 });
    expect(await s.guilds.guild(guild)).toMatchObject({ name: 'Guild', systemChannelId: channel, systemChannelFlags: 5 });
    expect((await s.guilds.guildsOf(person))[0]).toMatchObject({ systemChannelId: channel, systemChannelFlags: 5 });
    await s.guilds.updateGuild(guild, { systemChannelFlags: 0 });
    expect(await s.guilds.guild(guild)).toMatchObject({ systemChannelId: channel, systemChannelFlags: 0 });
    await s.guilds.updateGuild(guild, { systemChannelId: null });
    expect(await s.guilds.guild(guild)).toMatchObject({ systemChannelId: null });
    await s.guilds.updateGuild(guild, { systemChannelId: channel });
    await s.channels.delete(channel);
    expect(await s.guilds.guild(guild)).toMatchObject({ systemChannelId: null, systemChannelFlags: 0 });
  });
});
