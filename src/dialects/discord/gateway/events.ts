// Every gateway dispatch in Discord's names and shapes, serialized once per stream it belongs on (see
// intents.ts). Payloads come from the REST serializers, so a message or member looks the same whichever way it
// arrives. The only per-user frames are where Discord's payload is truly per user: a bot without
// MESSAGE_CONTENT sees the content of messages that mention it and of its own (targeted frames), a DM channel
// lists "the other person" as recipient, and GUILD_MEMBER_UPDATE about oneself arrives without GUILD_MEMBERS.
import {
  type APIEmoji,
  type APIUser,
  ChannelType,
  ComponentType,
  GatewayDispatchEvents as Event,
  type GatewayChannelModifyDispatchData,
  type GatewayGuildAuditLogEntryCreateDispatchData,
  type GatewayGuildDeleteDispatchData,
  type GatewayGuildEmojisUpdateDispatchData,
  type GatewayGuildMemberAddDispatchData,
  type GatewayGuildMemberRemoveDispatchData,
  type GatewayGuildMemberUpdateDispatchData,
  type GatewayGuildModifyDispatchData,
  type GatewayGuildRoleDeleteDispatchData,
  type GatewayGuildRoleModifyDispatchData,
  type GatewayMessageCreateDispatchData,
  type GatewayMessageDeleteBulkDispatchData,
  type GatewayMessageDeleteDispatchData,
  type GatewayMessageReactionAddDispatchData,
  type GatewayMessageReactionRemoveDispatchData,
  type GatewayPresenceUpdateDispatchData,
  type GatewayThreadCreateDispatchData,
  type GatewayThreadDeleteDispatchData,
  type GatewayThreadListSyncDispatchData,
  type GatewayThreadMembersUpdateDispatchData,
  type GatewayThreadMemberUpdateDispatchData,
  type GatewayTypingStartDispatchData,
  type GatewayUserUpdateDispatchData,
  type GatewayWebhooksUpdateDispatchData,
  ReactionType,
} from 'discord-api-types/v10';
import type { Core } from '../../../core.ts';
import type { Channel } from '../../../domain/channels.ts';
import { emojiFromKey } from '../../../domain/emoji.ts';
import type { Enricher } from '../../../domain/event-views.ts';
import type { Modal } from '../../../domain/interactions/interaction-model.ts';
import type { MessageView } from '../../../domain/messages.ts';
import type { Member } from '../../../domain/model/guild.ts';
import type { User } from '../../../domain/users.ts';
import type { ActorSeen, DmSeen } from '../../../events/domain-events.ts';
import type { EncodedFrame } from '../../../gateway/dialect.ts';
import type { Dispatch } from '../../../gateway/dispatch.ts';
import { auditLogEntry } from '../serializers/audit-log.ts';
import { dmChannel, guildChannel, threadChannel, threadMember } from '../serializers/channel.ts';
import { customEmoji } from '../serializers/emoji.ts';
import { guild } from '../serializers/guild.ts';
import { createInteractionSerializer } from '../serializers/interaction.ts';
import { member } from '../serializers/member.ts';
import { type MemberLookup, message } from '../serializers/message.ts';
import { presence } from '../serializers/presence.ts';
import { role } from '../serializers/role.ts';
import { currentUser, user } from '../serializers/user.ts';
import { encodeDispatch } from './frames.ts';
import { guildCreatePayload, LARGE_THRESHOLD, userGuildSettings } from './guild-payloads.ts';
import { Stream, type StreamName } from './intents.ts';

type Frames = EncodedFrame[];

/** The user object for someone whose account is gone (GUILD_MEMBER_REMOVE needs `user.id`). */
function goneUser(id: string): APIUser {
  return { id, username: 'Deleted User', discriminator: '0', global_name: null, avatar: null };
}

function emoji(key: string): APIEmoji {
  const e = emojiFromKey(key);
  return e.id ? { id: e.id, name: e.name, animated: e.animated } : { id: null, name: e.name };
}

/** Same frame on each of `streams`. */
function on(streams: readonly StreamName[], frame: string): Frames {
  return streams.map((stream) => [stream, frame] as const);
}

