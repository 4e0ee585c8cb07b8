// The harmony v1 wire shapes (snake_case, ids as strings, ISO timestamps), as the seed shows them.

import type { AttachmentView } from '../../domain/attachments.ts';
import type { AuditEntry } from '../../domain/audit-log.ts';
import type { Channel, ThreadMember } from '../../domain/channels.ts';
import type { ActionRow, Button, ComponentEmoji, Select } from '../../domain/components.ts';
import type { CustomEmoji } from '../../domain/custom-emoji.ts';
import type { Embed } from '../../domain/embeds.ts';
import type { GuildBot } from '../../domain/guild-bots.ts';
import type { Guild } from '../../domain/guilds.ts';
import type { Invite, InvitePreview } from '../../domain/invites.ts';
import type { Member } from '../../domain/members.ts';
import type { MessageInteraction, MessageView } from '../../domain/messages.ts';
import { permissionNames } from '../../domain/permissions.ts';
import type { GuildNotificationSettings, ReadState } from '../../domain/read-states.ts';
import type { Role } from '../../domain/roles.ts';
import type { User } from '../../domain/users.ts';
import type { Webhook } from '../../domain/webhooks.ts';
import { avatarPath, emojiPath, iconPath } from '../cdn/paths.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/** The seed's `avatar` is a URL: the uploaded avatar's path on this server (root-relative), or null. */
export const avatarUrl = (u: Pick<User, 'id' | 'avatar'>) => (u.avatar ? avatarPath(u.id, u.avatar) : null);

export function user(u: User) {
  return { id: u.id, username: u.username, global_name: u.globalName, avatar: avatarUrl(u), bot: u.bot };
}

/** The caller's own account, with what only they (and admins) may see. */
export function selfUser(u: User) {
  return { ...user(u), admin: u.admin, created_at: iso(u.createdAt) };
}

export function adminUser(u: User) {
  return { ...user(u), admin: u.admin, disabled: u.disabled, system: u.system, description: u.description, created_at: iso(u.createdAt) };
}

export function bot(u: User) {
  return {
    ...user(u),
    description: u.description,
    system: u.system,
    created_by: u.createdBy,
    privileged_intents: {
      presence: (u.botIntents & (1 << 8)) !== 0,
      members: (u.botIntents & (1 << 1)) !== 0,
      message_content: (u.botIntents & (1 << 15)) !== 0,
    },
    created_at: iso(u.createdAt),
  };
}

export function guild(g: Guild) {
  return {
    id: g.id,
    name: g.name,
    owner_id: g.ownerId,
    icon: g.icon ? iconPath(g.id, g.icon) : null,
    description: g.description,
    created_at: iso(g.createdAt),
    system_channel_id: g.systemChannelId ?? null,
    system_channel_flags: g.systemChannelFlags ?? 0,
  };
}

/** A custom emoji; `url` is its image's path on this server (root-relative). */
export function emoji(e: CustomEmoji) {
  return { id: e.id, guild_id: e.guildId, name: e.name, animated: e.animated, roles: e.roleIds, user_id: e.userId, url: emojiPath(e.id, e.animated) };
}

export function role(r: Role) {
  return {
    id: r.id,
    guild_id: r.guildId,
    name: r.name,
    permissions: r.permissions.toString(),
    permission_names: permissionNames(r.permissions),
    position: r.position,
    color: r.color,
    hoist: r.hoist,
    mentionable: r.mentionable,
    managed: r.botId !== null,
    bot_id: r.botId,
  };
}

export function overwrite(o: Channel['overwrites'][number]) {
  return { id: o.id, type: o.type, allow: o.allow.toString(), deny: o.deny.toString() };
}

export function channel(c: Channel) {
  if (c.guildId === null) {
    const group = c.group ? { name: c.name, owner_id: c.group.ownerId, icon: c.group.icon } : {};
    return { id: c.id, type: c.type, guild_id: null, recipient_ids: c.recipientIds, last_message_id: c.lastMessageId, ...group };
  }
  return {
    id: c.id,
    guild_id: c.guildId,
    name: c.name,
    type: c.type,
    position: c.position,
    topic: c.topic,
    last_message_id: c.lastMessageId,
    permission_overwrites: c.overwrites.map(overwrite),
    ...(c.thread ? { thread: threadState(c.thread) } : {}),
  };
}

