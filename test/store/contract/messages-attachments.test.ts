// Repository contract: messages (paging, nonce, pins, edits, JSON columns), reactions, attachments and the
// file-deletion queue behave the same on SQLite and PostgreSQL.
import { expect, test } from 'bun:test';
import type { Attachment } from '../../../src/domain/attachments.ts';
import { forEachEngine } from './engines.ts';
import { addChannel, addGuild, addMessage, addUser, message, snowflake } from './fixtures.ts';

const U64_MAX = '18446744073709551615';

async function room(s: ReturnType<Parameters<Parameters<typeof forEachEngine>[1]>[0]>) {
  const author = await addUser(s);
  const guild = await addGuild(s, author);
  const channel = await addChannel(s, guild);
  return { author, guild, channel };
}

forEachEngine('messages', (stores) => {
  test('a full message round-trips: embeds, components, webhook, interaction, mentions, unicode', async () => {
    const s = stores();
    const { author, guild, channel } = await room(s);
    const webhookId = snowflake();
    const m = message(channel, guild, webhookId, {
      content: 'héllo 👋 <@1> — "quotes" \\ back\u0000slash'.replace('\u0000', ''),
      mentions: [author, '99'],
      mentionRoles: ['5', '6'],
      mentionEveryone: true,
      nonce: 'n-1',
      embeds: [{ title: 'T', description: 'D', fields: [{ name: 'a', value: 'b', inline: true }] }] as never,
      components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Go', customId: 'go' }] }] as never,
      suppressEmbeds: true,
      editedAt: 1_700_000_000_500,
      webhook: { id: webhookId, name: 'Hook', avatar: null, avatarUrl: 'https://example.com/a.png' },
    });
    await s.messages.insert(m);
    expect(await s.messages.byId(m.id)).toEqual({ ...m, interaction: null });
    const interaction = { id: snowflake(), type: 2, applicationId: author, userId: author, guildId: guild, name: 'ping', commandType: 1, targetId: null };
    await s.messages.setInteraction(m.id, interaction as never);
    expect(await s.messages.byId(m.id)).toEqual({ ...m, mentionRoles: ['5', '6'], interaction: interaction as never });
    await s.messages.setInteraction(m.id, null);
    expect((await s.messages.byId(m.id))?.interaction).toBeNull();
    const dm = await addChannel(s, null);
    const inDm = await addMessage(s, dm, null, author);
    expect((await s.messages.byId(inDm.id))?.guildId).toBeNull();
    expect(await s.messages.byId(U64_MAX)).toBeNull();
  });

  test('list: newest first, before/after/around bounds are exclusive (around inclusive), u64 bounds work', async () => {
    const s = stores();
    const { author, guild, channel } = await room(s);
    const other = await addChannel(s, guild);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await addMessage(s, channel, guild, author, { content: `m${i}` })).id);
    await addMessage(s, other, guild, author);
    const at = (i: number) => ids[i] as string;
    const idsOf = (list: { id: string }[]) => list.map((m) => m.id);
    const desc = [...ids].reverse();
    expect(idsOf(await s.messages.list(channel, { limit: 50 }))).toEqual(desc);
    expect(idsOf(await s.messages.list(channel, { limit: 3 }))).toEqual(desc.slice(0, 3));
    expect(idsOf(await s.messages.list(channel, { limit: 50, before: at(3) }))).toEqual([at(2), at(1), at(0)]);
    expect(idsOf(await s.messages.list(channel, { limit: 2, after: at(1) }))).toEqual([at(3), at(2)]);
    expect(idsOf(await s.messages.list(channel, { limit: 50, after: at(4), before: at(6) }))).toEqual([at(5)]);
    expect(idsOf(await s.messages.list(channel, { limit: 4, around: at(3) }))).toEqual([at(5), at(4), at(3), at(2)]);
    expect(idsOf(await s.messages.list(channel, { limit: 50, before: U64_MAX }))).toEqual(desc);
    expect(idsOf(await s.messages.list(channel, { limit: 50, after: U64_MAX }))).toEqual([]);
    expect(idsOf(await s.messages.list(channel, { limit: 50, around: U64_MAX }))).toEqual(desc.slice(0, 25));
  });

  test('byNonce finds the newest match above the bound; update, pins and delete', async () => {
    const s = stores();
    const { author, guild, channel } = await room(s);
    const first = await addMessage(s, channel, guild, author, { nonce: 'same' });
    const second = await addMessage(s, channel, guild, author, { nonce: 'same' });
    expect((await s.messages.byNonce(channel, author, 'same', '0'))?.id).toBe(second.id);
    expect(await s.messages.byNonce(channel, author, 'same', second.id)).toBeNull();
    expect(await s.messages.byNonce(channel, snowflake(), 'same', '0')).toBeNull();
    // What an edit writes comes back; pinning is not an edit's to change.
    const edit = { content: 'edited ✏️', mentions: [author], mentionRoles: [snowflake()], mentionEveryone: true, suppressEmbeds: true, editedAt: 42 };
    await s.messages.update({ ...first, ...edit, pinned: true });
    const edited = await s.messages.byId(first.id);
    expect(edited).toMatchObject({ ...edit, pinned: false });
    await s.messages.update({ ...first, mentionRoles: [] });
    expect((await s.messages.byId(first.id))?.mentionRoles).toEqual([]);
    await s.messages.setPinned(first.id, true);
    await s.messages.setPinned(second.id, true);
    expect((await s.messages.pinned(channel)).map((m) => m.id)).toEqual([second.id, first.id]);
    await s.messages.setPinned(second.id, false);
    expect((await s.messages.pinned(channel)).map((m) => m.id)).toEqual([first.id]);
    await s.messages.delete(first.id);
    expect(await s.messages.byId(first.id)).toBeNull();
    expect(await s.messages.pinned(channel)).toEqual([]);
  });

  test('reactions: idempotent add, counts in first-use order with "me", users paged, clear returns what went', async () => {
    const s = stores();
    const { author, guild, channel } = await room(s);
    const a = await addUser(s);
    const b = await addUser(s);
    const m1 = await addMessage(s, channel, guild, author);
    const m2 = await addMessage(s, channel, guild, author);
    expect(await s.messages.addReaction(m1.id, '👍', a, 10)).toBe(true);
    expect(await s.messages.addReaction(m1.id, '👍', a, 11)).toBe(false);
    await s.messages.addReaction(m1.id, 'party:123', b, 5);
    await s.messages.addReaction(m1.id, '👍', b, 20);
    await s.messages.addReaction(m2.id, '🇫🇷', a, 30);
    const counts = await s.messages.reactionCounts([m1.id, m2.id, snowflake()], a);
    expect([...counts.keys()]).toEqual([m1.id, m2.id]);
    expect(counts.get(m1.id)).toEqual([
      { emoji: 'party:123', count: 1, me: false },
      { emoji: '👍', count: 2, me: true },
    ]);
    expect(counts.get(m2.id)).toEqual([{ emoji: '🇫🇷', count: 1, me: true }]);
    expect((await s.messages.reactionCounts([], a)).size).toBe(0);
    const byAsc = [a, b].sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1));
    expect(await s.messages.reactionUsers(m1.id, '👍', 10, '0')).toEqual(byAsc);
    expect(await s.messages.reactionUsers(m1.id, '👍', 1, byAsc[0] as string)).toEqual([byAsc[1] as string]);
    expect(await s.messages.removeReaction(m1.id, '👍', a)).toBe(true);
    expect(await s.messages.removeReaction(m1.id, '👍', a)).toBe(false);
    expect(await s.messages.clearReactions(m1.id, 'party:123')).toEqual([{ emoji: 'party:123', userId: b }]);
    await s.messages.addReaction(m1.id, '🔥', a, 40);
    const cleared = await s.messages.clearReactions(m1.id, null);
    expect(cleared.map((r) => `${r.emoji} ${r.userId}`).sort()).toEqual([`👍 ${b}`, `🔥 ${a}`].sort());
    // Deleting a message takes its reactions; deleting a user takes theirs.
    await s.messages.delete(m2.id);
    expect((await s.messages.reactionCounts([m2.id], a)).size).toBe(0);
  });
});

