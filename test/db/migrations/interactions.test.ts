// Migration 0014 adds interactions: on a database from before it, every guild's @everyone may now run commands
// (USE_APPLICATION_COMMANDS, as on Discord) while other roles keep their bits, old messages answer no interaction,
// and an interaction record goes with its channel.
import { describe, expect, it } from 'bun:test';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { openDatabase } from '../../../src/db/database.ts';
import { migrate } from '../../../src/db/migrate.ts';
import { MIGRATIONS } from '../../../src/db/migrations/index.ts';
import type { Interaction } from '../../../src/domain/interactions/interaction-model.ts';
import { InteractionsStore } from '../../../src/store/sqlite/interactions-store.ts';
import { MessagesStore } from '../../../src/store/sqlite/messages-store.ts';

const USER = '1300000000000000001';
const GUILD = '1300000000000000002';
const CHANNEL = '1300000000000000003';
const ROLE = '1300000000000000004';
const MESSAGE = '1300000000000000005';

function migrated() {
  const db = openDatabase(':memory:');
  migrate(
    db,
    MIGRATIONS.filter((m) => m.id < 14),
  );
  db.query("INSERT INTO users (id, username, username_key, bot, created_at) VALUES (?, 'u', 'u', 0, 1)").run(USER);
  db.query('INSERT INTO guilds (id, name, owner_id, created_at) VALUES (?, ?, ?, 1)').run(GUILD, 'g', USER);
  db.query('INSERT INTO roles (id, guild_id, name, permissions, position) VALUES (?, ?, ?, ?, 0)').run(GUILD, GUILD, '@everyone', P.ViewChannel);
  db.query('INSERT INTO roles (id, guild_id, name, permissions, position) VALUES (?, ?, ?, ?, 1)').run(ROLE, GUILD, 'mods', P.ManageMessages);
  db.query('INSERT INTO channels (id, guild_id, type, name, created_at) VALUES (?, ?, 0, ?, 1)').run(CHANNEL, GUILD, 'general');
  db.query(
    "INSERT INTO messages (id, channel_id, author_id, content, mention_everyone, mentions, pinned, embeds, components, suppress_embeds, created_at) VALUES (?, ?, ?, 'old', 0, '', 0, '[]', '[]', 0, 1)",
  ).run(MESSAGE, CHANNEL, USER);
  expect(
    migrate(
      db,
      MIGRATIONS.filter((m) => m.id <= 14),
    ),
  ).toEqual([14]);
  return db;
}

const interaction = (id: string): Interaction => ({
  id,
  type: 2,
  applicationId: USER,
  userId: USER,
  guildId: GUILD,
  channelId: CHANNEL,
  messageId: null,
  messageEphemeral: false,
  nonce: null,
  sessionId: null,
  data: { kind: 'modal', customId: 'x', inputs: [], layout: 'rows' },
  appPermissions: '0',
  memberPermissions: '0',
  createdAt: 1,
  answerBy: 3001,
  expiresAt: 900_001,
  state: 'pending',
  responseType: null,
  originalMessageId: null,
  ephemeral: [],
  modal: null,
  parentId: null,
});

describe('migration 0014 interactions', () => {
  it('gives @everyone USE_APPLICATION_COMMANDS and leaves other roles as they were', () => {
    const db = migrated();
    const permissions = (id: string) => BigInt(db.query<{ p: bigint }, [string]>('SELECT permissions AS p FROM roles WHERE id = ?').get(id)?.p ?? -1n);
    expect(permissions(GUILD)).toBe(P.ViewChannel | P.UseApplicationCommands);
    expect(permissions(ROLE)).toBe(P.ManageMessages);
  });

  it('reads old messages as answering no interaction', () => {
    const db = migrated();
    expect(new MessagesStore(db).byId(MESSAGE)?.interaction).toBeNull();
  });

  it('stores an interaction by id and token digest, and deletes it with its channel', () => {
    const db = migrated();
    const store = new InteractionsStore(db);
    const digest = new Uint8Array(32).fill(7);
    store.insert(interaction('1300000000000000010'), digest);
    expect(store.byId('1300000000000000010')?.interaction).toEqual(interaction('1300000000000000010'));
    expect(store.byToken(digest)?.id).toBe('1300000000000000010');
    expect(store.liveOf(USER, 900_000).map((i) => i.id)).toEqual(['1300000000000000010']);
    expect(store.liveOf(USER, 900_001)).toEqual([]);
    db.query('DELETE FROM channels WHERE id = ?').run(CHANNEL);
    expect(store.byId('1300000000000000010')).toBeNull();
  });
});
