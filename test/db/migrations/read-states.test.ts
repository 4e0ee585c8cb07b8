// Migration 0018 adds read state, notification settings, closed DMs, role mentions and group DMs: an existing DM
// stays open for both people, an existing message mentions no role, and nothing is unread-counted yet.
import { describe, expect, it } from 'bun:test';
import { openDatabase } from '../../../src/db/database.ts';
import { migrate } from '../../../src/db/migrate.ts';
import { MIGRATIONS } from '../../../src/db/migrations/index.ts';
import { ChannelsStore } from '../../../src/store/sqlite/channels-store.ts';
import { MessagesStore } from '../../../src/store/sqlite/messages-store.ts';
import { ReadStatesStore } from '../../../src/store/sqlite/read-states-store.ts';

describe('migration 0018 read-states', () => {
  it('keeps old DMs open, old messages without role mentions, and starts with no read state', () => {
    const db = openDatabase(':memory:');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.id < 18),
    );
    for (const [id, name] of [
      [1, 'a'],
      [2, 'b'],
    ] as const)
      db.query('INSERT INTO users (id, username, username_key, created_at) VALUES (?, ?, ?, 1)').run(id, name, name);
    db.query('INSERT INTO channels (id, guild_id, type, created_at) VALUES (100, NULL, 1, 1)').run();
    db.query('INSERT INTO dm_channels (channel_id, user_low, user_high) VALUES (100, 1, 2)').run();
    db.query("INSERT INTO messages (id, channel_id, author_id, content, created_at) VALUES (500, 100, 1, 'hi', 1)").run();
    expect(
      migrate(
        db,
        MIGRATIONS.filter((m) => m.id <= 18),
      ),
    ).toEqual([18]);
    const reads = new ReadStatesStore(db);
    expect([...reads.closedDms('1')]).toEqual([]);
    expect(reads.ofUser('2')).toEqual([]);
    expect(new MessagesStore(db).byId('500')?.mentionRoles).toEqual([]);
    expect(new ChannelsStore(db).dmsOf('2').map((c) => [c.id, c.recipientIds, c.group ?? null])).toEqual([['100', ['1', '2'], null]]);
  });
});
