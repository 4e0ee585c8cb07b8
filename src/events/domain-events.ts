// What happened, in domain terms. Dialects decide who may see each event and how it looks on their wire.

import type { CommandChoice } from '../domain/commands/command-model.ts';
import type { Interaction, Modal } from '../domain/interactions/interaction-model.ts';
import type { AuditEntry } from '../domain/model/audit.ts';
import type { Channel, ThreadMember } from '../domain/model/channel.ts';
import type { CustomEmoji } from '../domain/model/emoji.ts';
import type { Guild, Member, Role } from '../domain/model/guild.ts';
import type { Message, MessageView } from '../domain/model/message.ts';
import type { GuildNotificationSettings } from '../domain/model/read-state.ts';
import type { User } from '../domain/model/user.ts';
import type { DirectoryChange, DirectoryUser } from '../domain/presence/presence-directory.ts';
import type { Presence } from '../domain/presence/presence-service.ts';

export type MemberLeaveReason = 'leave' | 'kick' | 'ban' | 'bot_removed';

/**
 * What the gateways show of a message, read at commit (src/domain/event-views.ts) so that fan-out and encoders
 * read no database: the view (no viewer: reactions carry no `me`), and the guild membership of everyone the
 * view names (author, mentions, the replied-to message's), absent for a DM or for who is no member.
 */
export type MessageSeen = { view: MessageView; members: ReadonlyMap<string, Member> };

/** The people a DM or group DM shows (its participants, and whoever just left it), read at commit. */
export type DmSeen = { users: User[] };

/** Someone acting in a guild channel (a reaction, typing) as the gateways show them: their membership and account. */
export type ActorSeen = { member: Member | null; user: User | null };

/**
 * The rest of the `seen` fields below follow MessageSeen: filled at commit (src/domain/event-views.ts), inside the
 * write's transaction, with what the gateways show of the event, so that fan-out and the encoders never read a row
 * that a later write may have changed. `wire`: payloads a dialect shaped at commit itself, by dialect id.
 */
export type DomainEvent =
  | { type: 'message.create'; message: Message; seen?: MessageSeen }
  /** `filesRemoved`: the edit replaced the message's attachments, so stored files may now be unused (file-janitor.ts). */
  | { type: 'message.update'; message: Message; seen?: MessageSeen; filesRemoved?: true }
  | { type: 'message.delete'; id: string; channelId: string; guildId: string | null }
  | { type: 'message.delete_bulk'; ids: string[]; channelId: string; guildId: string | null }
  | {
      type: 'reaction.add';
      messageId: string;
      channelId: string;
      guildId: string | null;
      userId: string;
      emoji: string;
      messageAuthorId: string;
      seen?: ActorSeen;
    }
  | { type: 'reaction.remove'; messageId: string; channelId: string; guildId: string | null; userId: string; emoji: string }
  | { type: 'typing.start'; channelId: string; guildId: string | null; userId: string; at: number; seen?: ActorSeen }
  | { type: 'member.join'; member: Member; seen?: { user: User | null } }
  | { type: 'member.update'; member: Member; seen?: { user: User | null } }
  | { type: 'member.leave'; guildId: string; userId: string; reason: MemberLeaveReason; seen?: { user: User | null } }
  | { type: 'channel.create'; channel: Channel; seen?: DmSeen }
  | { type: 'channel.update'; channel: Channel; seen?: DmSeen }
  | { type: 'channel.delete'; channel: Channel; seen?: DmSeen }
  /** People joined or left a thread (`thread` as it is after the change). */
  | { type: 'thread.members_update'; thread: Channel; added: ThreadMember[]; removedIds: string[] }
  | { type: 'guild.create'; guild: Guild }
  | { type: 'guild.update'; guild: Guild; seen?: { roles: Role[]; emojis: CustomEmoji[] } }
  | { type: 'guild.delete'; guildId: string; memberIds: string[] }
  | { type: 'role.create'; role: Role }
  | { type: 'role.update'; role: Role }
  | { type: 'role.delete'; guildId: string; roleId: string }
  /** `seen.memberships`: the user's membership of every guild they are in (each shows a member update). */
  | { type: 'user.update'; user: User; seen?: { memberships: Member[] } }
  /** A guild's custom emoji changed: the whole list as it now is. */
  | { type: 'emojis.update'; guildId: string; emojis: CustomEmoji[] }
  /** `origin`: the process whose sessions made it (presence-service.ts tells its own from other nodes'). */
  | { type: 'presence.update'; presence: Presence; origin?: string }
  /**
   * What the presence API stores of one user changed (K/V, sharing, API token digest, GitHub link): every node's
   * directory applies it (src/domain/presence/presence-directory.ts); `ref` lets the writing node wait for its own.
   */
  | { type: 'presence.directory'; ref: string; user: DirectoryUser; disabled: boolean; change: DirectoryChange }
  /** A webhook of this channel was created, changed or deleted (Discord's WEBHOOKS_UPDATE says no more). */
  | { type: 'webhooks.update'; guildId: string; channelId: string }
  /** A moderation or settings change was recorded in its guild's audit log. */
  | { type: 'audit.create'; entry: AuditEntry }
  /** The user read the channel up to this message (on one device: their other sessions follow). */
  | { type: 'read_state.ack'; userId: string; channelId: string; guildId: string | null; messageId: string; mentionCount: number }
  | { type: 'notification_settings.update'; userId: string; settings: GuildNotificationSettings }
  /** The user closed this DM: gone from their list only, it comes back with its next message (dm.reopen). */
  | { type: 'dm.close'; channel: Channel; userId: string; seen?: DmSeen }
  | { type: 'dm.reopen'; channel: Channel; userIds: string[]; seen?: DmSeen }
  /** Someone joined or left a group DM (`channel` as it is after the change). */
  | { type: 'dm.recipient_add'; channel: Channel; userId: string; seen?: DmSeen }
  | { type: 'dm.recipient_remove'; channel: Channel; userId: string; seen?: DmSeen }
  /** Every credential of this user (or one session token) stopped working: close their gateway sessions. */
  | { type: 'credentials.revoked'; userId: string; tokenHash: string | null }
  /**
   * A bot's settings that no client is shown changed (the privileged intents an admin allows): no dispatch, but every
   * node drops what it keeps of the bot (TokenCallers), so its next IDENTIFY anywhere is checked against them.
   */
  | { type: 'bot.settings_changed'; userId: string }
  /** A person invoked: the application gets the interaction (with its token), the person's sessions an acknowledgement. */
  | { type: 'interaction.create'; interaction: Interaction; token: string; invoker: User; wire?: Readonly<Record<string, unknown>> }
  /** The first answer came (ok) or the 3 s passed without one: to the invoker's sessions. */
  | { type: 'interaction.result'; interaction: Interaction; ok: boolean }
  /** The application answered with a modal for the invoker's client to show. */
  | { type: 'interaction.modal'; interaction: Interaction; modal: Modal; seen?: { application: User | null } }
  /** The application's suggestions for the option the invoker is typing. */
  | { type: 'interaction.autocomplete'; interaction: Interaction; choices: CommandChoice[] }
  /** An ephemeral message appeared, changed or went: only its one viewer hears it (it is never stored in history). */
  | { type: 'ephemeral.message'; action: 'create' | 'update' | 'delete'; userId: string; message: Message; seen?: MessageSeen };

export type EventType = DomainEvent['type'];
