// What the gateway tells sessions, before any dialect has shaped it. Most entries are domain events
// passed through with what every dialect needs to show them (message views, member users); the rest say
// what one session's user just gained or lost the right to see. Each dialect maps every entry to its
// own event name and payload; the core decides who receives it.
import type { AttachmentView } from '../domain/attachments.ts';
import type { Channel } from '../domain/channels.ts';
import type { Guild } from '../domain/guilds.ts';
import type { Member } from '../domain/members.ts';
import type { Message, MessageView } from '../domain/messages.ts';
import type { ThreadMember } from '../domain/model/channel.ts';
import type { CustomEmoji } from '../domain/model/emoji.ts';
import type { Presence } from '../domain/presence/presence-service.ts';
import type { Role } from '../domain/roles.ts';
import type { User } from '../domain/users.ts';
import type { DmSeen, DomainEvent, MemberLeaveReason } from '../events/domain-events.ts';

/**
 * A guild as one user (`userId`) sees it: only the channels they may view. READY and "guild available" carry it;
 * v10 also sends the viewer's own membership (joined_at, the bot's own member) from it. `presences` holds the
 * live presence of every member who is not offline when the snapshot was taken (v1 sends them with the guild).
 */
/**
 * What GUILD_CREATE shows beyond the snapshot when a guild becomes available during fan-out (a join, a new guild):
 * every member with their account, the guild's emoji, and the user's own membership of the active threads. Read by
 * the fan-out with the snapshot (visibility), so that the encoders read nothing.
 */
export type GuildContents = {
  members: Member[];
  users: ReadonlyMap<string, User>;
  emojis: CustomEmoji[];
  threadMembers: ReadonlyMap<string, ThreadMember>;
};

export type GuildSnapshot = {
  guild: Guild;
  roles: Role[];
  /** Channels, threads left out. */
  channels: Channel[];
  /** The active (not archived) threads the user may view. */
  threads: Channel[];
  memberCount: number;
  presences: Presence[];
  userId: string;
  /** The viewer's membership as read for the snapshot (absent: read it again). */
  member?: Member;
};

/** Why a session stopped seeing a guild. */
export type GuildLossCause = MemberLeaveReason | 'deleted';

type PassedThrough = Extract<
  DomainEvent,
  {
    type:
      | 'message.delete'
      | 'message.delete_bulk'
      | 'reaction.add'
      | 'reaction.remove'
      | 'typing.start'
      | 'guild.update'
      | 'role.create'
      | 'role.update'
      | 'role.delete'
      | 'channel.update'
      | 'user.update'
      | 'webhooks.update'
      | 'emojis.update'
      | 'audit.create'
      | 'interaction.result'
      | 'interaction.modal'
      | 'interaction.autocomplete';
  }
>;

export type Dispatch =
  | PassedThrough
  /** `members`: the guild members the view names, read at commit. */
  | { type: 'message.create'; message: Message; view: MessageView; members?: ReadonlyMap<string, Member> }
  | { type: 'message.update'; message: Message; view: MessageView; members?: ReadonlyMap<string, Member> }
  | { type: 'member.join'; member: Member; user: User }
  | { type: 'member.update'; member: Member; user: User }
  | { type: 'member.leave'; guildId: string; userId: string; user: User | null }
  /** The user may now view this channel: it was created, or a role or overwrite let them in. */
  | { type: 'channel.visible'; channel: Channel; cause: 'created' | 'permissions'; seen?: DmSeen }
  /** The user may no longer view this channel: it was deleted, or a role or overwrite shut them out. */
  | { type: 'channel.hidden'; channel: Channel; cause: 'deleted' | 'permissions' | 'closed'; seen?: DmSeen }
  /** The user is now in this guild (created it, joined, or was added as a bot). */
  | { type: 'guild.available'; snapshot: GuildSnapshot; contents: GuildContents; cause: 'created' | 'joined' }
  /** The user is no longer in this guild. */
  | { type: 'guild.unavailable'; guildId: string; cause: GuildLossCause }
  /**
   * The users gained these channels (they could not see them before) and with them these active threads of theirs;
   * each user's own thread memberships go with it (Discord's THREAD_LIST_SYNC).
   */
  | {
      type: 'thread.list_sync';
      guildId: string;
      channelIds: string[];
      threads: Channel[];
      userIds: string[];
      /** `${threadId}:${userId}` → that user's membership of that thread. */
      threadMembers: ReadonlyMap<string, ThreadMember>;
    }
  /** People joined or left a thread the session's user may view. */
  | Extract<DomainEvent, { type: 'thread.members_update' }>
  /** The user read a channel up to a message, on another of their devices. */
  | Extract<DomainEvent, { type: 'read_state.ack' }>
  /** The user changed how a guild or its channels notify them. */
  | Extract<DomainEvent, { type: 'notification_settings.update' }>
  /** Someone joined or left a group DM (`user` them). */
  | { type: 'dm.recipient_add'; channel: Channel; user: User }
  | { type: 'dm.recipient_remove'; channel: Channel; user: User }
  /** A user's live presence, as members of one guild they share see it (guildId null: the user's own sessions). */
  | { type: 'presence.update'; presence: Presence; guildId: string | null }
  /** An interaction, for its application and its invoker; `files` are the files it holds, with signed links. */
  | (Extract<DomainEvent, { type: 'interaction.create' }> & { files: AttachmentView[] })
  /** An ephemeral message, for its one viewer (userId). */
  | {
      type: 'ephemeral.message';
      action: 'create' | 'update' | 'delete';
      userId: string;
      message: Message;
      /** Null for a delete (its ids are all it shows). */
      view: MessageView | null;
      members?: ReadonlyMap<string, Member>;
    };

export type DispatchType = Dispatch['type'];
