// Users, their passwords and bot tokens on PostgreSQL (the SQLite twin: src/store/users-store.ts).
import { type DmAudience, tombstone, type User } from '../../domain/model/user.ts';
import type { NewUser } from '../sqlite/users-store.ts';
import { type Db, idOrNull, num, sf } from './sql.ts';

export type PgUserRow = {
  id: string;
  username: string;
  global_name: string | null;
  avatar: string | null;
  bot: boolean;
  system: boolean;
  admin: boolean;
  disabled: boolean;
  description: string | null;
  created_by: string | null;
  bot_intents: number;
  created_at: string;
  deleted_at: string | null;
};

export const USER_COLUMNS = 'id, username, global_name, avatar, bot, system, admin, disabled, description, created_by, bot_intents, created_at, deleted_at';

export const toUser = (r: PgUserRow): User =>
  r.deleted_at !== null
    ? tombstone(r.id, r.bot)
    : {
        id: r.id,
        username: r.username,
        globalName: r.global_name,
        avatar: r.avatar,
        bot: r.bot,
        system: r.system,
        admin: r.admin,
        disabled: r.disabled,
        deleted: false,
        description: r.description,
        createdBy: idOrNull(r.created_by),
        botIntents: num(r.bot_intents),
        createdAt: num(r.created_at),
      };

export class UsersStore {
  constructor(private readonly sql: Db) {}

  async insert(u: NewUser): Promise<void> {
    await this.sql`
      INSERT INTO users (id, username, username_key, password_hash, bot, system, admin, description, created_by, bot_token_hash, created_at)
      VALUES (${u.id}, ${u.username}, ${u.username.toLowerCase()}, ${u.passwordHash}, ${u.bot}, ${u.system ?? false}, ${u.admin},
        ${u.description ?? null}, ${u.createdBy ?? null}, ${u.botTokenHash ?? null}, ${u.createdAt})`;
  }

  async byId(userId: string): Promise<User | null> {
    const [row] = await this.sql<PgUserRow[]>`SELECT ${this.sql.unsafe(USER_COLUMNS)} FROM users WHERE id = ${sf(userId)}`;
    return row ? toUser(row) : null;
  }

  async byIds(ids: readonly string[]): Promise<Map<string, User>> {
    const out = new Map<string, User>();
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return out;
    const rows = await this.sql<PgUserRow[]>`SELECT ${this.sql.unsafe(USER_COLUMNS)} FROM users WHERE id = ANY(${this.sql.array(wanted.map(sf), 'INT8')})`;
    const byId = new Map(rows.map((r) => [r.id, toUser(r)]));
    // In the order asked for, as the SQLite store builds it.
    for (const userId of wanted) {
      const user = byId.get(sf(userId));
      if (user) out.set(userId, user);
    }
    return out;
  }

  async byUsername(username: string): Promise<(User & { passwordHash: string | null }) | null> {
    const [row] = await this.sql<(PgUserRow & { password_hash: string | null })[]>`
      SELECT ${this.sql.unsafe(USER_COLUMNS)}, password_hash FROM users WHERE username_key = ${username.toLowerCase()}`;
    return row ? { ...toUser(row), passwordHash: row.password_hash } : null;
  }

  async usernameTaken(username: string): Promise<boolean> {
    return (await this.sql`SELECT 1 FROM users WHERE username_key = ${username.toLowerCase()}`).length > 0;
  }

  async countHumans(): Promise<number> {
    const [row] = await this.sql<{ n: string }[]>`SELECT count(*) AS n FROM users WHERE NOT bot`;
    return row ? num(row.n) : 0;
  }

  async update(
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
  ): Promise<void> {
    const sets: Record<string, string | number | boolean | null> = {};
    if (fields.globalName !== undefined) sets.global_name = fields.globalName;
    if (fields.avatar !== undefined) sets.avatar = fields.avatar;
    if (fields.username !== undefined) {
      sets.username = fields.username;
      sets.username_key = fields.username.toLowerCase();
    }
    if (fields.description !== undefined) sets.description = fields.description;
    if (fields.admin !== undefined) sets.admin = fields.admin;
    if (fields.disabled !== undefined) sets.disabled = fields.disabled;
    if (fields.botIntents !== undefined) sets.bot_intents = fields.botIntents;
    if (Object.keys(sets).length === 0) return;
    await this.sql`UPDATE users SET ${this.sql(sets)} WHERE id = ${sf(userId)}`;
  }

  /** Keeps the row (old messages still have an author) but frees the name and kills every credential. */
  async markDeleted(userId: string, at: number): Promise<void> {
    await this.sql`
      UPDATE users SET deleted_at = ${at}, disabled = TRUE, avatar = NULL, bot_token_hash = NULL, password_hash = NULL,
        username_key = 'deleted:' || id WHERE id = ${sf(userId)}`;
    await this.sql`DELETE FROM sessions WHERE user_id = ${sf(userId)}`;
  }

  async delete(userId: string): Promise<void> {
    await this.sql`DELETE FROM users WHERE id = ${sf(userId)}`;
  }

  async list(options: { bots: boolean; query?: string; limit: number; after?: string }): Promise<User[]> {
    const pattern = `%${(options.query ?? '').toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = await this.sql<PgUserRow[]>`
      SELECT ${this.sql.unsafe(USER_COLUMNS)} FROM users
      WHERE bot = ${options.bots} AND deleted_at IS NULL AND username_key LIKE ${pattern} ESCAPE '\\' AND id > ${sf(options.after ?? '0')}
      ORDER BY id LIMIT ${options.limit}`;
    return rows.map(toUser);
  }

  async allowDmsFrom(userId: string): Promise<DmAudience> {
    const [row] = await this.sql<{ allow_dms_from: string }[]>`SELECT allow_dms_from FROM users WHERE id = ${sf(userId)}`;
    return row?.allow_dms_from === 'everyone' ? 'everyone' : 'members';
  }

  async setAllowDmsFrom(userId: string, audience: DmAudience): Promise<void> {
    await this.sql`UPDATE users SET allow_dms_from = ${audience} WHERE id = ${sf(userId)}`;
  }

  async setBotTokenHash(userId: string, hash: Uint8Array): Promise<void> {
    await this.sql`UPDATE users SET bot_token_hash = ${hash} WHERE id = ${sf(userId)}`;
  }

  async byBotTokenHash(hash: Uint8Array): Promise<User | null> {
    const [row] = await this.sql<PgUserRow[]>`SELECT ${this.sql.unsafe(USER_COLUMNS)} FROM users WHERE bot_token_hash = ${hash}`;
    return row ? toUser(row) : null;
  }

  async passwordHash(userId: string): Promise<string | null> {
    const [row] = await this.sql<{ password_hash: string | null }[]>`SELECT password_hash FROM users WHERE id = ${sf(userId)}`;
    return row?.password_hash ?? null;
  }

  async setPasswordHash(userId: string, hash: string): Promise<void> {
    await this.sql`UPDATE users SET password_hash = ${hash} WHERE id = ${sf(userId)}`;
  }

  async countAdmins(): Promise<number> {
    const [row] = await this.sql<{ n: string }[]>`SELECT count(*) AS n FROM users WHERE admin AND NOT bot AND deleted_at IS NULL AND NOT disabled`;
    return row ? num(row.n) : 0;
  }
}