/** What makes a v1 channel a thread (types 11 public, 12 private); docs/gateway.md describes it. */
export function threadState(t: NonNullable<Channel['thread']>) {
  return {
    parent_id: t.parentId,
    owner_id: t.ownerId,
    archived: t.archived,
    locked: t.locked,
    invitable: t.invitable,
    auto_archive_duration: t.autoArchiveMinutes,
    archive_timestamp: iso(t.archiveChangedAt),
    message_count: t.messageCount,
    member_count: t.memberCount,
  };
}

export function threadMember(m: ThreadMember) {
  return { thread_id: m.threadId, user_id: m.userId, joined_at: iso(m.joinedAt) };
}

export function member(m: Member, u: User) {
  return { guild_id: m.guildId, user: user(u), nick: m.nick, roles: m.roleIds, joined_at: iso(m.joinedAt) };
}

/**
 * An embed in the request shape the v1 API accepts (Discord's), with every key present: null when unset.
 * Images carry only their URL: Harmony never downloads them, so it knows no size.
 */
export function embed(e: Embed) {
  return {
    type: 'rich' as const,
    title: e.title,
    description: e.description,
    url: e.url,
    timestamp: e.timestamp === null ? null : iso(e.timestamp),
    color: e.color,
    footer: e.footer ? { text: e.footer.text, icon_url: e.footer.iconUrl } : null,
    image: e.image ? { url: e.image.url } : null,
    thumbnail: e.thumbnail ? { url: e.thumbnail.url } : null,
    author: e.author ? { name: e.author.name, url: e.author.url, icon_url: e.author.iconUrl } : null,
    fields: e.fields.map((f) => ({ name: f.name, value: f.value, inline: f.inline })),
  };
}

const BUTTON_STYLES = { primary: 1, secondary: 2, success: 3, danger: 4 } as const;
const SELECT_TYPES = { stringSelect: 3, userSelect: 5, roleSelect: 6, mentionableSelect: 7, channelSelect: 8 } as const;

const componentEmoji = (e: ComponentEmoji | null) => (e ? { id: e.id, name: e.name, animated: e.animated } : null);

function button(b: Button) {
  return {
    type: 2 as const,
    style: b.kind === 'link' ? 5 : BUTTON_STYLES[b.style],
    label: b.label,
    emoji: componentEmoji(b.emoji),
    custom_id: b.kind === 'link' ? null : b.customId,
    url: b.kind === 'link' ? b.url : null,
    disabled: b.disabled,
  };
}

function select(s: Select) {
  return {
    type: SELECT_TYPES[s.kind],
    custom_id: s.customId,
    placeholder: s.placeholder,
    min_values: s.minValues,
    max_values: s.maxValues,
    disabled: s.disabled,
    options:
      s.kind === 'stringSelect'
        ? s.options.map((o) => ({ label: o.label, value: o.value, description: o.description, emoji: componentEmoji(o.emoji), default: o.isDefault }))
        : [],
    channel_types: s.kind === 'stringSelect' ? [] : s.channelTypes,
    default_values: s.kind === 'stringSelect' ? [] : s.defaultValues.map((d) => ({ id: d.id, type: d.type })),
  };
}

/** Components with Discord's type and style numbers, as the v1 API accepts them. */
export function actionRow(row: ActionRow) {
  return { type: 1 as const, components: row.components.map((c) => (c.kind === 'button' || c.kind === 'link' ? button(c) : select(c))) };
}

/** A file on a message, with a freshly signed link; width and height are null but for images. */
export function attachment(a: AttachmentView) {
  return {
    id: a.id,
    filename: a.filename,
    description: a.description,
    content_type: a.contentType,
    size: a.size,
    url: a.url,
    width: a.width,
    height: a.height,
  };
}

/**
 * The seed's MESSAGE_CREATE shape: author {id, username, avatar}, mentions as user ids; embeds (none while
 * suppress_embeds is set, as Discord serializes SUPPRESS_EMBEDS) and components.
 */
