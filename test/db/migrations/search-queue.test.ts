// Migration 0023: messages reach the search index through a queue, in bulk. A queued message is not in the index
// yet, so editing or deleting it must not ask FTS5 to remove an entry it never held (that corrupts an external
// content index: FTS5's integrity check catches it); an indexed one leaves the index when edited or deleted.

import { beforeEach, describe, expect, it } from 'bun:test';
import { indexQueued } from '../../../src/store/sqlite/messages-store.ts';
import { type SearchTestbed, searchTestbed } from './search-testbed.ts';

describe('migration 0023 search-queue', () => {
  let t: SearchTestbed;
  /** The indexer as it ran on this migration's queue alone (0025 adds a mark for new messages): indexQueued. */
  const hasQueued = () => t.queued().length > 0;

  beforeEach(() => {
    t = searchTestbed(23, 'desc');
    t.post(500, 'indexed before the migration');
    expect(t.migrate()).toEqual([23]);
  });

  it('keeps what was indexed and queues new messages until the index catches up, oldest first, in batches', () => {
    expect(t.found(['before'])).toEqual(['500']);
    t.post(502, 'a queued message');
    t.post(501, 'another queued message');
    expect(t.queued()).toEqual(['501', '502']);
    expect(t.found(['queued'])).toEqual([]);
    expect(hasQueued()).toBe(true);
    expect(indexQueued(t.db, 1)).toBe(1);
    expect(t.found(['queued'])).toEqual(['501']);
    expect(indexQueued(t.db, 10)).toBe(1);
    expect(t.found(['queued'])).toEqual(['502', '501']);
    expect(hasQueued()).toBe(false);
    expect(indexQueued(t.db, 10)).toBe(0);
    t.intact();
  });

  it('edits and deletes of queued messages touch only the queue', () => {
    t.post(501, 'first words');
    t.db.query("UPDATE messages SET content = 'second words' WHERE id = 501").run();
    t.post(502, 'to be deleted');
    t.db.query('DELETE FROM messages WHERE id = 502').run();
    expect(t.queued()).toEqual(['501']);
    indexQueued(t.db, 10);
    expect(t.found(['first'])).toEqual([]);
    expect(t.found(['second'])).toEqual(['501']);
    expect(t.found(['deleted'])).toEqual([]);
    t.intact();
  });

  it('an edit takes an indexed message out of the index until its new words are indexed; a delete takes it out for good', () => {
    t.db.query("UPDATE messages SET content = 'rewritten after the migration' WHERE id = 500").run();
    expect(t.found(['before'])).toEqual([]);
    expect(t.queued()).toEqual(['500']);
    indexQueued(t.db, 10);
    expect(t.found(['rewritten'])).toEqual(['500']);
    t.db.query('DELETE FROM messages WHERE id = 500').run();
    expect(t.found(['rewritten'])).toEqual([]);
    t.intact();
  });

  it('a channel deleted takes its indexed and its queued messages along', () => {
    t.post(501, 'queued when the channel went');
    t.db.query('DELETE FROM channels WHERE id = 100').run();
    expect(t.queued()).toEqual([]);
    expect(t.db.query<{ n: bigint }, []>("SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH 'migration'").get()?.n).toBe(0n);
    t.intact();
  });
});
