// Migration 0019 builds the search index over the messages already stored, and its triggers keep it in step with
// later inserts, edits, deletes and cascades (a channel deleted takes its messages out of the index).
import { describe, expect, it } from 'bun:test';
import { openDatabase } from '../../../src/db/database.ts';
import { migrate } from '../../../src/db/migrate.ts';
import { MIGRATIONS } from '../../../src/db/migrations/index.ts';
import { MessagesStore } from '../../../src/store/sqlite/messages-store.ts';

const query = (terms: string[]) => ({ channelIds: ['100'], terms, sortBy: 'timestamp' as const, sortOrder: 'desc' as const, offset: 0, limit: 25 });

describe('migration 0019 message-search', () => {
  it('indexes existing messages and follows inserts, edits, deletes and cascades', () => {
    const db = openDatabase(':memory:');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.id < 19),
    );
    db.query("INSERT INTO users (id, username, username_key, created_at) VALUES (1, 'a', 'a', 1)").run();
    db.query('INSERT INTO channels (id, guild_id, type, created_at) VALUES (100, NULL, 1, 1)').run();
    db.query("INSERT INTO messages (id, channel_id, author_id, content, created_at) VALUES (500, 100, 1, 'an old Ünïcode message', 1)").run();
    expect(migrate(db)[0]).toBe(19);
    const store = new MessagesStore(db);
    // Since migrations 0023 and 0025 new and edited messages wait until the index catches up (the search service does that first).
    const found = (terms: string[]) => {
      store.indexPendingSearch(100);
      return store.search(query(terms)).messages.map((m) => m.id);
    };
    expect(found(['unicode'])).toEqual(['500']);
    db.query("INSERT INTO messages (id, channel_id, author_id, content, created_at) VALUES (501, 100, 1, 'a newer message', 2)").run();
    expect(found(['message'])).toEqual(['501', '500']);
    db.query("UPDATE messages SET content = 'rewritten' WHERE id = 501").run();
    expect(found(['message'])).toEqual(['500']);
    expect(found(['rewritten'])).toEqual(['501']);
    db.query('DELETE FROM messages WHERE id = 500').run();
    expect(found(['unicode'])).toEqual([]);
    db.query('DELETE FROM channels WHERE id = 100').run();
    expect(db.query<{ n: bigint }, []>("SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH 'rewritten'").get()?.n).toBe(0n);
  });
});