/** A modal's text inputs in the layout the application used (legacy action rows, or labels). */
function modalComponents(modal: Modal) {
  return modal.inputs.map((input) => {
    const text = {
      type: ComponentType.TextInput,
      custom_id: input.customId,
      style: input.style,
      ...(modal.layout === 'rows' ? { label: input.label } : {}),
      required: input.required,
      ...(input.placeholder !== null ? { placeholder: input.placeholder } : {}),
      ...(input.value !== null ? { value: input.value } : {}),
      ...(input.minLength !== null ? { min_length: input.minLength } : {}),
      ...(input.maxLength !== null ? { max_length: input.maxLength } : {}),
    };
    return modal.layout === 'labels'
      ? { type: 18, label: input.label, ...(input.description !== null ? { description: input.description } : {}), component: text }
      : { type: ComponentType.ActionRow, components: [text] };
  });
}

export type EventEncoder = { encode(dispatch: Dispatch, seq: number): Frames };

/**
 * Encodes from the dispatch alone: what a payload shows beyond the event (members, DM participants, a guild's roles
 * and emoji, the interaction as the application sees it) was read at commit into the event (src/domain/event-views.ts,
 * and `discordAtCommit` below) or by the fan-out with the audience (GUILD_CREATE's contents, thread memberships).
 * The encoder is given no repository: it cannot read.
 */
