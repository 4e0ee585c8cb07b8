// SQL for the presence API: opt-in, K/V, API token digests, GitHub links, last-seen times and the profiles of
// mirrored Discord members.
// The directory reads everything once at start-up; after that these statements run only on writes.

import type { Database } from 'bun:sqlite';
import type { ExternalProfileRow, ExternalUserRow, GitHubLinkRow, PresenceUserRow } from '../../domain/model/presence.ts';
import type { PresenceRepo } from '../../domain/ports/index.ts';
import type { Immediate } from './immediate.ts';
import { bool, type Int, id, idOrNull, numOrNull } from './rows.ts';

export type { ExternalProfileRow, ExternalUserRow, GitHubLinkRow, PresenceUserRow } from '../../domain/model/presence.ts';

type UserJoinRow = {
  user_id: Int;
  shared: Int;
  guild_id: Int | null;
  last_seen: Int | null;
  username: string;
  global_name: string | null;
  avatar: string | null;
  bot: Int;
  disabled: Int;
  nick: string | null;
};

export class PresenceStore implements Immediate<PresenceRepo> {
  constructor(private readonly db: Database) {}

  // ---- loading (start-up) ----

  users(): PresenceUserRow[] {
    return this.db
      .query<UserJoinRow, []>(
        `SELECT p.user_id, p.shared, p.guild_id, p.last_seen, u.username, u.global_name, u.avatar, u.bot, u.disabled, m.nick
         FROM presence_users p JOIN users u ON u.id = p.user_id
         LEFT JOIN members m ON m.guild_id = p.guild_id AND m.user_id = p.user_id`,
      )
      .all()
      .map((r) => ({
        userId: id(r.user_id),
        shared: bool(r.shared),
        guildId: idOrNull(r.guild_id),
        lastSeen: numOrNull(r.last_seen),
        username: r.username,
        globalName: r.global_name,
        avatar: r.avatar,
        bot: bool(r.bot),
        disabled: bool(r.disabled),
        nick: r.nick,
      }));
  }

  /** Every mirrored member ever seen, those who left included (their K/V and token are kept). */
  externalUsers(): ExternalUserRow[] {
    return this.db
      .query<
        {
          user_id: Int;
          shared: Int;
          last_seen: Int | null;
          source: string;
          guild_id: Int;
          username: string;
          global_name: string | null;
          avatar: string | null;
          bot: Int;
          nick: string | null;
          member: Int;
        },
        []
      >(
        `SELECT p.user_id, p.shared, p.last_seen, e.source, e.guild_id, e.username, e.global_name, e.avatar, e.bot, e.nick, e.member
         FROM presence_users p JOIN external_profiles e ON e.user_id = p.user_id`,
      )
      .all()
      .map((r) => ({
        userId: id(r.user_id),
        shared: bool(r.shared),
        lastSeen: numOrNull(r.last_seen),
        source: r.source,
        guildId: id(r.guild_id),
        username: r.username,
        globalName: r.global_name,
        avatar: r.avatar,
        bot: bool(r.bot),
        nick: r.nick,
        member: bool(r.member),
      }));
  }

  /** Every K/V pair, each user's in the order their keys were first written. */
  allKv(): { userId: string; key: string; value: string }[] {
    return this.db
      .query<{ user_id: Int; key: string; value: string }, []>('SELECT user_id, key, value FROM presence_kv ORDER BY rowid')
      .all()
      .map((r) => ({ userId: id(r.user_id), key: r.key, value: r.value }));
  }

  allTokens(): { userId: string; tokenHash: Uint8Array }[] {
    return this.db
      .query<{ user_id: Int; token_hash: Uint8Array }, []>('SELECT user_id, token_hash FROM presence_tokens')
      .all()
      .map((r) => ({ userId: id(r.user_id), tokenHash: r.token_hash }));
  }

  allGithub(): GitHubLinkRow[] {
    return this.db
      .query<{ user_id: Int; username: string; profile: string | null; fetched_at: Int | null }, []>(
        'SELECT user_id, username, profile, fetched_at FROM presence_github',
      )
      .all()
      .map((r) => ({ userId: id(r.user_id), username: r.username, profileJson: r.profile, fetchedAt: numOrNull(r.fetched_at) }));
  }

