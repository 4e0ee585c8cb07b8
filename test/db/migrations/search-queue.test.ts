// Migration 0023: messages reach the search index through a queue, in bulk. A queued message is not in the index
// yet, so editing or deleting it must not ask FTS5 to remove an entry it never held (that corrupts an external
// content index: FTS5's integrity check catches it); an indexed one leaves the index when edited or deleted.

import type { Database } from 'bun:sqlite';
import { beforeEach, describe, expect, it } from 'bun:test';
import { openDatabase } from '../../../src/db/database.ts';
import { migrate } from '../../../src/db/migrate.ts';
import { MIGRATIONS } from '../../../src/db/migrations/index.ts';
import { INDEX_QUEUED, MessagesStore } from '../../../src/store/sqlite/messages-store.ts';

const query = (terms: string[]) => ({ channelIds: ['100'], terms, sortBy: 'timestamp' as const, sortOrder: 'desc' as const, offset: 0, limit: 25 });

describe('migration 0023 search-queue', () => {
  let db: Database;
  let store: MessagesStore;
  const found = (terms: string[]) => store.search(query(terms)).messages.map((m) => m.id);
  const queued = () =>
    db
      .query<{ id: bigint }, []>('SELECT message_id AS id FROM search_pending ORDER BY message_id')
      .all()
      .map((r) => String(r.id));
  const post = (id: number, content: string) =>
    db.query('INSERT INTO messages (id, channel_id, author_id, content, created_at) VALUES (?, 100, 1, ?, 1)').run(id, content);
  /** The indexer as it ran on this migration's queue alone (0025 adds a mark for new messages). */
  const hasQueued = () => queued().length > 0;
  const indexQueued = (limit: number): number => {
    const last = db
      .query<{ id: bigint | null }, [number]>('SELECT max(message_id) AS id FROM (SELECT message_id FROM search_pending ORDER BY message_id LIMIT ?)')
      .get(limit)?.id;
    if (last === null || last === undefined) return 0;
    db.query(INDEX_QUEUED).run(last);
    return db.query('DELETE FROM search_pending WHERE message_id <= ?').run(last).changes;
  };
  /** FTS5's own check of the index against the messages table (only whole once the queue is empty). */
  const intact = () => db.query("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)").run();

  beforeEach(() => {
    db = openDatabase(':memory:');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.id < 23),
    );
    db.query("INSERT INTO users (id, username, username_key, created_at) VALUES (1, 'a', 'a', 1)").run();
    db.query('INSERT INTO channels (id, guild_id, type, created_at) VALUES (100, NULL, 1, 1)').run();
    post(500, 'indexed before the migration');
    expect(
      migrate(
        db,
        MIGRATIONS.filter((m) => m.id <= 23),
      ),
    ).toEqual([23]);
    store = new MessagesStore(db);
  });

  it('keeps what was indexed and queues new messages until the index catches up, oldest first, in batches', () => {
    expect(found(['before'])).toEqual(['500']);
    post(502, 'a queued message');
    post(501, 'another queued message');
    expect(queued()).toEqual(['501', '502']);
    expect(found(['queued'])).toEqual([]);
    expect(hasQueued()).toBe(true);
    expect(indexQueued(1)).toBe(1);
    expect(found(['queued'])).toEqual(['501']);
    expect(indexQueued(10)).toBe(1);
    expect(found(['queued'])).toEqual(['502', '501']);
    expect(hasQueued()).toBe(false);
    expect(indexQueued(10)).toBe(0);
    intact();
  });

  it('edits and deletes of queued messages touch only the queue', () => {
    post(501, 'first words');
    db.query("UPDATE messages SET content = 'second words' WHERE id = 501").run();
    post(502, 'to be deleted');
    db.query('DELETE FROM messages WHERE id = 502').run();
    expect(queued()).toEqual(['501']);
    indexQueued(10);
    expect(found(['first'])).toEqual([]);
    expect(found(['second'])).toEqual(['501']);
    expect(found(['deleted'])).toEqual([]);
    intact();
  });

  it('an edit takes an indexed message out of the index until its new words are indexed; a delete takes it out for good', () => {
    db.query("UPDATE messages SET content = 'rewritten after the migration' WHERE id = 500").run();
    expect(found(['before'])).toEqual([]);
    expect(queued()).toEqual(['500']);
    indexQueued(10);
    expect(found(['rewritten'])).toEqual(['500']);
    db.query('DELETE FROM messages WHERE id = 500').run();
    expect(found(['rewritten'])).toEqual([]);
    intact();
  });

  it('a channel deleted takes its indexed and its queued messages along', () => {
    post(501, 'queued when the channel went');
    db.query('DELETE FROM channels WHERE id = 100').run();
    expect(queued()).toEqual([]);
    expect(db.query<{ n: bigint }, []>("SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH 'migration'").get()?.n).toBe(0n);
    intact();
  });
});
