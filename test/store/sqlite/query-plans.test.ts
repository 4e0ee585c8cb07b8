// Statements that run on every connect or every write must reach their rows through an index: a plan that reads a
// whole table is fast on a test database and slows down with every row a real server adds. EXPLAIN QUERY PLAN
// shows which loop reads what; these check the statements that once read a whole table.
import { describe, expect, it } from 'bun:test';
import { openDatabase } from '../../../src/db/database.ts';
import { migrate } from '../../../src/db/migrate.ts';
import { DM_IDS_OF } from '../../../src/store/sqlite/channels-store.ts';
import { INDEX_QUEUED } from '../../../src/store/sqlite/messages-store.ts';

const db = openDatabase(':memory:');
migrate(db);
const plan = (sql: string) =>
  db
    .query<{ detail: string }, []>(`EXPLAIN QUERY PLAN ${sql}`)
    .all()
    .map((step) => step.detail);

describe('query plans', () => {
  it("a user's DMs (READY, GET /users/@me/channels) are found by the user's id, not among every channel", () => {
    expect(plan(`SELECT c.id FROM channels c WHERE c.id IN (${DM_IDS_OF}) ORDER BY c.id`)).toEqual([
      'SEARCH c USING INTEGER PRIMARY KEY (rowid=?)',
      'LIST SUBQUERY 3',
      'COMPOUND QUERY',
      'LEFT-MOST SUBQUERY',
      'SEARCH dm_channels USING COVERING INDEX sqlite_autoindex_dm_channels_1 (user_low=?)',
      'UNION ALL',
      'SEARCH dm_channels USING COVERING INDEX dm_channels_high (user_high=?)',
      'UNION ALL',
      'SEARCH group_dm_recipients USING COVERING INDEX group_dm_recipients_user (user_id=?)',
    ]);
  });

  it('a search index pass reads the queue, then each queued message by its id', () => {
    expect(plan(INDEX_QUEUED)).toEqual(['SEARCH p USING INTEGER PRIMARY KEY (rowid<?)', 'SEARCH m USING INTEGER PRIMARY KEY (rowid=?)']);
  });
});
