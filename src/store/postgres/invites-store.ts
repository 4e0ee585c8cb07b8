// Invite codes on PostgreSQL (the SQLite twin: src/store/invites-store.ts).
import type { Invite } from '../../domain/model/invite.ts';
import { type Db, idOrNull, num, numOrNull, sf } from './sql.ts';

type InviteRow = {
  code: string;
  guild_id: string;
  channel_id: string;
  inviter_id: string | null;
  max_uses: number;
  uses: number;
  expires_at: string | null;
  created_at: string;
};

const toInvite = (r: InviteRow): Invite => ({
  code: r.code,
  guildId: r.guild_id,
  channelId: r.channel_id,
  inviterId: idOrNull(r.inviter_id),
  maxUses: num(r.max_uses),
  uses: num(r.uses),
  expiresAt: numOrNull(r.expires_at),
  createdAt: num(r.created_at),
});

export class InvitesStore {
  constructor(private readonly sql: Db) {}

  async insert(i: Invite): Promise<void> {
    await this.sql`INSERT INTO invites (code, guild_id, channel_id, inviter_id, max_uses, uses, expires_at, created_at)
      VALUES (${i.code}, ${i.guildId}, ${i.channelId}, ${i.inviterId}, ${i.maxUses}, ${i.uses}, ${i.expiresAt}, ${i.createdAt})`;
  }

  async byCode(code: string): Promise<Invite | null> {
    const [row] = await this.sql<InviteRow[]>`SELECT * FROM invites WHERE code = ${code}`;
    return row ? toInvite(row) : null;
  }

  /** Oldest first; the code breaks a tie (SQLite's rowid order does, here it must be said). */
  async ofGuild(guildId: string): Promise<Invite[]> {
    return (await this.sql<InviteRow[]>`SELECT * FROM invites WHERE guild_id = ${sf(guildId)} ORDER BY created_at, code`).map(toInvite);
  }

  async ofChannel(channelId: string): Promise<Invite[]> {
    return (await this.sql<InviteRow[]>`SELECT * FROM invites WHERE channel_id = ${sf(channelId)} ORDER BY created_at, code`).map(toInvite);
  }

  async use(code: string): Promise<void> {
    await this.sql`UPDATE invites SET uses = uses + 1 WHERE code = ${code}`;
  }

  async delete(code: string): Promise<void> {
    await this.sql`DELETE FROM invites WHERE code = ${code}`;
  }
}
