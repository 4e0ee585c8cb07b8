// Enrich at commit: MESSAGE_CREATE / MESSAGE_UPDATE leave the unit of work with the message's view and the guild
// members it names, read inside the transaction, so fan-out encodes them without reading the database.
import { afterEach, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../src/config.ts';
import { createCore } from '../../src/core.ts';
import { openDatabase } from '../../src/db/database.ts';
import { systemClock } from '../../src/domain/clock.ts';
import type { DomainEvent, MessageSeen } from '../../src/events/domain-events.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function setUp() {
  const dir = mkdtempSync(join(tmpdir(), 'harmony-event-views-'));
  const db = openDatabase(join(dir, 'harmony.db'));
  const core = await createCore({ db, config: defaultConfig({ dataDir: dir, port: 0, host: '127.0.0.1' }), clock: systemClock });
  cleanups.push(async () => {
    await core.uow.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const { users, guilds, channels } = core.services;
  const owner = (await users.createUser({ username: 'owner', password: 'owner-password', admin: true })).user;
  const other = (await users.createUser({ username: 'other', password: 'other-password', admin: false })).user;
  const guild = await guilds.create(owner.id, { name: 'Guild' });
  const [channel] = await channels.list(guild.id, owner.id);
  if (!channel) throw new Error('a new guild has a channel');
  const events: DomainEvent[] = [];
  core.hub.subscribe((e) => events.push(e));
  return { core, owner, other, channelId: channel.id, events };
}

/** The latest such event's enrichment (joining through an invite posts a join message first). */
const seenOf = (events: DomainEvent[], type: 'message.create' | 'message.update'): MessageSeen | undefined =>
  events.flatMap((e) => (e.type === type ? [e.seen] : [])).at(-1);

describe('events enriched at commit', () => {
  it('gives MESSAGE_CREATE the view and the members it names', async () => {
    const { core, owner, other, channelId, events } = await setUp();
    const invite = await core.services.invites.create(channelId, owner.id, {});
    await core.services.invites.accept(invite.code, other.id);
    const sent = await core.services.messages.send(channelId, owner.id, { content: `hello <@${other.id}>` });
    const seen = seenOf(events, 'message.create');
    expect(seen?.view.message.id).toBe(sent.id);
    expect(seen?.view.author.username).toBe('owner');
    expect(seen?.view.mentions.map((u) => u.username)).toEqual(['other']);
    expect([...(seen?.members.keys() ?? [])].sort()).toEqual([owner.id, other.id].sort());
    expect(seen?.members.get(other.id)?.guildId).toBe(sent.guildId as string);
  });

  it('names no members for a DM', async () => {
    const { core, owner, other, events } = await setUp();
    const invite = await core.services.invites.create(
      (await core.services.channels.list((await core.services.guilds.create(owner.id, { name: 'G2' })).id, owner.id))[0]?.id as string,
      owner.id,
      {},
    );
    await core.services.invites.accept(invite.code, other.id);
    const dm = await core.services.channels.openDm(owner.id, other.id);
    await core.services.messages.send(dm.id, owner.id, { content: 'psst' });
    const seen = seenOf(events, 'message.create');
    expect(seen?.view.message.content).toBe('psst');
    expect(seen?.members.size).toBe(0);
  });

  it('gives MESSAGE_UPDATE the edited view, read inside the edit', async () => {
    const { core, owner, channelId, events } = await setUp();
    const sent = await core.services.messages.send(channelId, owner.id, { content: 'first' });
    await core.services.messages.edit(sent.id, owner.id, { content: 'second' });
    const seen = seenOf(events, 'message.update');
    expect(seen?.view.message.content).toBe('second');
    expect(seen?.view.message.editedAt).not.toBeNull();
    expect(seen?.members.has(owner.id)).toBe(true);
  });

  it("answers an edit with the view read at commit, with the editor's own reactions read for them", async () => {
    const { core, owner, other, channelId, events } = await setUp();
    const invite = await core.services.invites.create(channelId, owner.id, {});
    await core.services.invites.accept(invite.code, other.id);
    const sent = await core.services.messages.send(channelId, owner.id, { content: 'first' });
    await core.services.messages.react(sent.id, owner.id, '👍');
    await core.services.messages.react(sent.id, other.id, '👍');
    const edited = await core.services.messages.edit(sent.id, owner.id, { content: `second <@${other.id}>` });
    const seen = seenOf(events, 'message.update');
    // MESSAGE_UPDATE carries no viewer's reactions; the editor's answer marks their own.
    expect(seen?.view.reactions).toEqual([]);
    const answer = await core.services.messages.view(edited, owner.id);
    expect(answer.message.content).toBe(`second <@${other.id}>`);
    expect(answer.reactions).toEqual([{ emoji: '👍', count: 2, me: true }]);
    // The rest is the commit's view itself, not read again.
    expect(answer.author).toBe(seen?.view.author as never);
    expect(answer.mentions).toBe(seen?.view.mentions as never);
    // Another object with the same id (read from the store) is viewed afresh.
    const stored = await core.services.messages.get(channelId, other.id, sent.id);
    const fresh = await core.services.messages.view(stored, other.id);
    expect(fresh.author).not.toBe(seen?.view.author as never);
    expect(fresh.reactions).toEqual([{ emoji: '👍', count: 2, me: true }]);
  });

  it('publishes nothing for a write that rolls back', async () => {
    const { core, owner, channelId, events } = await setUp();
    const before = events.length;
    expect(() =>
      core.uow.write(async (emit) => {
        emit({ type: 'message.create', message: { id: '1', channelId, guildId: null, authorId: owner.id } as never });
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    expect(events.length).toBe(before);
  });
});
