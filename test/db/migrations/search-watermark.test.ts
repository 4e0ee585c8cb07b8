// Migration 0025: messages above the index's mark wait for it without a queue row; the queue keeps messages inserted
// at or below the mark and edits of indexed messages. A message is in the index exactly when its id is at or below
// the mark and it is not queued; FTS5's integrity check proves the index and the messages agree once nothing waits.

import type { Database } from 'bun:sqlite';
import { beforeEach, describe, expect, it } from 'bun:test';
import { openDatabase } from '../../../src/db/database.ts';
import { migrate } from '../../../src/db/migrate.ts';
import { MIGRATIONS } from '../../../src/db/migrations/index.ts';
import { INDEX_QUEUED, MessagesStore } from '../../../src/store/sqlite/messages-store.ts';

const query = (terms: string[]) => ({ channelIds: ['100'], terms, sortBy: 'timestamp' as const, sortOrder: 'asc' as const, offset: 0, limit: 25 });

describe('migration 0025 search-watermark', () => {
  let db: Database;
  let store: MessagesStore;
  const found = (terms: string[]) => store.search(query(terms)).messages.map((m) => m.id);
  const queued = () =>
    db
      .query<{ id: bigint }, []>('SELECT message_id AS id FROM search_pending ORDER BY message_id')
      .all()
      .map((r) => String(r.id));
  const mark = () => String(db.query<{ through: bigint }, []>('SELECT through FROM search_indexed').get()?.through);
  const post = (id: number, content: string) =>
    db.query('INSERT INTO messages (id, channel_id, author_id, content, created_at) VALUES (?, 100, 1, ?, 1)').run(id, content);
  const intact = () => db.query("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)").run();
  const indexAll = () => {
    while (store.hasPendingSearch()) store.indexPendingSearch(100);
  };

  beforeEach(() => {
    db = openDatabase(':memory:');
    db.exec('PRAGMA foreign_keys = ON');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.id < 25),
    );
    db.query("INSERT INTO users (id, username, username_key, created_at) VALUES (1, 'a', 'a', 1)").run();
    db.query('INSERT INTO channels (id, guild_id, type, created_at) VALUES (100, NULL, 1, 1)').run();
    // As 0023's indexer left it: one message indexed, one still queued.
    post(500, 'indexed zebra');
    db.query(INDEX_QUEUED).run(500);
    db.query('DELETE FROM search_pending').run();
    post(510, 'queued zebra');
    expect(queued()).toEqual(['510']);
    expect(
      migrate(
        db,
        MIGRATIONS.filter((m) => m.id <= 25),
      ),
    ).toEqual([25]);
    store = new MessagesStore(db);
  });

  it('starts its mark at the newest message, keeping what 0023 indexed and what it queued', () => {
    expect(mark()).toBe('510');
    expect(found(['zebra'])).toEqual(['500']);
    expect(store.hasPendingSearch()).toBe(true);
    expect(store.indexPendingSearch(10)).toBe(1);
    expect(found(['zebra'])).toEqual(['500', '510']);
    expect(store.hasPendingSearch()).toBe(false);
    intact();
  });

  it('leaves new messages above the mark out of the queue and indexes them oldest first, in batches, moving the mark', () => {
    post(520, 'new okapi');
    post(530, 'newer okapi');
    post(540, 'newest okapi');
    expect(queued()).toEqual(['510']);
    // The queue first, then what the batch has room for above the mark.
    expect(store.indexPendingSearch(2)).toBe(2);
    expect(mark()).toBe('520');
    expect(found(['okapi'])).toEqual(['520']);
    expect(store.indexPendingSearch(1)).toBe(1);
    expect(mark()).toBe('530');
    expect(store.indexPendingSearch(10)).toBe(1);
    expect(found(['okapi'])).toEqual(['520', '530', '540']);
    expect(store.indexPendingSearch(10)).toBe(0);
    expect(store.hasPendingSearch()).toBe(false);
    intact();
  });

  it('queues a message inserted at or below the mark, which a range above the mark would never reach', () => {
    indexAll();
    post(520, 'sent after the pass');
    store.indexPendingSearch(10);
    expect(mark()).toBe('520');
    post(515, 'minted before the pass, committed after it');
    expect(queued()).toEqual(['515']);
    expect(store.hasPendingSearch()).toBe(true);
    indexAll();
    expect(found(['pass'])).toEqual(['515', '520']);
    intact();
  });

  it('edits and deletes above the mark touch neither the index nor the queue: the pass reads the words as they are then', () => {
    indexAll();
    post(520, 'first words');
    db.query("UPDATE messages SET content = 'second words' WHERE id = 520").run();
    post(530, 'to be deleted');
    db.query('DELETE FROM messages WHERE id = 530').run();
    expect(queued()).toEqual([]);
    indexAll();
    expect(found(['first'])).toEqual([]);
    expect(found(['second'])).toEqual(['520']);
    expect(found(['deleted'])).toEqual([]);
    intact();
  });

  it('an edit takes an indexed message out of the index until its new words are indexed; a delete takes it out for good', () => {
    indexAll();
    db.query("UPDATE messages SET content = 'rewritten giraffe' WHERE id = 500").run();
    expect(found(['zebra'])).toEqual(['510']);
    expect(queued()).toEqual(['500']);
    indexAll();
    expect(found(['giraffe'])).toEqual(['500']);
    db.query('DELETE FROM messages WHERE id = 500').run();
    db.query('DELETE FROM messages WHERE id = 510').run();
    expect(found(['giraffe'])).toEqual([]);
    expect(found(['zebra'])).toEqual([]);
    intact();
  });

  it('a channel deleted takes its indexed, queued and waiting messages along', () => {
    post(520, 'waiting above the mark');
    db.query('DELETE FROM channels WHERE id = 100').run();
    expect(queued()).toEqual([]);
    expect(store.hasPendingSearch()).toBe(false);
    expect(db.query<{ n: bigint }, []>("SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH 'zebra'").get()?.n).toBe(0n);
    intact();
  });
});