forEachEngine('attachments', (stores) => {
  const attachment = (messageId: string, channelId: string, position: number, fields: Partial<Attachment> = {}): Attachment => {
    const id = snowflake();
    return {
      id,
      messageId,
      channelId,
      position,
      filename: `file-${position}.png`,
      description: null,
      contentType: 'image/png',
      size: 3_000_000_000,
      width: 640,
      height: 480,
      sha256: 'ab'.repeat(32),
      fileKey: `attachments/${id}`,
      ...fields,
    };
  };

  test("an edit's update answers what hangs off the message: files, a thread started from it, reactions; null when it is gone", async () => {
    const s = stores();
    const { author, guild, channel } = await room(s);
    const m = await addMessage(s, channel, guild, author);
    expect(await s.messages.update(m)).toEqual({ files: false, thread: false, reactions: false });
    await s.attachments.insert(attachment(m.id, channel, 0));
    expect(await s.messages.update(m)).toEqual({ files: true, thread: false, reactions: false });
    await s.channels.insert({ id: m.id, guildId: guild, type: 11, name: 't', topic: null, position: 0, lastMessageId: null, createdAt: 1 });
    await s.threads.insert({ channelId: m.id, parentId: channel, ownerId: author, invitable: true, autoArchiveMinutes: 60, rateLimitPerUser: 0, at: 1 });
    await s.messages.addReaction(m.id, '👍', author, 1);
    expect(await s.messages.update(m)).toEqual({ files: true, thread: true, reactions: true });
    await s.messages.delete(m.id);
    expect(await s.messages.update(m)).toBeNull();
  });

  test('insert, by id, per message in position order, per page of messages', async () => {
    const s = stores();
    const { author, guild, channel } = await room(s);
    const m1 = await addMessage(s, channel, guild, author);
    const m2 = await addMessage(s, channel, guild, author);
    const second = attachment(m1.id, channel, 1, { filename: 'ünï cødé.txt', contentType: 'text/plain', width: null, height: null, description: 'alt' });
    const first = attachment(m1.id, channel, 0);
    const other = attachment(m2.id, channel, 0);
    for (const a of [second, first, other]) await s.attachments.insert(a);
    expect(await s.attachments.byId(second.id)).toEqual(second);
    expect(await s.attachments.byId(snowflake())).toBeNull();
    expect(await s.attachments.forMessage(m1.id)).toEqual([first, second]);
    const page = await s.attachments.forMessages([m2.id, m1.id, snowflake()]);
    expect([...page.keys()].sort()).toEqual([m1.id, m2.id].sort());
    expect(page.get(m1.id)).toEqual([first, second]);
    expect(page.get(m2.id)).toEqual([other]);
    expect((await s.attachments.forMessages([])).size).toBe(0);
    expect(async () => await s.attachments.insert({ ...first, id: snowflake() })).toThrow();
  });

  test('replace keeps, reorders, adds and drops; every dropped or cascaded row queues its file once', async () => {
    const s = stores();
    const { author, guild, channel } = await room(s);
    const m = await addMessage(s, channel, guild, author);
    const a = attachment(m.id, channel, 0);
    const b = attachment(m.id, channel, 1);
    await s.attachments.insert(a);
    await s.attachments.insert(b);
    const c = attachment(m.id, channel, 0);
    await s.attachments.replace(m.id, [c, { ...b, position: 1 }]);
    expect(await s.attachments.forMessage(m.id)).toEqual([c, b]);
    expect(await s.attachments.pendingFileDeletions()).toEqual([a.fileKey]);
    await s.attachments.fileDeleted(a.fileKey);
    expect(await s.attachments.pendingFileDeletions()).toEqual([]);
    // A message deleted by its channel's deletion still queues its files (the trigger sees cascades).
    await s.channels.delete(channel);
    expect((await s.attachments.pendingFileDeletions()).sort()).toEqual([b.fileKey, c.fileKey].sort());
    expect(await s.attachments.pendingFileDeletions(1)).toHaveLength(1);
    expect(await s.attachments.byId(c.id)).toBeNull();
  });
});
