// What several nodes sharing one PostgreSQL database rely on: each node has its own pool, and the stores' single
// statements decide races the same way everywhere (one winner for a one-time link, one reaction row, one member row).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { SQL } from 'bun';
import { openPostgres } from '../../../src/store/postgres/connection.ts';
import { type PostgresRepositories, postgresRepositories } from '../../../src/store/postgres/index.ts';
import { migratePostgres } from '../../../src/store/postgres/migrate.ts';
import { freshDatabase } from '../../support/postgres-server.ts';
import { snowflake } from '../contract/fixtures.ts';

const NODES = 3;
let pools: SQL[] = [];
let nodes: PostgresRepositories[] = [];

beforeAll(async () => {
  const url = await freshDatabase('harmony_concurrency');
  pools = Array.from({ length: NODES }, () => openPostgres(url, { max: 4 }));
  await Promise.all(pools.map((pool) => migratePostgres(pool)));
  nodes = pools.map((pool) => postgresRepositories(pool));
});

afterAll(async () => {
  for (const pool of pools) await pool.close();
});

async function scene() {
  const [first] = nodes as [PostgresRepositories];
  const userIds = [snowflake(), snowflake(), snowflake()];
  for (const id of userIds) await first.users.insert({ id, username: `n${id}`, passwordHash: null, bot: false, admin: false, createdAt: 1 });
  const guild = snowflake();
  await first.guilds.insertGuild({ id: guild, name: 'g', ownerId: userIds[0] as string, icon: null, description: null, createdAt: 1 });
  const channel = snowflake();
  await first.channels.insert({ id: channel, guildId: guild, type: 0, name: 'c', topic: null, position: 0, lastMessageId: null, createdAt: 1 });
  const message = snowflake();
  await first.messages.insert({
    id: message,
    channelId: channel,
    guildId: guild,
    authorId: userIds[0] as string,
    content: 'x',
    replyTo: null,
    mentionEveryone: false,
    mentions: [],
    pinned: false,
    nonce: null,
    embeds: [],
    components: [],
    suppressEmbeds: false,
    editedAt: null,
    createdAt: 1,
    webhook: null,
  });
  return { userIds, guild, channel, message };
}

describe('several nodes on one PostgreSQL database', () => {
  test('a one-time token link is used by exactly one of many simultaneous requests across nodes', async () => {
    const { userIds } = await scene();
    const user = userIds[1] as string;
    await nodes[0]?.presence.putUser(user, true, null, 1);
    const nonce = new Uint8Array(32).fill(42);
    await nodes[0]?.tokenReveals.put(nonce, user, 1, 10_000);
    const attempts = await Promise.all(Array.from({ length: 12 }, (_, i) => nodes[i % NODES]?.tokenReveals.use(nonce, 100 + i)));
    expect(attempts.filter((a) => a === user)).toHaveLength(1);
    expect(attempts.filter((a) => a === null)).toHaveLength(11);
  });

  test('the same reaction added on every node at once makes one row and one "added"', async () => {
    const { userIds, message } = await scene();
    const user = userIds[2] as string;
    const added = await Promise.all(Array.from({ length: 9 }, (_, i) => nodes[i % NODES]?.messages.addReaction(message, '🎉', user, i)));
    expect(added.filter(Boolean)).toHaveLength(1);
    expect((await nodes[1]?.messages.reactionCounts([message], user))?.get(message)).toEqual([{ emoji: '🎉', count: 1, me: true }]);
  });

  test('mention counters bumped from every node add up exactly', async () => {
    const { userIds, channel } = await scene();
    const user = userIds[1] as string;
    await Promise.all(Array.from({ length: 30 }, (_, i) => nodes[i % NODES]?.readStates.mentionUsers(channel, [user])));
    expect(await nodes[2]?.readStates.ofUser(user)).toEqual([{ channelId: channel, lastReadMessageId: null, mentionCount: 30 }]);
  });

  test('a unit of work on one node is invisible to the others until it commits', async () => {
    const { userIds } = await scene();
    const [a, b] = pools as [SQL, SQL];
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let inserted: () => void = () => {};
    const insertedSignal = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    const id = snowflake();
    const work = a.begin(async (tx) => {
      await postgresRepositories(tx).settings.set(`k${id}`, 'v');
      await postgresRepositories(tx).users.update(userIds[0] as string, { globalName: 'Pending' });
      inserted();
      await held;
    });
    await insertedSignal;
    expect(await postgresRepositories(b).settings.get(`k${id}`)).toBeNull();
    expect((await postgresRepositories(b).users.byId(userIds[0] as string))?.globalName).toBeNull();
    release();
    await work;
    expect(await postgresRepositories(b).settings.get(`k${id}`)).toBe('v');
    expect((await postgresRepositories(b).users.byId(userIds[0] as string))?.globalName).toBe('Pending');
  });
});
