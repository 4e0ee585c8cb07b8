// The presence API's rows on PostgreSQL (the SQLite twin: src/store/presence-store.ts): opt-in, K/V, API token
// digests, GitHub links, last-seen times and mirrored Discord members. K/V keeps its write order in `seq` (rowid on SQLite).
import type { ExternalProfileRow, ExternalUserRow, GitHubLinkRow, PresenceUserRow } from '../sqlite/presence-store.ts';
import { bytes, type Db, idOrNull, numOrNull, sf } from './sql.ts';

export class PresenceStore {
  constructor(private readonly sql: Db) {}

  // ---- loading (start-up) ----

  async users(): Promise<PresenceUserRow[]> {
    const rows = await this.sql<
      {
        user_id: string;
        shared: boolean;
        guild_id: string | null;
        last_seen: string | null;
        username: string;
        global_name: string | null;
        avatar: string | null;
        bot: boolean;
        disabled: boolean;
        nick: string | null;
      }[]
    >`SELECT p.user_id, p.shared, p.guild_id, p.last_seen, u.username, u.global_name, u.avatar, u.bot, u.disabled, m.nick
      FROM presence_users p JOIN users u ON u.id = p.user_id
      LEFT JOIN members m ON m.guild_id = p.guild_id AND m.user_id = p.user_id
      ORDER BY p.user_id`;
    return rows.map((r) => ({
      userId: r.user_id,
      shared: r.shared,
      guildId: idOrNull(r.guild_id),
      lastSeen: numOrNull(r.last_seen),
      username: r.username,
      globalName: r.global_name,
      avatar: r.avatar,
      bot: r.bot,
      disabled: r.disabled,
      nick: r.nick,
    }));
  }

  /** Every mirrored member ever seen, those who left included (their K/V and token are kept). */
  async externalUsers(): Promise<ExternalUserRow[]> {
    const rows = await this.sql<
      {
        user_id: string;
        shared: boolean;
        last_seen: string | null;
        source: string;
        guild_id: string;
        username: string;
        global_name: string | null;
        avatar: string | null;
        bot: boolean;
        nick: string | null;
        member: boolean;
      }[]
    >`SELECT p.user_id, p.shared, p.last_seen, e.source, e.guild_id, e.username, e.global_name, e.avatar, e.bot, e.nick, e.member
      FROM presence_users p JOIN external_profiles e ON e.user_id = p.user_id
      ORDER BY p.user_id`;
    return rows.map((r) => ({
      userId: r.user_id,
      shared: r.shared,
      lastSeen: numOrNull(r.last_seen),
      source: r.source,
      guildId: r.guild_id,
      username: r.username,
      globalName: r.global_name,
      avatar: r.avatar,
      bot: r.bot,
      nick: r.nick,
      member: r.member,
    }));
  }

  /** Every K/V pair, each user's in the order their keys were first written. */
  async allKv(): Promise<{ userId: string; key: string; value: string }[]> {
    const rows = await this.sql<{ user_id: string; key: string; value: string }[]>`SELECT user_id, key, value FROM presence_kv ORDER BY seq`;
    return rows.map((r) => ({ userId: r.user_id, key: r.key, value: r.value }));
  }

  async allTokens(): Promise<{ userId: string; tokenHash: Uint8Array }[]> {
    const rows = await this.sql<{ user_id: string; token_hash: Uint8Array }[]>`SELECT user_id, token_hash FROM presence_tokens ORDER BY user_id`;
    return rows.map((r) => ({ userId: r.user_id, tokenHash: bytes(r.token_hash) }));
  }

  async allGithub(): Promise<GitHubLinkRow[]> {
    const rows = await this.sql<{ user_id: string; username: string; profile: string | null; fetched_at: string | null }[]>`
      SELECT user_id, username, profile, fetched_at FROM presence_github ORDER BY user_id`;
    return rows.map((r) => ({ userId: r.user_id, username: r.username, profileJson: r.profile, fetchedAt: numOrNull(r.fetched_at) }));
  }

  /** The built-in presence bot, if it was created already. */
  async systemBotId(): Promise<string | null> {
    const [row] = await this.sql<{ id: string }[]>`SELECT id FROM users WHERE system AND bot ORDER BY id LIMIT 1`;
    return row ? row.id : null;
  }

  // ---- opt-in ----

