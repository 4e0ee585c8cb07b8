// v1 event names and payloads for every gateway dispatch, built from the REST serializers so a channel,
// member or message looks the same on the wire whichever way it arrives. Shapes are in docs/gateway.md.

import type { MessageView } from '../../../domain/messages.ts';
import type { Presence } from '../../../domain/presence/presence-service.ts';
import type { Dispatch, DispatchType, GuildSnapshot } from '../../../gateway/dispatch.ts';
import * as interactions from '../interactions.ts';
import * as wire from '../serializers.ts';

/** The seed's names where it has them (MEMBER_JOIN, ...), Discord's otherwise. */
export const EVENT_NAMES = {
  'message.create': 'MESSAGE_CREATE',
  'message.update': 'MESSAGE_UPDATE',
  'message.delete': 'MESSAGE_DELETE',
  'message.delete_bulk': 'MESSAGE_DELETE_BULK',
  'reaction.add': 'MESSAGE_REACTION_ADD',
  'reaction.remove': 'MESSAGE_REACTION_REMOVE',
  'typing.start': 'TYPING_START',
  'member.join': 'MEMBER_JOIN',
  'member.update': 'MEMBER_UPDATE',
  'member.leave': 'MEMBER_LEAVE',
  'channel.visible': 'CHANNEL_CREATE',
  'channel.update': 'CHANNEL_UPDATE',
  'channel.hidden': 'CHANNEL_DELETE',
  'guild.available': 'GUILD_CREATE',
  'guild.update': 'GUILD_UPDATE',
  'guild.unavailable': 'GUILD_DELETE',
  'role.create': 'GUILD_ROLE_CREATE',
  'role.update': 'GUILD_ROLE_UPDATE',
  'role.delete': 'GUILD_ROLE_DELETE',
  'user.update': 'USER_UPDATE',
  'emojis.update': 'GUILD_EMOJIS_UPDATE',
  'presence.update': 'PRESENCE_UPDATE',
  'webhooks.update': 'WEBHOOKS_UPDATE',
  'thread.members_update': 'THREAD_MEMBERS_UPDATE',
  'thread.list_sync': 'THREAD_LIST_SYNC',
  'audit.create': 'GUILD_AUDIT_LOG_ENTRY_CREATE',
  'interaction.create': 'INTERACTION_CREATE',
  // ok: INTERACTION_SUCCESS; see payloadOf for the failure's name.
  'interaction.result': 'INTERACTION_SUCCESS',
  'interaction.modal': 'INTERACTION_MODAL_CREATE',
  'interaction.autocomplete': 'APPLICATION_COMMAND_AUTOCOMPLETE_RESPONSE',
  'ephemeral.message': 'MESSAGE_CREATE',
  'read_state.ack': 'MESSAGE_ACK',
  'notification_settings.update': 'USER_GUILD_SETTINGS_UPDATE',
  'dm.recipient_add': 'CHANNEL_RECIPIENT_ADD',
  'dm.recipient_remove': 'CHANNEL_RECIPIENT_REMOVE',
} as const satisfies Record<DispatchType, string>;

const iso = (ms: number) => new Date(ms).toISOString();

/** The seed's message shape. Reactions are left out: counts come with MESSAGE_REACTION_* and `me` differs per reader. */
function message(view: MessageView) {
  const { reactions: _, ...rest } = wire.message(view);
  return rest;
}

/**
 * A guild as GET /guilds/:id shows it: roles, the channels the reader may view, member count; and, as Discord's
 * GUILD_CREATE does, the presences of the members who are not offline, so a new session need not wait for
 * each one's next PRESENCE_UPDATE to know who is online.
 */
export function guild(snapshot: GuildSnapshot) {
  return {
    ...wire.guild(snapshot.guild),
    member_count: snapshot.memberCount,
    roles: snapshot.roles.map(wire.role),
    channels: snapshot.channels.map(wire.channel),
    threads: snapshot.threads.map(wire.channel),
    presences: snapshot.presences.map(guildPresence),
  };
}

/** A presence inside a guild object: PRESENCE_UPDATE's payload without `guild_id`, which the guild already says. */
function guildPresence(p: Presence) {
  return { user: { id: p.userId }, status: p.status, activities: p.activities, client_status: p.clientStatus };
}

function presence(p: Presence, guildId: string | null) {
  const { user, ...rest } = guildPresence(p);
  return { user, guild_id: guildId, ...rest };
}

type Builders = { [K in DispatchType]: (dispatch: Extract<Dispatch, { type: K }>) => unknown };

