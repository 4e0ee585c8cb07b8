// SQL for invite codes.

import type { Database } from 'bun:sqlite';
import type { Invite } from '../../domain/model/invite.ts';
import type { InvitesRepo } from '../../domain/ports/index.ts';
import type { Immediate } from './immediate.ts';
import { type Int, id, idOrNull, num, numOrNull } from './rows.ts';

type InviteRow = { code: string; guild_id: Int; channel_id: Int; inviter_id: Int | null; max_uses: Int; uses: Int; expires_at: Int | null; created_at: Int };

const toInvite = (r: InviteRow): Invite => ({
  code: r.code,
  guildId: id(r.guild_id),
  channelId: id(r.channel_id),
  inviterId: idOrNull(r.inviter_id),
  maxUses: num(r.max_uses),
  uses: num(r.uses),
  expiresAt: numOrNull(r.expires_at),
  createdAt: num(r.created_at),
});

export class InvitesStore implements Immediate<InvitesRepo> {
  constructor(private readonly db: Database) {}

  insert(i: Invite): void {
    this.db
      .query('INSERT INTO invites (code, guild_id, channel_id, inviter_id, max_uses, uses, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(i.code, i.guildId, i.channelId, i.inviterId, i.maxUses, i.uses, i.expiresAt, i.createdAt);
  }

  byCode(code: string): Invite | null {
    const row = this.db.query<InviteRow, [string]>('SELECT * FROM invites WHERE code = ?').get(code);
    return row ? toInvite(row) : null;
  }

  ofGuild(guildId: string): Invite[] {
    return this.db.query<InviteRow, [string]>('SELECT * FROM invites WHERE guild_id = ? ORDER BY created_at').all(guildId).map(toInvite);
  }

  ofChannel(channelId: string): Invite[] {
    return this.db.query<InviteRow, [string]>('SELECT * FROM invites WHERE channel_id = ? ORDER BY created_at').all(channelId).map(toInvite);
  }

  use(code: string): void {
    this.db.query('UPDATE invites SET uses = uses + 1 WHERE code = ?').run(code);
  }

  delete(code: string): void {
    this.db.query('DELETE FROM invites WHERE code = ?').run(code);
  }
}
