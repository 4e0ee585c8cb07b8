// Migration 0012 adds application commands: on a database from before it, the table starts empty, keeps one name
// per application, scope and type, and loses a bot's commands when the bot is deleted (kept as a tombstone) and a
// guild's when the guild goes.
import { describe, expect, it } from 'bun:test';
import { openDatabase } from '../../../src/db/database.ts';
import { migrate } from '../../../src/db/migrate.ts';
import { MIGRATIONS } from '../../../src/db/migrations/index.ts';
import type { ApplicationCommand } from '../../../src/domain/commands/command-model.ts';
import { ApplicationCommandsStore } from '../../../src/store/sqlite/application-commands-store.ts';

const BOT = '1300000000000000001';
const GUILD = '1300000000000000002';

const command = (id: string, name: string, guildId: string | null): ApplicationCommand => ({
  id,
  applicationId: BOT,
  guildId,
  version: id,
  type: 1,
  name,
  nameLocalizations: null,
  description: 'x',
  descriptionLocalizations: null,
  options: [],
  defaultMemberPermissions: 8n,
  dmPermission: true,
  contexts: null,
  integrationTypes: [0],
  nsfw: false,
});

function migrated() {
  const db = openDatabase(':memory:');
  migrate(
    db,
    MIGRATIONS.filter((m) => m.id < 12),
  );
  db.query("INSERT INTO users (id, username, username_key, bot, created_at) VALUES (?, 'bot', 'bot', 1, 1)").run(BOT);
  db.query('INSERT INTO guilds (id, name, owner_id, created_at) VALUES (?, ?, ?, 1)').run(GUILD, 'g', BOT);
  expect(
    migrate(
      db,
      MIGRATIONS.filter((m) => m.id <= 12),
    ),
  ).toEqual([12]);
  return { db, store: new ApplicationCommandsStore(db) };
}

describe('migration 0012 application-commands', () => {
  it('stores commands per scope and reads them back exactly', () => {
    const { store } = migrated();
    expect(store.list(BOT, null)).toEqual([]);
    store.insert(command('1300000000000000010', 'ping', null));
    store.insert(command('1300000000000000011', 'ping', GUILD));
    expect(store.list(BOT, null)).toEqual([command('1300000000000000010', 'ping', null)]);
    expect(store.list(BOT, GUILD)).toEqual([command('1300000000000000011', 'ping', GUILD)]);
    expect(store.byId(BOT, GUILD, '1300000000000000010')).toBeNull();
  });

  it('refuses a second command of one name and type in one scope', () => {
    const { store } = migrated();
    store.insert(command('1300000000000000010', 'ping', GUILD));
    expect(() => store.insert(command('1300000000000000012', 'ping', GUILD))).toThrow(/UNIQUE/);
    expect(() => store.insert(command('1300000000000000013', 'ping', null))).not.toThrow();
    expect(() => store.insert(command('1300000000000000014', 'ping', null))).toThrow(/UNIQUE/);
  });

  it("deletes a guild's commands with the guild and a bot's when it is marked deleted", () => {
    const { db, store } = migrated();
    store.insert(command('1300000000000000010', 'global', null));
    store.insert(command('1300000000000000011', 'local', GUILD));
    db.query('DELETE FROM guilds WHERE id = ?').run(GUILD);
    expect(store.list(BOT, GUILD)).toEqual([]);
    expect(store.list(BOT, null)).toHaveLength(1);
    db.query('UPDATE users SET deleted_at = 5 WHERE id = ?').run(BOT);
    expect(store.list(BOT, null)).toEqual([]);
  });
});
