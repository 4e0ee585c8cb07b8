// Migration 0006 adds who may DM a user: every existing account starts at 'members' (Discord's default,
// "server members only"), and the column takes nothing but 'members' or 'everyone'.
import { describe, expect, it } from 'bun:test';
import { openDatabase } from '../../../src/db/database.ts';
import { migrate } from '../../../src/db/migrate.ts';
import { initial } from '../../../src/db/migrations/0001-initial.ts';
import { presence } from '../../../src/db/migrations/0002-presence.ts';
import { discordBridge } from '../../../src/db/migrations/0003-discord-bridge.ts';
import { deletedAccounts } from '../../../src/db/migrations/0004-deleted-accounts.ts';
import { dmPrivacy } from '../../../src/db/migrations/0006-dm-privacy.ts';

const ALICE = '1300000000000000001';
const setting = (db: ReturnType<typeof openDatabase>) => db.query<{ a: string }, [string]>('SELECT allow_dms_from AS a FROM users WHERE id = ?').get(ALICE)?.a;

describe('migration 0006 dm-privacy', () => {
  it("gives accounts that existed before it allow_dms_from 'members', and accepts only 'members' or 'everyone'", () => {
    const db = openDatabase(':memory:');
    migrate(db, [initial, presence, discordBridge, deletedAccounts]);
    db.query("INSERT INTO users (id, username, username_key, created_at) VALUES (?, 'alice', 'alice', 1)").run(ALICE);
    expect(migrate(db, [initial, presence, discordBridge, deletedAccounts, dmPrivacy])).toEqual([6]);
    expect(setting(db)).toBe('members');
    db.query("UPDATE users SET allow_dms_from = 'everyone' WHERE id = ?").run(ALICE);
    expect(setting(db)).toBe('everyone');
    expect(() => db.query("UPDATE users SET allow_dms_from = 'friends' WHERE id = ?").run(ALICE)).toThrow(/CHECK constraint failed/);
    db.close();
  });
});
