// Migration 0025: messages above the index's mark wait for it without a queue row; the queue keeps messages inserted
// at or below the mark and edits of indexed messages. A message is in the index exactly when its id is at or below
// the mark and it is not queued; FTS5's integrity check proves the index and the messages agree once nothing waits.

import { beforeEach, describe, expect, it } from 'bun:test';
import { INDEX_QUEUED } from '../../../src/store/sqlite/messages-store.ts';
import { type SearchTestbed, searchTestbed } from './search-testbed.ts';

describe('migration 0025 search-watermark', () => {
  let t: SearchTestbed;
  const mark = () => String(t.db.query<{ through: bigint }, []>('SELECT through FROM search_indexed').get()?.through);
  const indexAll = () => {
    while (t.store.hasPendingSearch()) t.store.indexPendingSearch(100);
  };

  beforeEach(() => {
    t = searchTestbed(25, 'asc');
    // As 0023's indexer left it: one message indexed, one still queued.
    t.post(500, 'indexed zebra');
    t.db.query(INDEX_QUEUED).run(500);
    t.db.query('DELETE FROM search_pending').run();
    t.post(510, 'queued zebra');
    expect(t.queued()).toEqual(['510']);
    expect(t.migrate()).toEqual([25]);
  });

  it('starts its mark at the newest message, keeping what 0023 indexed and what it queued', () => {
    expect(mark()).toBe('510');
    expect(t.found(['zebra'])).toEqual(['500']);
    expect(t.store.hasPendingSearch()).toBe(true);
    expect(t.store.indexPendingSearch(10)).toBe(1);
    expect(t.found(['zebra'])).toEqual(['500', '510']);
    expect(t.store.hasPendingSearch()).toBe(false);
    t.intact();
  });

  it('leaves new messages above the mark out of the queue and indexes them oldest first, in batches, moving the mark', () => {
    t.post(520, 'new okapi');
    t.post(530, 'newer okapi');
    t.post(540, 'newest okapi');
    expect(t.queued()).toEqual(['510']);
    // The queue first, then what the batch has room for above the mark.
    expect(t.store.indexPendingSearch(2)).toBe(2);
    expect(mark()).toBe('520');
    expect(t.found(['okapi'])).toEqual(['520']);
    expect(t.store.indexPendingSearch(1)).toBe(1);
    expect(mark()).toBe('530');
    expect(t.store.indexPendingSearch(10)).toBe(1);
    expect(t.found(['okapi'])).toEqual(['520', '530', '540']);
    expect(t.store.indexPendingSearch(10)).toBe(0);
    expect(t.store.hasPendingSearch()).toBe(false);
    t.intact();
  });

  it('queues a message inserted at or below the mark, which a range above the mark would never reach', () => {
    indexAll();
    t.post(520, 'sent after the pass');
    t.store.indexPendingSearch(10);
    expect(mark()).toBe('520');
    t.post(515, 'minted before the pass, committed after it');
    expect(t.queued()).toEqual(['515']);
    expect(t.store.hasPendingSearch()).toBe(true);
    indexAll();
    expect(t.found(['pass'])).toEqual(['515', '520']);
    t.intact();
  });

  it('edits and deletes above the mark touch neither the index nor the queue: the pass reads the words as they are then', () => {
    indexAll();
    t.post(520, 'first words');
    t.db.query("UPDATE messages SET content = 'second words' WHERE id = 520").run();
    t.post(530, 'to be deleted');
    t.db.query('DELETE FROM messages WHERE id = 530').run();
    expect(t.queued()).toEqual([]);
    indexAll();
    expect(t.found(['first'])).toEqual([]);
    expect(t.found(['second'])).toEqual(['520']);
    expect(t.found(['deleted'])).toEqual([]);
    t.intact();
  });

  it('an edit takes an indexed message out of the index until its new words are indexed; a delete takes it out for good', () => {
    indexAll();
    t.db.query("UPDATE messages SET content = 'rewritten giraffe' WHERE id = 500").run();
    expect(t.found(['zebra'])).toEqual(['510']);
    expect(t.queued()).toEqual(['500']);
    indexAll();
    expect(t.found(['giraffe'])).toEqual(['500']);
    t.db.query('DELETE FROM messages WHERE id = 500').run();
    t.db.query('DELETE FROM messages WHERE id = 510').run();
    expect(t.found(['giraffe'])).toEqual([]);
    expect(t.found(['zebra'])).toEqual([]);
    t.intact();
  });

  it('a channel deleted takes its indexed, queued and waiting messages along', () => {
    t.post(520, 'waiting above the mark');
    t.db.query('DELETE FROM channels WHERE id = 100').run();
    expect(t.queued()).toEqual([]);
    expect(t.store.hasPendingSearch()).toBe(false);
    expect(t.db.query<{ n: bigint }, []>("SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH 'zebra'").get()?.n).toBe(0n);
    t.intact();
  });
});
