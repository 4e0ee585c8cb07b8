// Migration 0007 adds embeds, components and SUPPRESS_EMBEDS to messages: messages written before it keep
// their content and read back with none of them.
import { describe, expect, it } from 'bun:test';
import { openDatabase } from '../../../src/db/database.ts';
import { migrate } from '../../../src/db/migrate.ts';
import { MIGRATIONS } from '../../../src/db/migrations/index.ts';
import { MessagesStore } from '../../../src/store/sqlite/messages-store.ts';

describe('migration 0007 rich-messages', () => {
  it('gives existing messages no embeds, no components and no suppression', () => {
    const db = openDatabase(':memory:');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.id < 7),
    );
    db.query("INSERT INTO users (id, username, username_key, created_at) VALUES (1300000000000000001, 'a', 'a', 1)").run();
    db.query("INSERT INTO guilds (id, name, owner_id, created_at) VALUES (1300000000000000002, 'g', 1300000000000000001, 1)").run();
    db.query("INSERT INTO channels (id, guild_id, type, name, position, created_at) VALUES (1300000000000000003, 1300000000000000002, 0, 'c', 0, 1)").run();
    db.query(
      "INSERT INTO messages (id, channel_id, author_id, content, created_at) VALUES (1300000000000000004, 1300000000000000003, 1300000000000000001, 'old', 5)",
    ).run();
    // Later migrations run too, so the current store can read the row back.
    expect(migrate(db)[0]).toBe(7);
    const message = new MessagesStore(db).byId('1300000000000000004');
    expect({ content: message?.content, embeds: message?.embeds, components: message?.components, suppress: message?.suppressEmbeds }).toEqual({
      content: 'old',
      embeds: [],
      components: [],
      suppress: false,
    });
  });
});