const BUILDERS: Builders = {
  'message.create': (e) => message(e.view),
  'message.update': (e) => message(e.view),
  'message.delete': (e) => ({ id: e.id, channel_id: e.channelId, guild_id: e.guildId }),
  'message.delete_bulk': (e) => ({ ids: e.ids, channel_id: e.channelId, guild_id: e.guildId }),
  'reaction.add': (e) => ({
    message_id: e.messageId,
    channel_id: e.channelId,
    guild_id: e.guildId,
    user_id: e.userId,
    emoji: e.emoji,
    message_author_id: e.messageAuthorId,
  }),
  'reaction.remove': (e) => ({ message_id: e.messageId, channel_id: e.channelId, guild_id: e.guildId, user_id: e.userId, emoji: e.emoji }),
  'typing.start': (e) => ({ channel_id: e.channelId, guild_id: e.guildId, user_id: e.userId, timestamp: iso(e.at) }),
  'member.join': (e) => ({ user_id: e.member.userId, ...wire.member(e.member, e.user) }),
  'member.update': (e) => ({ user_id: e.member.userId, ...wire.member(e.member, e.user) }),
  'member.leave': (e) => ({ guild_id: e.guildId, user_id: e.userId, user: e.user ? wire.user(e.user) : null }),
  'channel.visible': (e) => wire.channel(e.channel),
  'channel.update': (e) => wire.channel(e.channel),
  'channel.hidden': (e) => wire.channel(e.channel),
  'guild.available': (e) => guild(e.snapshot),
  'guild.update': (e) => wire.guild(e.guild),
  'guild.unavailable': (e) => ({ id: e.guildId, unavailable: false, reason: e.cause }),
  'role.create': (e) => ({ guild_id: e.role.guildId, role: wire.role(e.role) }),
  'role.update': (e) => ({ guild_id: e.role.guildId, role: wire.role(e.role) }),
  'role.delete': (e) => ({ guild_id: e.guildId, role_id: e.roleId }),
  'user.update': (e) => wire.selfUser(e.user),
  'emojis.update': (e) => ({ guild_id: e.guildId, emojis: e.emojis.map(wire.emoji) }),
  'presence.update': (e) => presence(e.presence, e.guildId),
  'webhooks.update': (e) => ({ guild_id: e.guildId, channel_id: e.channelId }),
  'thread.members_update': (e) => ({
    thread_id: e.thread.id,
    guild_id: e.thread.guildId,
    member_count: e.thread.thread?.memberCount ?? 0,
    added: e.added.map(wire.threadMember),
    removed_ids: e.removedIds,
  }),
  'thread.list_sync': (e) => ({ guild_id: e.guildId, channel_ids: e.channelIds, threads: e.threads.map(wire.channel) }),
  'audit.create': (e) => wire.auditLogEntry(e.entry),
  // What the person's sessions see; the application's own frame (with the token) is built in harmony-gateway.ts.
  'interaction.create': (e) => ({ id: e.interaction.id, nonce: e.interaction.nonce }),
  'interaction.result': (e) => ({ id: e.interaction.id, nonce: e.interaction.nonce, ...(e.ok ? {} : { reason: 2 }) }),
  'interaction.modal': (e) => interactions.modal(e.interaction, e.modal),
  'interaction.autocomplete': (e) => ({
    nonce: e.interaction.nonce,
    application_id: e.interaction.applicationId,
    choices: e.choices.map((c) => ({ name: c.name, value: c.value })),
  }),
  'ephemeral.message': (e) =>
    e.action === 'delete' || e.view === null ? { id: e.message.id, channel_id: e.message.channelId, guild_id: e.message.guildId } : message(e.view),
  'read_state.ack': (e) => ({ channel_id: e.channelId, guild_id: e.guildId, message_id: e.messageId, mention_count: e.mentionCount }),
  'notification_settings.update': (e) => wire.guildNotificationSettings(e.settings),
  'dm.recipient_add': (e) => ({ channel_id: e.channel.id, user: wire.user(e.user) }),
  'dm.recipient_remove': (e) => ({ channel_id: e.channel.id, user: wire.user(e.user) }),
};

/** A thread's channel events go by Discord's thread names (THREAD_CREATE, THREAD_UPDATE, THREAD_DELETE). */
const THREAD_NAMES: Partial<Record<DispatchType, string>> = {
  'channel.visible': 'THREAD_CREATE',
  'channel.update': 'THREAD_UPDATE',
  'channel.hidden': 'THREAD_DELETE',
};

const EPHEMERAL_NAMES = { create: 'MESSAGE_CREATE', update: 'MESSAGE_UPDATE', delete: 'MESSAGE_DELETE' } as const;

/** The `t` and `d` of a dispatch. */
export function payloadOf(dispatch: Dispatch): { t: string; d: unknown } {
  const build = BUILDERS[dispatch.type] as (dispatch: Dispatch) => unknown;
  const thread = 'channel' in dispatch && dispatch.channel.thread !== null ? THREAD_NAMES[dispatch.type] : undefined;
  const t =
    dispatch.type === 'interaction.result' && !dispatch.ok
      ? 'INTERACTION_FAILURE'
      : dispatch.type === 'ephemeral.message'
        ? EPHEMERAL_NAMES[dispatch.action]
        : (thread ?? EVENT_NAMES[dispatch.type]);
  return { t, d: build(dispatch) };
}
