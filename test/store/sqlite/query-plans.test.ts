// Statements that run on every connect or every write must reach their rows through an index: a plan that reads a
// whole table is fast on a test database and slows down with every row a real server adds. EXPLAIN QUERY PLAN
// shows which loop reads what; these check the statements that once read a whole table.
import { describe, expect, it } from 'bun:test';
import { openDatabase } from '../../../src/db/database.ts';
import { migrate } from '../../../src/db/migrate.ts';
import { DM_IDS_OF } from '../../../src/store/sqlite/channels-store.ts';
import { ANY_WAITING, INDEX_ABOVE_MARK, INDEX_QUEUED, LAST_ABOVE_MARK } from '../../../src/store/sqlite/messages-store.ts';

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

  it('messages above the search index mark are found as a range of ids, never by reading every message', () => {
    const steps = [...plan(ANY_WAITING), ...plan(LAST_ABOVE_MARK), ...plan(INDEX_ABOVE_MARK)];
    expect(steps.filter((step) => step.startsWith('SCAN messages'))).toEqual([]);
    expect(plan(INDEX_ABOVE_MARK)).toContain('SEARCH messages USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)');
    expect(plan(LAST_ABOVE_MARK)).toContain('SEARCH messages USING INTEGER PRIMARY KEY (rowid>?)');
  });

  // A delete also looks up the rows that reference the deleted one (ON DELETE CASCADE / SET NULL): the plan lists
  // one step per referencing table, and a SCAN there reads that whole table on every delete.
  const scans = (steps: string[]) => steps.filter((step) => step.startsWith('SCAN'));

  it("a channel's or thread's delete finds its interactions and invites by channel", () => {
    for (const sql of ['DELETE FROM channels WHERE id = ?', 'DELETE FROM channels WHERE id IN (SELECT channel_id FROM threads WHERE parent_id = ?)']) {
      const steps = plan(sql);
      expect(scans(steps)).toEqual([]);
      expect(steps).toContain('SEARCH interactions USING COVERING INDEX interactions_channel (channel_id=?)');
      expect(steps).toContain('SEARCH invites USING COVERING INDEX invites_channel (channel_id=?)');
    }
  });

  it("a channel's invites (GET /channels/:id/invites) are read by channel, already in creation order", () => {
    expect(plan('SELECT * FROM invites WHERE channel_id = ? ORDER BY created_at')).toEqual(['SEARCH invites USING INDEX invites_channel (channel_id=?)']);
  });

  it("a role's delete finds who has it and which emojis it unlocks by role, and its overwrites by target", () => {
    const steps = plan('DELETE FROM roles WHERE id = ?');
    expect(scans(steps)).toEqual([]);
    expect(steps).toContain('SEARCH member_roles USING COVERING INDEX member_roles_role (role_id=?)');
    expect(steps).toContain('SEARCH emoji_roles USING COVERING INDEX emoji_roles_role (role_id=?)');
    expect(plan('DELETE FROM overwrites WHERE target_id = ? AND type = 0')).toEqual(['SEARCH overwrites USING INDEX overwrites_target (target_id=?)']);
  });

  it("a guild's delete finds its notification settings and its presence users by guild", () => {
    const steps = plan('DELETE FROM guilds WHERE id = ?');
    expect(scans(steps)).toEqual([]);
    expect(steps).toContain('SEARCH notification_settings USING INDEX notification_settings_guild (guild_id=?)');
    expect(steps).toContain('SEARCH presence_users USING COVERING INDEX presence_users_guild (guild_id=?)');
  });

  it('the session sweep reads only the sessions idle too long or open too long, one index for each', () => {
    expect(plan('DELETE FROM sessions WHERE last_used_at < ? OR created_at < ? RETURNING user_id, token_hash')).toEqual([
      'MULTI-INDEX OR',
      'INDEX 1',
      'SEARCH sessions USING INDEX sessions_last_used (last_used_at<?)',
      'INDEX 2',
      'SEARCH sessions USING INDEX sessions_created (created_at<?)',
    ]);
  });
});