export function message(v: MessageView) {
  const m = v.message;
  return {
    id: m.id,
    channel_id: m.channelId,
    guild_id: m.guildId,
    author: {
      id: v.author.id,
      username: v.author.username,
      global_name: v.author.globalName,
      // A webhook's send may show another picture (avatar_url); people and bots have theirs.
      avatar: m.webhook?.avatarUrl ?? avatarUrl(v.author),
      bot: v.author.bot,
    },
    webhook_id: m.webhook?.id ?? null,
    content: m.content,
    timestamp: iso(m.createdAt),
    edited_timestamp: m.editedAt === null ? null : iso(m.editedAt),
    mentions: m.mentions,
    mention_everyone: m.mentionEveryone,
    mention_roles: m.mentionRoles ?? [],
    reply_to: m.replyTo,
    pinned: m.pinned,
    nonce: m.nonce,
    embeds: m.suppressEmbeds ? [] : m.embeds.map(embed),
    components: m.components.map(actionRow),
    attachments: v.attachments.map(attachment),
    suppress_embeds: m.suppressEmbeds,
    reactions: v.reactions,
    ...(v.thread ? { thread_id: v.thread.id } : {}),
    ...(m.system ? { system: m.system } : {}),
    // Only on messages that answer an interaction (who ran what; ephemeral ones reach only that person).
    ...(m.interaction ? { interaction: messageInteraction(m.interaction) } : {}),
  };
}

/** The interaction a message answers, in the v1 shape. */
export function messageInteraction(i: MessageInteraction) {
  return {
    id: i.id,
    type: i.type,
    application_id: i.applicationId,
    user_id: i.userId,
    name: i.name,
    command_type: i.commandType,
    ephemeral: i.ephemeral === true,
    loading: i.loading,
  };
}

/** An invite with its usage, for its creator and those who manage invites. */
export function invite(i: Invite) {
  return {
    code: i.code,
    guild_id: i.guildId,
    channel_id: i.channelId,
    inviter_id: i.inviterId,
    uses: i.uses,
    max_uses: i.maxUses,
    expires_at: i.expiresAt === null ? null : iso(i.expiresAt),
    created_at: iso(i.createdAt),
  };
}

/** What anyone with the code sees: where it leads, no usage (see `InvitePreview`). */
export function invitePreview(p: InvitePreview) {
  return {
    code: p.code,
    guild_id: p.guild.id,
    channel_id: p.channel.id,
    channel: { id: p.channel.id, name: p.channel.name },
    inviter_id: p.inviterId,
    expires_at: p.expiresAt === null ? null : iso(p.expiresAt),
    guild: { id: p.guild.id, name: p.guild.name, icon: p.guild.icon ? iconPath(p.guild.id, p.guild.icon) : null, member_count: p.memberCount },
  };
}

export function guildBot(b: GuildBot, u: User) {
  return {
    bot: user(u),
    role_id: b.role.id,
    permissions: b.role.permissions.toString(),
    permission_names: permissionNames(b.role.permissions),
    joined_at: iso(b.member.joinedAt),
  };
}

/** A webhook. `token` and `url` appear only in the answer that created it (the server keeps a digest). */
export function webhook(w: Webhook, secret?: { token: string; url: string }) {
  return {
    id: w.id,
    guild_id: w.guildId,
    channel_id: w.channelId,
    name: w.name,
    avatar: w.avatar,
    creator_id: w.creatorId,
    created_at: iso(w.createdAt),
    ...(secret ? { token: secret.token, url: secret.url } : {}),
  };
}

/** An audit log entry: `action` is the domain's name for it (member.kick, role.update, ...); `user` the actor. */
export function auditLogEntry(e: AuditEntry) {
  const o = e.options;
  return {
    id: e.id,
    guild_id: e.guildId,
    user_id: e.userId,
    target_id: e.targetId,
    action: e.action,
    changes: e.changes.map((c) => ({ key: c.key, old_value: c.old ?? null, new_value: c.new ?? null })),
    options: o
      ? {
          channel_id: o.channelId ?? null,
          message_id: o.messageId ?? null,
          count: o.count ?? null,
          overwrite_id: o.overwriteId ?? null,
          overwrite_type: o.overwriteType ?? null,
          role_name: o.roleName ?? null,
        }
      : null,
    reason: e.reason,
    created_at: iso(e.createdAt),
  };
}

/** A person's notification settings in one guild (3 on the wire: inherit, as Discord's message_notifications). */
export function guildNotificationSettings(s: GuildNotificationSettings) {
  return {
    guild_id: s.guildId,
    message_notifications: s.level ?? (3 as const),
    muted: s.muted,
    channel_overrides: s.channels.map((c) => ({ channel_id: c.channelId, message_notifications: c.level ?? (3 as const), muted: c.muted })),
  };
}

/** Where the person stopped reading a channel: `last_message_id` the last message they read (null: none yet). */
export function readState(r: ReadState) {
  return { id: r.channelId, last_message_id: r.lastReadMessageId, mention_count: r.mentionCount };
}
