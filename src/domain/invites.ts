// Invite codes: made in a channel by anyone with CREATE_INSTANT_INVITE, redeemed to join its guild.
import { RESTJSONErrorCodes as Codes } from 'discord-api-types/v10';
import { ApiError, invalidField, missingPermissions, unknown } from '../http/api-error.ts';
import type { AccessService } from './access.ts';
import { type AuditLog, created, removed } from './audit-log.ts';
import type { Clock } from './clock.ts';
import { GUILDS_PER_USER_MAX, type Guild, type GuildService } from './guilds.ts';
import type { Invite } from './model/invite.ts';
import { has, Permission } from './permissions.ts';
import type { ChannelsRepo, GuildsRepo, InvitesRepo } from './ports/index.ts';
import type { Emit, UnitOfWork } from './ports/unit-of-work.ts';

/** What announces a new member in the guild's system channel (MessageService.announceJoin). */
export interface JoinAnnouncer {
  announceJoin(emit: Emit, guild: Guild, userId: string): Promise<void>;
}

export type { Invite } from './model/invite.ts';

/**
 * What anyone holding a code may learn: where it leads. Not how it is used — uses, max_uses, max_age and
 * created_at are for those who manage invites (the list routes). The channel is named only to a viewer who
 * could see it (`AccessService.couldSee`); to anyone else it is an id with a null name.
 */
export type InvitePreview = {
  code: string;
  guild: Guild;
  channel: { id: string; name: string | null };
  inviterId: string | null;
  expiresAt: number | null;
  memberCount: number;
};

const ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function newCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  return Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join('');
}

export class InviteService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly invites: InvitesRepo,
    private readonly guildsStore: GuildsRepo,
    private readonly channels: ChannelsRepo,
    private readonly guilds: GuildService,
    private readonly access: AccessService,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly joins?: JoinAnnouncer,
  ) {}

  /** `maxAge` in seconds (0 = never expires, default 7 days); `maxUses` 0 = unlimited. */
  async create(channelId: string, userId: string, options: { maxAge?: number; maxUses?: number }): Promise<Invite> {
    const { channel } = await this.access.requireChannelPermission(channelId, userId, Permission.CreateInstantInvite);
    if (channel.guildId === null) throw new ApiError(400, Codes.CannotExecuteActionOnDMChannel, 'Cannot invite to a DM channel');
    // An invite leads to a channel people land in on joining; a thread (private ones above all) is not one.
    if (channel.thread) throw new ApiError(400, Codes.CannotExecuteActionOnThisChannelType, 'Cannot execute action on this channel type');
    const maxAge = options.maxAge ?? 604800;
    const maxUses = options.maxUses ?? 0;
    if (!Number.isInteger(maxAge) || maxAge < 0 || maxAge > 604800) throw invalidField('max_age', 'NUMBER_TYPE_MAX', 'max_age must be 0-604800 seconds');
    if (!Number.isInteger(maxUses) || maxUses < 0 || maxUses > 100) throw invalidField('max_uses', 'NUMBER_TYPE_MAX', 'max_uses must be 0-100');
    const now = this.clock.now();
    const invite: Invite = {
      code: newCode(),
      guildId: channel.guildId,
      channelId,
      inviterId: userId,
      maxUses,
      uses: 0,
      expiresAt: maxAge === 0 ? null : now + maxAge * 1000,
      createdAt: now,
    };
    await this.uow.write(async (emit) => {
      await this.invites.insert(invite);
      await this.audit.record(emit, { guildId: invite.guildId, actorId: userId, action: 'invite.create', changes: created(inviteFields(invite)) });
    });
    return invite;
  }

  async listForGuild(guildId: string, userId: string): Promise<Invite[]> {
    await this.access.requireGuildPermission(guildId, userId, Permission.ManageGuild);
    return (await this.invites.ofGuild(guildId)).filter((i) => !this.expired(i));
  }

  async listForChannel(channelId: string, userId: string): Promise<Invite[]> {
    await this.access.requireChannelPermission(channelId, userId, Permission.ManageChannels);
    return (await this.invites.ofChannel(channelId)).filter((i) => !this.expired(i));
  }

  /** Anyone signed in may look an invite up (to show "you were invited to X"), as `viewerId` may see it. */
  async get(code: string, viewerId: string): Promise<InvitePreview> {
    const invite = await this.invites.byCode(code);
    if (!invite || this.expired(invite)) throw unknown.invite();
    return this.preview(invite, viewerId);
  }

  /** The public face of `invite` for `viewerId` (also what revoking one answers in the discord dialect). */
  async preview(invite: Invite, viewerId: string): Promise<InvitePreview> {
    const guild = await this.guildsStore.guild(invite.guildId);
    if (!guild) throw unknown.invite();
    const channel = await this.channels.byId(invite.channelId);
    return {
      code: invite.code,
      guild,
      channel: { id: invite.channelId, name: channel && (await this.access.couldSee(channel, viewerId)) ? channel.name : null },
      inviterId: invite.inviterId,
      expiresAt: invite.expiresAt,
      memberCount: await this.guildsStore.memberCount(guild.id),
    };
  }

  async accept(code: string, userId: string): Promise<Guild> {
    return this.uow.write(async (emit) => {
      const invite = await this.invites.byCode(code);
      const guild = invite && (await this.guildsStore.guild(invite.guildId));
      if (!invite || !guild || this.expired(invite)) throw unknown.invite();
      const already = (await this.guildsStore.member(guild.id, userId)) !== null;
      if (!already && (await this.guildsStore.guildsOf(userId)).length >= GUILDS_PER_USER_MAX) {
        throw new ApiError(400, Codes.MaximumNumberOfGuildsReached, `Maximum number of guilds reached (${GUILDS_PER_USER_MAX})`);
      }
      if (await this.guilds.join(guild.id, userId, emit)) {
        await this.invites.use(code);
        if (invite.maxUses > 0 && invite.uses + 1 >= invite.maxUses) await this.invites.delete(code);
        await this.joins?.announceJoin(emit, guild, userId);
      }
      return guild;
    });
  }

  /** The inviter, or anyone with MANAGE_CHANNELS / MANAGE_GUILD, may revoke an invite. */
  async delete(code: string, userId: string): Promise<Invite> {
    const invite = await this.invites.byCode(code);
    if (!invite) throw unknown.invite();
    const access = await this.access.guild(invite.guildId, userId);
    const allowed = invite.inviterId === userId || has(access.permissions, Permission.ManageGuild) || has(access.permissions, Permission.ManageChannels);
    if (!allowed) throw missingPermissions();
    await this.uow.write(async (emit) => {
      await this.invites.delete(code);
      await this.audit.record(emit, { guildId: invite.guildId, actorId: userId, action: 'invite.delete', changes: removed(inviteFields(invite)) });
    });
    return invite;
  }

  private expired(invite: Invite): boolean {
    return invite.expiresAt !== null && invite.expiresAt <= this.clock.now();
  }
}

/** An invite's fields under Discord's audit log change keys (an invite entry has no target id; its code says which). */
function inviteFields(invite: Invite): [string, string | number | null][] {
  return [
    ['code', invite.code],
    ['channel_id', invite.channelId],
    ['inviter_id', invite.inviterId],
    ['max_uses', invite.maxUses],
    ['max_age', invite.expiresAt === null ? 0 : Math.round((invite.expiresAt - invite.createdAt) / 1000)],
    ['uses', invite.uses],
  ];
}