  /** Creates the row (shared) or switches sharing; `guildId` undefined leaves the sharing guild as it is. */
  async putUser(userId: string, shared: boolean, guildId: string | null | undefined, now: number): Promise<void> {
    await this.sql`
      INSERT INTO presence_users (user_id, shared, guild_id, created_at) VALUES (${userId}, ${shared}, ${guildId ?? null}, ${now})
      ON CONFLICT (user_id) DO UPDATE SET shared = excluded.shared,
        guild_id = CASE WHEN ${guildId !== undefined} THEN excluded.guild_id ELSE presence_users.guild_id END`;
  }

  // ---- mirrored members ----

  /** Records a member (shared from the start: being in the mirrored server is the opt-in) or updates their profile. */
  async putExternal(profile: ExternalProfileRow, now: number): Promise<void> {
    await this
      .sql`INSERT INTO presence_users (user_id, shared, guild_id, created_at) VALUES (${profile.userId}, TRUE, NULL, ${now}) ON CONFLICT (user_id) DO NOTHING`;
    await this.sql`
      INSERT INTO external_profiles (user_id, source, guild_id, username, global_name, avatar, bot, nick, member, updated_at)
      VALUES (${profile.userId}, ${profile.source}, ${profile.guildId}, ${profile.username}, ${profile.globalName}, ${profile.avatar}, ${profile.bot},
        ${profile.nick}, TRUE, ${now})
      ON CONFLICT (user_id) DO UPDATE SET source = excluded.source, guild_id = excluded.guild_id, username = excluded.username,
        global_name = excluded.global_name, avatar = excluded.avatar, bot = excluded.bot, nick = excluded.nick, member = TRUE, updated_at = excluded.updated_at`;
  }

  /** A member left: the row stays (hidden) so their data returns with them. */
  async leaveExternal(userId: string, now: number): Promise<void> {
    await this.sql`UPDATE external_profiles SET member = FALSE, updated_at = ${now} WHERE user_id = ${sf(userId)}`;
  }

  async setLastSeen(userId: string, at: number): Promise<void> {
    await this.sql`UPDATE presence_users SET last_seen = ${at} WHERE user_id = ${sf(userId)}`;
  }

  // ---- K/V ----

  async putKv(userId: string, entries: Record<string, string>): Promise<void> {
    for (const [key, value] of Object.entries(entries)) {
      await this.sql`INSERT INTO presence_kv (user_id, key, value) VALUES (${userId}, ${key}, ${value})
        ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value`;
    }
  }

  async deleteKv(userId: string, key: string): Promise<boolean> {
    return (await this.sql`DELETE FROM presence_kv WHERE user_id = ${sf(userId)} AND key = ${key}`).count > 0;
  }

  // ---- API tokens ----

  /** Replaces the user's token: the old digest stops matching in the same statement. */
  async putToken(userId: string, tokenHash: Uint8Array, now: number): Promise<void> {
    await this.sql`INSERT INTO presence_tokens (user_id, token_hash, created_at) VALUES (${userId}, ${tokenHash}, ${now})
      ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at`;
  }

  async deleteToken(userId: string): Promise<boolean> {
    return (await this.sql`DELETE FROM presence_tokens WHERE user_id = ${sf(userId)}`).count > 0;
  }

  // ---- GitHub ----

  async putGithub(userId: string, username: string, profileJson: string, fetchedAt: number): Promise<void> {
    await this
      .sql`INSERT INTO presence_github (user_id, username, profile, fetched_at, linked_at) VALUES (${userId}, ${username}, ${profileJson}, ${fetchedAt}, ${fetchedAt})
      ON CONFLICT (user_id) DO UPDATE SET username = excluded.username, profile = excluded.profile, fetched_at = excluded.fetched_at, linked_at = excluded.linked_at`;
  }

  /** A refresh that succeeded; the link itself is unchanged. */
  async refreshGithub(userId: string, profileJson: string, fetchedAt: number): Promise<void> {
    await this.sql`UPDATE presence_github SET profile = ${profileJson}, fetched_at = ${fetchedAt} WHERE user_id = ${sf(userId)}`;
  }

  async deleteGithub(userId: string): Promise<boolean> {
    return (await this.sql`DELETE FROM presence_github WHERE user_id = ${sf(userId)}`).count > 0;
  }
}
