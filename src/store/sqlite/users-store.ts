// SQL for users, their passwords and bot tokens (sessions are in sessions-store.ts).

import type { Database } from 'bun:sqlite';
import type { DmAudience } from '../../domain/model/user.ts';
import { type NewUser, tombstone, type User } from '../../domain/model/user.ts';
import type { UsersRepo } from '../../domain/ports/index.ts';
import type { Immediate } from './immediate.ts';
import { bool, type Int, id, idOrNull, num } from './rows.ts';

export type { NewUser } from '../../domain/model/user.ts';

export type UserRow = {
  id: Int;
  username: string;
  global_name: string | null;
  avatar: string | null;
  bot: Int;
  system: Int;
  admin: Int;
  disabled: Int;
  description: string | null;
  created_by: Int | null;
  bot_intents: Int;
  created_at: Int;
  deleted_at: Int | null;
};

export const USER_COLUMNS = 'id, username, global_name, avatar, bot, system, admin, disabled, description, created_by, bot_intents, created_at, deleted_at';

export const toUser = (r: UserRow): User =>
  r.deleted_at !== null
    ? tombstone(id(r.id), bool(r.bot))
    : {
        id: id(r.id),
        username: r.username,
        globalName: r.global_name,
        avatar: r.avatar,
        bot: bool(r.bot),
        system: bool(r.system),
        admin: bool(r.admin),
        disabled: bool(r.disabled),
        deleted: false,
        description: r.description,
        createdBy: idOrNull(r.created_by),
        botIntents: num(r.bot_intents),
        createdAt: num(r.created_at),
      };

export class UsersStore implements Immediate<UsersRepo> {
  constructor(private readonly db: Database) {}

  insert(u: NewUser): void {
    this.db
      .query(
        `INSERT INTO users (id, username, username_key, password_hash, bot, system, admin, description, created_by, bot_token_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        u.id,
        u.username,
        u.username.toLowerCase(),
        u.passwordHash,
        u.bot ? 1 : 0,
        u.system ? 1 : 0,
        u.admin ? 1 : 0,
        u.description ?? null,
        u.createdBy ?? null,
        u.botTokenHash ?? null,
        u.createdAt,
      );
  }

  byId(userId: string): User | null {
    const row = this.db.query<UserRow, [string]>(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`).get(userId);
    return row ? toUser(row) : null;
  }

  byIds(ids: readonly string[]): Map<string, User> {
    const out = new Map<string, User>();
    for (const userId of new Set(ids)) {
      const user = this.byId(userId);
      if (user) out.set(userId, user);
    }
    return out;
  }

  byUsername(username: string): (User & { passwordHash: string | null }) | null {
    const row = this.db
      .query<UserRow & { password_hash: string | null }, [string]>(`SELECT ${USER_COLUMNS}, password_hash FROM users WHERE username_key = ?`)
      .get(username.toLowerCase());
    return row ? { ...toUser(row), passwordHash: row.password_hash } : null;
  }

  usernameTaken(username: string): boolean {
    return this.db.query('SELECT 1 FROM users WHERE username_key = ?').get(username.toLowerCase()) !== null;
  }

  countHumans(): number {
    const row = this.db.query<{ n: Int }, []>('SELECT count(*) AS n FROM users WHERE bot = 0').get();
    return row ? num(row.n) : 0;
  }

  update(
    userId: string,
    fields: {
      globalName?: string | null;
      avatar?: string | null;
      username?: string;
      description?: string | null;
      admin?: boolean;
      disabled?: boolean;
      botIntents?: number;
    },
  ): void {
    const sets: string[] = [];
    const values: (string | number | null)[] = [];
    const set = (column: string, value: string | number | null) => {
      sets.push(`${column} = ?`);
      values.push(value);
    };
    if (fields.globalName !== undefined) set('global_name', fields.globalName);
    if (fields.avatar !== undefined) set('avatar', fields.avatar);
    if (fields.username !== undefined) {
      set('username', fields.username);
      set('username_key', fields.username.toLowerCase());
    }
    if (fields.description !== undefined) set('description', fields.description);
    if (fields.admin !== undefined) set('admin', fields.admin ? 1 : 0);
    if (fields.disabled !== undefined) set('disabled', fields.disabled ? 1 : 0);
    if (fields.botIntents !== undefined) set('bot_intents', fields.botIntents);
    if (sets.length === 0) return;
    this.db.query(`UPDATE users SET ${sets.join(', ')} WHERE id = ?`).run(...values, userId);
  }

  /** Messages authored and guilds owned reference a user without a cascade: while either exists the row must stay. */
  /** Keeps the row (old messages still have an author) but frees the name and kills every credential. */
  markDeleted(userId: string, at: number): void {
    this.db
      .query(
        "UPDATE users SET deleted_at = ?, disabled = 1, avatar = NULL, bot_token_hash = NULL, password_hash = NULL, username_key = 'deleted:' || id WHERE id = ?",
      )
      .run(at, userId);
    this.db.query('DELETE FROM sessions WHERE user_id = ?').run(userId);
  }

  delete(userId: string): void {
    this.db.query('DELETE FROM users WHERE id = ?').run(userId);
  }

  list(options: { bots: boolean; query?: string; limit: number; after?: string }): User[] {
    const pattern = `%${(options.query ?? '').toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return this.db
      .query<UserRow, [number, string, string, number]>(
        `SELECT ${USER_COLUMNS} FROM users WHERE bot = ? AND deleted_at IS NULL AND username_key LIKE ? ESCAPE '\\' AND id > ?
         ORDER BY id LIMIT ?`,
      )
      .all(options.bots ? 1 : 0, pattern, options.after ?? '0', options.limit)
      .map(toUser);
  }

  allowDmsFrom(userId: string): DmAudience {
    const row = this.db.query<{ allow_dms_from: string }, [string]>('SELECT allow_dms_from FROM users WHERE id = ?').get(userId);
    return row?.allow_dms_from === 'everyone' ? 'everyone' : 'members';
  }

  setAllowDmsFrom(userId: string, audience: DmAudience): void {
    this.db.query('UPDATE users SET allow_dms_from = ? WHERE id = ?').run(audience, userId);
  }

  setBotTokenHash(userId: string, hash: Uint8Array): void {
    this.db.query('UPDATE users SET bot_token_hash = ? WHERE id = ?').run(hash, userId);
  }

  byBotTokenHash(hash: Uint8Array): User | null {
    const row = this.db.query<UserRow, [Uint8Array]>(`SELECT ${USER_COLUMNS} FROM users WHERE bot_token_hash = ?`).get(hash);
    return row ? toUser(row) : null;
  }

  passwordHash(userId: string): string | null {
    return this.db.query<{ password_hash: string | null }, [string]>('SELECT password_hash FROM users WHERE id = ?').get(userId)?.password_hash ?? null;
  }

  setPasswordHash(userId: string, hash: string): void {
    this.db.query('UPDATE users SET password_hash = ? WHERE id = ?').run(hash, userId);
  }

  countAdmins(): number {
    return Number(
      this.db.query<{ n: bigint }, []>('SELECT count(*) AS n FROM users WHERE admin = 1 AND bot = 0 AND deleted_at IS NULL AND disabled = 0').get()?.n ?? 0,
    );
  }
}