export function createEventEncoder(): EventEncoder {
  const noMembers: MemberLookup = () => null;

  /** A message as MESSAGE_CREATE/UPDATE carry it; reactions left out (`me` would be nobody's). */
  function messageData(view: MessageView, members: ReadonlyMap<string, Member> | undefined): GatewayMessageCreateDispatchData {
    const lookup: MemberLookup = members ? (_guildId, userId) => members.get(userId) ?? null : noMembers;
    const { reactions: _, ...data } = message(view, lookup);
    return view.message.guildId === null ? { ...data, channel_type: ChannelType.DM } : data;
  }

  /** What a bot without MESSAGE_CONTENT gets: Discord empties content, embeds, attachments and components. */
  function withoutContent(data: GatewayMessageCreateDispatchData): GatewayMessageCreateDispatchData {
    const blank = { content: '', embeds: [], attachments: [], components: [] };
    const referenced = data.referenced_message ? { referenced_message: { ...data.referenced_message, ...blank } } : {};
    return { ...data, ...blank, ...referenced };
  }

  function messageEvent(
    t: Event.MessageCreate | Event.MessageUpdate,
    view: MessageView,
    members: ReadonlyMap<string, Member> | undefined,
    seq: number,
  ): Frames {
    const data = messageData(view, members);
    const frame = encodeDispatch(t, data, seq);
    if (view.message.guildId === null) return [[Stream.DirectMessages, frame]];
    // Bots that see this message's content anyway: its author and the bots it mentions.
    const exempt = new Map<string, string>();
    if (view.author.bot) exempt.set(view.author.id, frame);
    for (const mentioned of view.mentions) if (mentioned.bot) exempt.set(mentioned.id, frame);
    const lean = encodeDispatch(t, withoutContent(data), seq);
    return [[Stream.GuildMessages, frame], exempt.size > 0 ? [Stream.GuildMessagesNoContent, lean, exempt] : [Stream.GuildMessagesNoContent, lean]];
  }

  /** A DM channel event: each participant sees the other one as `recipients` (Discord's shape for bots). */
  function dmChannelEvent(t: Event.ChannelCreate | Event.ChannelUpdate | Event.ChannelDelete, channel: Channel, seq: number, seen?: DmSeen): Frames {
    const participants = new Map((seen?.users ?? []).map((u) => [u.id, u]));
    const byUser = new Map<string, string>();
    for (const viewer of channel.recipientIds) {
      const others = channel.recipientIds.filter((id) => id !== viewer);
      const shown = (others.length > 0 ? others : [viewer]).flatMap((id) => participants.get(id) ?? []);
      byUser.set(viewer, encodeDispatch(t, dmChannel(channel, shown), seq));
    }
    return [[Stream.DirectMessages, null, byUser]];
  }

  /**
   * A thread gained (THREAD_CREATE, `newly_created` when it was just made), changed, or lost (THREAD_DELETE, ids only),
   * on the GUILDS intent as Discord sends them.
   */
  function threadEvent(kind: 'visible' | 'update' | 'hidden', channel: Channel, seq: number, created = false): Frames {
    if (kind === 'hidden') {
      const data: GatewayThreadDeleteDispatchData = {
        id: channel.id,
        guild_id: channel.guildId ?? '',
        parent_id: channel.thread?.parentId ?? '',
        type: channel.type as ChannelType,
      };
      return [[Stream.Guilds, encodeDispatch(Event.ThreadDelete, data, seq)]];
    }
    if (kind === 'update') return [[Stream.Guilds, encodeDispatch(Event.ThreadUpdate, threadChannel(channel), seq)]];
    const data: GatewayThreadCreateDispatchData = { ...threadChannel(channel), ...(created ? { newly_created: true as const } : {}) };
    return [[Stream.Guilds, encodeDispatch(Event.ThreadCreate, data, seq)]];
  }

  /**
   * THREAD_MEMBERS_UPDATE on GUILD_MEMBERS; without it, only to the people added or removed (Discord's rule). Each
   * person added also gets THREAD_MEMBER_UPDATE with their own thread member.
   */
  function threadMembersEvent(dispatch: Extract<Dispatch, { type: 'thread.members_update' }>, seq: number): Frames {
    const { thread } = dispatch;
    const guildId = thread.guildId ?? '';
    const data: GatewayThreadMembersUpdateDispatchData = {
      id: thread.id,
      guild_id: guildId,
      member_count: Math.min(thread.thread?.memberCount ?? 0, 50),
      ...(dispatch.added.length > 0 ? { added_members: dispatch.added.map(threadMember) } : {}),
      ...(dispatch.removedIds.length > 0 ? { removed_member_ids: dispatch.removedIds } : {}),
    };
    const frame = encodeDispatch(Event.ThreadMembersUpdate, data, seq);
    const affected = new Map([...dispatch.added.map((m) => m.userId), ...dispatch.removedIds].map((id) => [id, frame]));
    const own = new Map(
      dispatch.added.map((m) => {
        const self: GatewayThreadMemberUpdateDispatchData = { ...threadMember(m), guild_id: guildId };
        return [m.userId, encodeDispatch(Event.ThreadMemberUpdate, self, seq)];
      }),
    );
    const frames: Frames = [
      [Stream.Members, frame],
      [Stream.OwnMember, null, affected],
    ];
    if (own.size > 0) frames.push([Stream.Guilds, null, own]);
    return frames;
  }

  function channelEvent(t: Event.ChannelCreate | Event.ChannelUpdate | Event.ChannelDelete, channel: Channel, seq: number, seen?: DmSeen): Frames {
    if (channel.guildId === null) return dmChannelEvent(t, channel, seq, seen);
    const data: GatewayChannelModifyDispatchData = { ...guildChannel({ ...channel, guildId: channel.guildId }), guild_id: channel.guildId };
    return [[Stream.Guilds, encodeDispatch(t, data, seq)]];
  }

  function memberUpdate(guildId: string, m: Parameters<typeof member>[0], u: User, seq: number): Frames {
    const full = member(m, u);
    const data: GatewayGuildMemberUpdateDispatchData = {
      ...full,
      user: full.user,
      avatar: full.avatar ?? null,
      banner: full.banner ?? null,
      guild_id: guildId,
    };
    const frame = encodeDispatch(Event.GuildMemberUpdate, data, seq);
    // Sessions without GUILD_MEMBERS still hear about their own member (Discord always sends that one).
    return [
      [Stream.Members, frame],
      [Stream.OwnMember, null, new Map([[u.id, frame]])],
    ];
  }

  function encode(dispatch: Dispatch, seq: number): Frames {
    switch (dispatch.type) {
      case 'message.create':
        return messageEvent(Event.MessageCreate, dispatch.view, dispatch.members, seq);
      case 'message.update':
        return messageEvent(Event.MessageUpdate, dispatch.view, dispatch.members, seq);
      case 'message.delete': {
        const data: GatewayMessageDeleteDispatchData = {
          id: dispatch.id,
          channel_id: dispatch.channelId,
          ...(dispatch.guildId ? { guild_id: dispatch.guildId } : {}),
        };
        const frame = encodeDispatch(Event.MessageDelete, data, seq);
        return dispatch.guildId ? on([Stream.GuildMessages, Stream.GuildMessagesNoContent], frame) : on([Stream.DirectMessages], frame);
      }
      case 'message.delete_bulk': {
        const data: GatewayMessageDeleteBulkDispatchData = {
          ids: dispatch.ids,
          channel_id: dispatch.channelId,
          ...(dispatch.guildId ? { guild_id: dispatch.guildId } : {}),
        };
        const frame = encodeDispatch(Event.MessageDeleteBulk, data, seq);
        return dispatch.guildId ? on([Stream.GuildMessages, Stream.GuildMessagesNoContent], frame) : on([Stream.DirectMessages], frame);
      }
      case 'reaction.add': {
        const m = actor(dispatch.seen);
        const data: GatewayMessageReactionAddDispatchData = {
          user_id: dispatch.userId,
          channel_id: dispatch.channelId,
          message_id: dispatch.messageId,
          ...(dispatch.guildId ? { guild_id: dispatch.guildId } : {}),
          ...(m ? { member: m } : {}),
          emoji: emoji(dispatch.emoji),
          burst: false,
          burst_colors: [],
          type: ReactionType.Normal,
          message_author_id: dispatch.messageAuthorId,
        };
        return [[dispatch.guildId ? Stream.GuildReactions : Stream.DirectReactions, encodeDispatch(Event.MessageReactionAdd, data, seq)]];
      }
      case 'reaction.remove': {
        const data: GatewayMessageReactionRemoveDispatchData = {
          user_id: dispatch.userId,
          channel_id: dispatch.channelId,
          message_id: dispatch.messageId,
          ...(dispatch.guildId ? { guild_id: dispatch.guildId } : {}),
          emoji: emoji(dispatch.emoji),
          burst: false,
          type: ReactionType.Normal,
        };
        return [[dispatch.guildId ? Stream.GuildReactions : Stream.DirectReactions, encodeDispatch(Event.MessageReactionRemove, data, seq)]];
      }
      case 'typing.start': {
        const m = actor(dispatch.seen);
        const data: GatewayTypingStartDispatchData = {
          channel_id: dispatch.channelId,
          ...(dispatch.guildId ? { guild_id: dispatch.guildId } : {}),
          user_id: dispatch.userId,
          // UNIX seconds, as Discord sends it (discord.js multiplies by 1000).
          timestamp: Math.floor(dispatch.at / 1000),
          ...(m ? { member: m } : {}),
        };
        return [[dispatch.guildId ? Stream.GuildTyping : Stream.DirectTyping, encodeDispatch(Event.TypingStart, data, seq)]];
      }
      case 'member.join': {
        const data: GatewayGuildMemberAddDispatchData = { ...member(dispatch.member, dispatch.user), guild_id: dispatch.member.guildId };
        return [[Stream.Members, encodeDispatch(Event.GuildMemberAdd, data, seq)]];
      }
      case 'member.update':
        return memberUpdate(dispatch.member.guildId, dispatch.member, dispatch.user, seq);
      case 'member.leave': {
        const data: GatewayGuildMemberRemoveDispatchData = {
          guild_id: dispatch.guildId,
          user: dispatch.user ? user(dispatch.user) : goneUser(dispatch.userId),
        };
        return [[Stream.Members, encodeDispatch(Event.GuildMemberRemove, data, seq)]];
      }
      case 'channel.visible':
        if (dispatch.channel.thread) return threadEvent('visible', dispatch.channel, seq, dispatch.cause === 'created');
        return channelEvent(Event.ChannelCreate, dispatch.channel, seq, dispatch.seen);
      case 'channel.update':
        if (dispatch.channel.thread) return threadEvent('update', dispatch.channel, seq);
        return channelEvent(Event.ChannelUpdate, dispatch.channel, seq, dispatch.seen);
      case 'channel.hidden':
        if (dispatch.channel.thread) return threadEvent('hidden', dispatch.channel, seq);
        return channelEvent(Event.ChannelDelete, dispatch.channel, seq, dispatch.seen);
      case 'thread.members_update':
        return threadMembersEvent(dispatch, seq);
      case 'thread.list_sync': {
        // Per user: the threads are the same, each user's own memberships of them are not.
        const threads = dispatch.threads.map((t) => threadChannel(t));
        const byUser = new Map<string, string>();
        for (const userId of dispatch.userIds) {
          const data: GatewayThreadListSyncDispatchData = {
            guild_id: dispatch.guildId,
            channel_ids: dispatch.channelIds,
            threads,
            members: dispatch.threads.flatMap((t) => {
              const m = dispatch.threadMembers.get(`${t.id}:${userId}`);
              return m ? [threadMember(m)] : [];
            }),
          };
          byUser.set(userId, encodeDispatch(Event.ThreadListSync, data, seq));
        }
        return [[Stream.Guilds, null, byUser]];
      }
      case 'guild.available': {
        const options = { largeThreshold: LARGE_THRESHOLD.default };
        const full = guildCreatePayload(dispatch.snapshot, dispatch.contents, { ...options, presences: true });
        const lean = guildCreatePayload(dispatch.snapshot, dispatch.contents, { ...options, presences: false });
        return [
          [Stream.GuildCreateFull, encodeDispatch(Event.GuildCreate, full, seq)],
          [Stream.GuildCreateLean, encodeDispatch(Event.GuildCreate, lean, seq)],
        ];
      }
      case 'guild.update': {
        const data: GatewayGuildModifyDispatchData = guild(dispatch.guild, dispatch.seen?.roles ?? [], dispatch.seen?.emojis ?? []);
        return [[Stream.Guilds, encodeDispatch(Event.GuildUpdate, data, seq)]];
      }
      case 'guild.unavailable': {
        // Removed from the guild (or it was deleted): `unavailable` false, which discord.js reads as "gone" (guildDelete).
        const data: Omit<GatewayGuildDeleteDispatchData, 'unavailable'> & { unavailable: false } = { id: dispatch.guildId, unavailable: false };
        return [[Stream.Guilds, encodeDispatch(Event.GuildDelete, data, seq)]];
      }
      case 'role.create':
      case 'role.update': {
        const data: GatewayGuildRoleModifyDispatchData = { guild_id: dispatch.role.guildId, role: role(dispatch.role) };
        return [[Stream.Guilds, encodeDispatch(dispatch.type === 'role.create' ? Event.GuildRoleCreate : Event.GuildRoleUpdate, data, seq)]];
      }
      case 'role.delete': {
        const data: GatewayGuildRoleDeleteDispatchData = { guild_id: dispatch.guildId, role_id: dispatch.roleId };
        return [[Stream.Guilds, encodeDispatch(Event.GuildRoleDelete, data, seq)]];
      }
      case 'emojis.update': {
        const data: GatewayGuildEmojisUpdateDispatchData = { guild_id: dispatch.guildId, emojis: dispatch.emojis.map((e) => customEmoji(e)) };
        return [[Stream.GuildExpressions, encodeDispatch(Event.GuildEmojisUpdate, data, seq)]];
      }
      case 'user.update': {
        const data: GatewayUserUpdateDispatchData = currentUser(dispatch.user);
        return [[Stream.Always, encodeDispatch(Event.UserUpdate, data, seq)]];
      }
      case 'webhooks.update': {
        const data: GatewayWebhooksUpdateDispatchData = { guild_id: dispatch.guildId, channel_id: dispatch.channelId };
        return [[Stream.GuildWebhooks, encodeDispatch(Event.WebhooksUpdate, data, seq)]];
      }
      case 'audit.create': {
        const data: GatewayGuildAuditLogEntryCreateDispatchData = { ...auditLogEntry(dispatch.entry), guild_id: dispatch.entry.guildId };
        return [[Stream.GuildModeration, encodeDispatch(Event.GuildAuditLogEntryCreate, data, seq)]];
      }
      case 'interaction.create': {
        // The application gets the whole interaction with its token; the person's client only learns it was sent.
        const { interaction, token } = dispatch;
        const byUser = new Map([
          [interaction.applicationId, encodeDispatch(Event.InteractionCreate, dispatch.wire?.[DISCORD_WIRE] ?? { id: interaction.id, token }, seq)],
          [interaction.userId, encodeDispatch(Event.InteractionCreate, { id: interaction.id, nonce: interaction.nonce }, seq)],
        ]);
        return [[Stream.Always, null, byUser]];
      }
      case 'interaction.result': {
        const { interaction, ok } = dispatch;
        // Discord's user-client events; reason 2 is "the application did not answer in time".
        const frame = ok
          ? encodeDispatch('INTERACTION_SUCCESS', { id: interaction.id, nonce: interaction.nonce }, seq)
          : encodeDispatch('INTERACTION_FAILURE', { id: interaction.id, nonce: interaction.nonce, reason: 2 }, seq);
        return [[Stream.Always, frame]];
      }
      case 'interaction.modal': {
        const { interaction, modal } = dispatch;
        const app = dispatch.seen?.application ?? null;
        const data = {
          id: interaction.id,
          nonce: interaction.nonce,
          channel_id: interaction.channelId,
          custom_id: modal.customId,
          title: modal.title,
          components: modalComponents(modal),
          application: app ? { id: app.id, name: app.username, icon: null, bot_id: app.id } : { id: interaction.applicationId },
        };
        return [[Stream.Always, encodeDispatch('INTERACTION_MODAL_CREATE', data, seq)]];
      }
      case 'interaction.autocomplete': {
        const { interaction, choices } = dispatch;
        const data = {
          nonce: interaction.nonce,
          application_id: interaction.applicationId,
          choices: choices.map((c) => ({ name: c.name, value: c.value, ...(c.nameLocalizations ? { name_localizations: c.nameLocalizations } : {}) })),
        };
        return [[Stream.Always, encodeDispatch('APPLICATION_COMMAND_AUTOCOMPLETE_RESPONSE', data, seq)]];
      }
      case 'ephemeral.message': {
        // Only its viewer's sessions are in the audience; the stream needs no intent, as on Discord.
        const { message: m, action } = dispatch;
        if (action === 'delete') {
          const data: GatewayMessageDeleteDispatchData = { id: m.id, channel_id: m.channelId, ...(m.guildId ? { guild_id: m.guildId } : {}) };
          return [[Stream.Always, encodeDispatch(Event.MessageDelete, data, seq)]];
        }
        if (dispatch.view === null) return [];
        const data = messageData(dispatch.view, dispatch.members);
        return [[Stream.Always, encodeDispatch(action === 'create' ? Event.MessageCreate : Event.MessageUpdate, data, seq)]];
      }
      case 'read_state.ack': {
        // People's sessions only (bots have no read state on Discord), in the user gateway's shape.
        const data = { channel_id: dispatch.channelId, message_id: dispatch.messageId, mention_count: dispatch.mentionCount, version: 0 };
        return [[Stream.Person, encodeDispatch('MESSAGE_ACK', data, seq)]];
      }
      case 'notification_settings.update':
        return [[Stream.Person, encodeDispatch('USER_GUILD_SETTINGS_UPDATE', userGuildSettings(dispatch.settings), seq)]];
      case 'dm.recipient_add':
      case 'dm.recipient_remove':
        // Group DMs are for people; bots are never in one (on Discord neither), and v1 carries them.
        return [];
      case 'presence.update': {
        // Discord only sends presences within a guild; a user in none has nobody to tell on this dialect.
        if (dispatch.guildId === null) return [];
        const data: GatewayPresenceUpdateDispatchData = presence(dispatch.presence, dispatch.guildId);
        return [[Stream.Presences, encodeDispatch(Event.PresenceUpdate, data, seq)]];
      }
    }
  }

  return { encode };
}

/** A reaction's or typing's actor as a guild member (absent in a DM, or for someone no longer a member). */
function actor(seen: ActorSeen | undefined) {
  return seen?.member && seen.user ? member(seen.member, seen.user) : undefined;
}

/** The key of INTERACTION_CREATE's payload among the ones shaped at commit (`wire` of the event). */
const DISCORD_WIRE = 'discord-v10';

/**
 * INTERACTION_CREATE as the application receives it, shaped at commit (its reads see the interaction's own
 * transaction): the event carries it to every node's fan-out. Registered once per core.
 */
export function discordAtCommit(core: Core): Enricher {
  const interactions = createInteractionSerializer(core);
  return async (events) => {
    for (const [i, event] of events.entries()) {
      if (event.type !== 'interaction.create' || event.wire?.[DISCORD_WIRE]) continue;
      const payload = await interactions.interaction(event.interaction, event.token);
      events[i] = { ...event, wire: { ...event.wire, [DISCORD_WIRE]: payload } };
    }
  };
}
