// Migration 0020 adds system messages and the guild's system channel: an existing guild gets its first text
// channel (by position, then age) as Discord gives a new guild its #general, a guild without one gets none,
// and existing messages are people's own.
import { describe, expect, it } from 'bun:test';
import { openDatabase } from '../../../src/db/database.ts';
import { migrate } from '../../../src/db/migrate.ts';
import { MIGRATIONS } from '../../../src/db/migrations/index.ts';
import { GuildsStore } from '../../../src/store/sqlite/guilds-store.ts';
import { MessagesStore } from '../../../src/store/sqlite/messages-store.ts';

describe('migration 0020 system-messages', () => {
  it("gives each guild its first text channel as system channel and leaves messages people's", () => {
    const db = openDatabase(':memory:');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.id < 20),
    );
    db.query("INSERT INTO users (id, username, username_key, created_at) VALUES (1, 'a', 'a', 1)").run();
    db.query("INSERT INTO guilds (id, name, owner_id, created_at) VALUES (10, 'With channels', 1, 1), (20, 'Empty', 1, 1)").run();
    // #lobby sits above #general; a thread (type 11) is never a system channel.
    db.query(
      `INSERT INTO channels (id, guild_id, type, name, position, created_at) VALUES
         (11, 10, 0, 'general', 1, 1), (12, 10, 0, 'lobby', 0, 2), (13, 10, 11, 'a thread', 0, 3)`,
    ).run();
    db.query("INSERT INTO messages (id, channel_id, author_id, content, created_at) VALUES (500, 11, 1, 'hi', 1)").run();
    expect(
      migrate(
        db,
        MIGRATIONS.filter((m) => m.id <= 20),
      ),
    ).toEqual([20]);
    const guilds = new GuildsStore(db);
    expect(guilds.guild('10')).toMatchObject({ systemChannelId: '12', systemChannelFlags: 0 });
    expect(guilds.guild('20')).toMatchObject({ systemChannelId: null, systemChannelFlags: 0 });
    expect(new MessagesStore(db).byId('500')?.system).toBeUndefined();
    // Deleting the system channel clears it.
    db.query('DELETE FROM channels WHERE id = 12').run();
    expect(guilds.guild('10')?.systemChannelId).toBeNull();
  });
});
