// Migration 0010 rebuilds `messages` without the author foreign key (webhook messages have the webhook as author)
// and adds the webhooks table: existing messages, their reactions and their index survive, foreign keys stay on.
import { describe, expect, it } from 'bun:test';
import { openDatabase } from '../../../src/db/database.ts';
import { migrate } from '../../../src/db/migrate.ts';
import { MIGRATIONS } from '../../../src/db/migrations/index.ts';
import { MessagesStore } from '../../../src/store/sqlite/messages-store.ts';

const U = '1300000000000000001';
const G = '1300000000000000002';
const C = '1300000000000000003';
const M = '1300000000000000004';

function before10() {
  const db = openDatabase(':memory:');
  migrate(
    db,
    MIGRATIONS.filter((m) => m.id < 10),
  );
  db.query(`INSERT INTO users (id, username, username_key, created_at) VALUES (${U}, 'a', 'a', 1)`).run();
  db.query(`INSERT INTO guilds (id, name, owner_id, created_at) VALUES (${G}, 'g', ${U}, 1)`).run();
  db.query(`INSERT INTO channels (id, guild_id, type, name, position, created_at) VALUES (${C}, ${G}, 0, 'c', 0, 1)`).run();
  db.query(`INSERT INTO messages (id, channel_id, author_id, content, created_at) VALUES (${M}, ${C}, ${U}, 'old', 5)`).run();
  db.query(`INSERT INTO reactions (message_id, emoji, user_id, created_at) VALUES (${M}, 'x', ${U}, 6)`).run();
  return db;
}

describe('migration 0010 webhooks', () => {
  it('keeps messages, their reactions and their index, and lets a message have an author no user has', () => {
    const db = before10();
    expect(migrate(db)).toContain(10);
    const message = new MessagesStore(db).byId(M);
    expect({ content: message?.content, author: message?.authorId, webhook: message?.webhook }).toEqual({ content: 'old', author: U, webhook: null });
    expect(db.query('SELECT count(*) AS n FROM reactions').get()).toEqual({ n: 1n });
    expect(db.query("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'messages'").all()).toEqual([{ name: 'messages_channel' }]);
    expect(db.query('PRAGMA foreign_keys').get()).toEqual({ foreign_keys: 1n });
    db.query(
      `INSERT INTO messages (id, channel_id, author_id, content, created_at, webhook_id, webhook_name) VALUES (7, ${C}, 99, 'hook', 7, 99, 'Captain')`,
    ).run();
    expect(new MessagesStore(db).byId('7')?.webhook).toEqual({ id: '99', name: 'Captain', avatar: null, avatarUrl: null });
  });

  it('still enforces the other keys of messages: the channel, and reactions to messages', () => {
    const db = before10();
    migrate(db);
    expect(() => db.query(`INSERT INTO messages (id, channel_id, author_id, content, created_at) VALUES (8, 424242, ${U}, 'x', 1)`).run()).toThrow(
      /FOREIGN KEY/,
    );
    db.query(`DELETE FROM messages WHERE id = ${M}`).run();
    expect(db.query('SELECT count(*) AS n FROM reactions').get()).toEqual({ n: 0n });
  });

  it('is not stopped by a stray row an old database already had, but keeps foreign keys on afterwards', () => {
    const db = before10();
    db.exec('PRAGMA foreign_keys = OFF');
    db.query(`INSERT INTO reactions (message_id, emoji, user_id, created_at) VALUES (424242, 'x', ${U}, 6)`).run();
    db.exec('PRAGMA foreign_keys = ON');
    expect(migrate(db)).toContain(10);
    expect(db.query('PRAGMA foreign_keys').get()).toEqual({ foreign_keys: 1n });
  });

  it('deletes a channel’s webhooks with the channel', () => {
    const db = before10();
    migrate(db);
    db.query(`INSERT INTO webhooks (id, guild_id, channel_id, creator_id, name, token_hash, created_at) VALUES (9, ${G}, ${C}, ${U}, 'w', x'00', 1)`).run();
    db.query(`DELETE FROM channels WHERE id = ${C}`).run();
    expect(db.query('SELECT count(*) AS n FROM webhooks').get()).toEqual({ n: 0n });
  });
});
