// Migration 0011 adds threads and gives @everyone roles that may send messages Discord's default thread
// permissions (as a new guild's @everyone has); other roles and muted @everyone roles keep theirs.
import { describe, expect, it } from 'bun:test';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { openDatabase } from '../../../src/db/database.ts';
import { migrate } from '../../../src/db/migrate.ts';
import { MIGRATIONS } from '../../../src/db/migrations/index.ts';
import { ChannelsStore } from '../../../src/store/sqlite/channels-store.ts';

describe('migration 0011 threads', () => {
  it('grants thread permissions to @everyone roles that can send, and reads old channels as non-threads', () => {
    const db = openDatabase(':memory:');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.id < 11),
    );
    db.query("INSERT INTO users (id, username, username_key, created_at) VALUES (1, 'a', 'a', 1)").run();
    for (const guild of [10, 20]) db.query("INSERT INTO guilds (id, name, owner_id, created_at) VALUES (?, 'g', 1, 1)").run(guild);
    const insertRole = db.query('INSERT INTO roles (id, guild_id, name, permissions) VALUES (?, ?, ?, ?)');
    insertRole.run(10, 10, '@everyone', P.ViewChannel | P.SendMessages);
    insertRole.run(20, 20, '@everyone', P.ViewChannel);
    insertRole.run(11, 10, 'mods', P.SendMessages);
    db.query("INSERT INTO channels (id, guild_id, type, name, position, created_at) VALUES (100, 10, 0, 'c', 0, 1)").run();
    expect(
      migrate(
        db,
        MIGRATIONS.filter((m) => m.id <= 11),
      ),
    ).toEqual([11]);
    const permissions = (id: number) => db.query<{ permissions: bigint }, [number]>('SELECT permissions FROM roles WHERE id = ?').get(id)?.permissions;
    expect(permissions(10)).toBe(P.ViewChannel | P.SendMessages | P.CreatePublicThreads | P.CreatePrivateThreads | P.SendMessagesInThreads);
    expect(permissions(20)).toBe(P.ViewChannel);
    expect(permissions(11)).toBe(P.SendMessages);
    // The store reads the latest schema: bring the rest of the migrations in first.
    migrate(db);
    expect(new ChannelsStore(db).byId('100')?.thread).toBeNull();
  });
});