  /** The built-in presence bot, if it was created already. */
  systemBotId(): string | null {
    const row = this.db.query<{ id: Int }, []>('SELECT id FROM users WHERE system = 1 AND bot = 1 ORDER BY id LIMIT 1').get();
    return row ? id(row.id) : null;
  }

  // ---- opt-in ----

  /** Creates the row (shared) or switches sharing; `guildId` undefined leaves the sharing guild as it is. */
  putUser(userId: string, shared: boolean, guildId: string | null | undefined, now: number): void {
    this.db
      .query(
        `INSERT INTO presence_users (user_id, shared, guild_id, created_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(user_id) DO UPDATE SET shared = ?2, guild_id = CASE WHEN ?5 THEN ?3 ELSE guild_id END`,
      )
      .run(userId, shared ? 1 : 0, guildId ?? null, now, guildId === undefined ? 0 : 1);
  }

  // ---- mirrored members ----

  /** Records a member (shared from the start: being in the mirrored server is the opt-in) or updates their profile. */
  putExternal(profile: ExternalProfileRow, now: number): void {
    this.db
      .query('INSERT INTO presence_users (user_id, shared, guild_id, created_at) VALUES (?, 1, NULL, ?) ON CONFLICT(user_id) DO NOTHING')
      .run(profile.userId, now);
    this.db
      .query(
        `INSERT INTO external_profiles (user_id, source, guild_id, username, global_name, avatar, bot, nick, member, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9)
         ON CONFLICT(user_id) DO UPDATE SET source = ?2, guild_id = ?3, username = ?4, global_name = ?5, avatar = ?6,
           bot = ?7, nick = ?8, member = 1, updated_at = ?9`,
      )
      .run(profile.userId, profile.source, profile.guildId, profile.username, profile.globalName, profile.avatar, profile.bot ? 1 : 0, profile.nick, now);
  }

  /** A member left: the row stays (hidden) so their data returns with them. */
  leaveExternal(userId: string, now: number): void {
    this.db.query('UPDATE external_profiles SET member = 0, updated_at = ? WHERE user_id = ?').run(now, userId);
  }

  setLastSeen(userId: string, at: number): void {
    this.db.query('UPDATE presence_users SET last_seen = ? WHERE user_id = ?').run(at, userId);
  }

  // ---- K/V ----

  putKv(userId: string, entries: Record<string, string>): void {
    const statement = this.db.query(
      'INSERT INTO presence_kv (user_id, key, value) VALUES (?, ?, ?) ON CONFLICT(user_id, key) DO UPDATE SET value = excluded.value',
    );
    for (const [key, value] of Object.entries(entries)) statement.run(userId, key, value);
  }

  deleteKv(userId: string, key: string): boolean {
    return this.db.query('DELETE FROM presence_kv WHERE user_id = ? AND key = ?').run(userId, key).changes > 0;
  }

  // ---- API tokens ----

  /** Replaces the user's token: the old digest stops matching in the same transaction. */
  putToken(userId: string, tokenHash: Uint8Array, now: number): void {
    this.db
      .query(
        `INSERT INTO presence_tokens (user_id, token_hash, created_at) VALUES (?, ?, ?)
         ON CONFLICT(user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at`,
      )
      .run(userId, tokenHash, now);
  }

  deleteToken(userId: string): boolean {
    return this.db.query('DELETE FROM presence_tokens WHERE user_id = ?').run(userId).changes > 0;
  }

  // ---- GitHub ----

  putGithub(userId: string, username: string, profileJson: string, fetchedAt: number): void {
    this.db
      .query(
        `INSERT INTO presence_github (user_id, username, profile, fetched_at, linked_at) VALUES (?1, ?2, ?3, ?4, ?4)
         ON CONFLICT(user_id) DO UPDATE SET username = ?2, profile = ?3, fetched_at = ?4, linked_at = ?4`,
      )
      .run(userId, username, profileJson, fetchedAt);
  }

  /** A refresh that succeeded; the link itself is unchanged. */
  refreshGithub(userId: string, profileJson: string, fetchedAt: number): void {
    this.db.query('UPDATE presence_github SET profile = ?, fetched_at = ? WHERE user_id = ?').run(profileJson, fetchedAt, userId);
  }

  deleteGithub(userId: string): boolean {
    return this.db.query('DELETE FROM presence_github WHERE user_id = ?').run(userId).changes > 0;
  }
}
