// Response schemas of the v1 API, for the OpenAPI document: one per serializer in serializers.ts.
import { Type } from '@sinclair/typebox';
import { type TSchema, t } from 'elysia';

/**
 * TypeBox's own integer, not Elysia's t.Integer: that one is a transform (it also takes a numeric string, for
 * requests), and a response schema holding a transform is encoded value by value on every answer.
 */
const Integer = Type.Integer;
const Id = t.String({ description: 'Snowflake id', examples: ['1300000000000000000'] });
const Time = t.String({ format: 'date-time' });
const Nullable = t.Nullable;

export const UserModel = t.Object(
  {
    id: Id,
    username: t.String(),
    global_name: Nullable(t.String()),
    avatar: Nullable(t.String({ description: "The uploaded avatar's path on this server, e.g. /avatars/{id}/{hash}.png; null: none" })),
    bot: t.Boolean(),
  },
  { title: 'User' },
);
export const SelfUserModel = t.Composite([UserModel, t.Object({ admin: t.Boolean(), created_at: Time })], { title: 'SelfUser' });
export const AdminUserModel = t.Composite(
  [UserModel, t.Object({ admin: t.Boolean(), disabled: t.Boolean(), system: t.Boolean(), description: Nullable(t.String()), created_at: Time })],
  {
    title: 'AdminUser',
  },
);
export const BotModel = t.Composite(
  [
    UserModel,
    t.Object({
      description: Nullable(t.String()),
      system: t.Boolean(),
      created_by: Nullable(Id),
      privileged_intents: t.Object({ presence: t.Boolean(), members: t.Boolean(), message_content: t.Boolean() }),
      created_at: Time,
    }),
  ],
  { title: 'Bot' },
);
export const DmAudienceModel = t.Union([t.Literal('members'), t.Literal('everyone')], {
  description:
    "Who may open a direct message with you or write into one: 'members' (the default) — people and bots who share a guild with you; 'everyone' — anyone. The presence bot always can.",
});
/** 0 all messages, 1 only mentions, 2 nothing, 3 inherit (the guild's level for a channel; the default, only mentions, for a guild). */
const NotificationLevelModel = t.Union([t.Literal(0), t.Literal(1), t.Literal(2), t.Literal(3)], {
  description: '0 all messages, 1 only @mentions, 2 nothing, 3 inherit (channel: the guild level; guild: the default, only @mentions)',
});
export const GuildNotificationSettingsModel = t.Object(
  {
    guild_id: Id,
    message_notifications: NotificationLevelModel,
    muted: t.Boolean(),
    channel_overrides: t.Array(t.Object({ channel_id: Id, message_notifications: NotificationLevelModel, muted: t.Boolean() })),
  },
  { title: 'GuildNotificationSettings' },
);
export const GuildNotificationSettingsChangeModel = t.Object(
  {
    message_notifications: t.Optional(NotificationLevelModel),
    muted: t.Optional(t.Boolean()),
    channel_overrides: t.Optional(
      t.Array(
        t.Object(
          { channel_id: Id, message_notifications: t.Optional(NotificationLevelModel), muted: t.Optional(t.Boolean()) },
          { additionalProperties: false },
        ),
        { maxItems: 500 },
      ),
    ),
  },
  { additionalProperties: false },
);
export const ReadStateModel = t.Object(
  {
    id: Id,
    last_message_id: Nullable(Id),
    mention_count: Integer({ minimum: 0 }),
  },
  { title: 'ReadState', description: 'Where you stopped reading a channel (id) and the mentions since' },
);
export const UserSettingsModel = t.Object({ allow_dms_from: DmAudienceModel }, { title: 'UserSettings' });
export const SessionModel = t.Object(
  { user: SelfUserModel, token: t.String({ description: 'Shown once: send it as Authorization: Bearer <token>' }) },
  { title: 'Session' },
);
export const SessionInfoModel = t.Object(
  {
    id: t.String({ description: 'The session id: name it to revoke the session (never its token)' }),
    current: t.Boolean({ description: 'True for the session making this request' }),
    device: t.Nullable(t.String({ description: 'What it logged in with, e.g. "Firefox on Linux"' })),
    address: t.Nullable(t.String({ description: 'The client address it logged in from' })),
    created_at: t.String({ format: 'date-time' }),
    last_used_at: t.String({ format: 'date-time' }),
  },
  { title: 'SessionInfo' },
);
export const BotWithTokenModel = t.Object(
  { bot: BotModel, token: t.String({ description: 'Shown once: send it as Authorization: Bot <token>' }) },
  { title: 'BotWithToken' },
);

export const RoleModel = t.Object(
  {
    id: Id,
    guild_id: Id,
    name: t.String(),
    permissions: t.String({ description: 'Discord permission bitfield, decimal' }),
    permission_names: t.Array(t.String(), { description: "The seed's names for the permissions set" }),
    position: Integer(),
    color: Integer(),
    hoist: t.Boolean(),
    mentionable: t.Boolean(),
    managed: t.Boolean(),
    bot_id: Nullable(Id),
  },
  { title: 'Role' },
);
export const OverwriteModel = t.Object(
  { id: Id, type: Integer({ description: '0 role, 1 member' }), allow: t.String(), deny: t.String() },
  { title: 'Overwrite' },
);
export const ChannelModel = t.Object(
  {
    id: Id,
    guild_id: Nullable(Id),
    type: Integer({ description: '0 guild text, 1 DM, 3 group DM, 11/12 threads' }),
    name: t.Optional(Nullable(t.String())),
    position: t.Optional(Integer()),
    topic: t.Optional(Nullable(t.String())),
    last_message_id: Nullable(Id),
    permission_overwrites: t.Optional(t.Array(OverwriteModel)),
    recipient_ids: t.Optional(t.Array(Id, { description: 'DMs: both people; group DMs (type 3): its 2-10 people' })),
    owner_id: t.Optional(Id),
    icon: t.Optional(Nullable(t.String({ description: 'Group DMs: an http(s) URL' }))),
    thread: t.Optional(
      t.Object(
        {
          parent_id: Id,
          owner_id: Id,
          archived: t.Boolean(),
          locked: t.Boolean({ description: 'Only manage_threads may post or unarchive' }),
          invitable: t.Boolean({ description: 'Private threads: whether members may add others' }),
          auto_archive_duration: Integer({ description: 'Minutes without a message before it archives: 60, 1440, 4320 or 10080' }),
          archive_timestamp: Time,
          message_count: Integer(),
          member_count: Integer(),
        },
        { title: 'ThreadState', description: 'Present on threads (type 11 public, 12 private)' },
      ),
    ),
  },
  { title: 'Channel' },
);
export const ThreadMemberModel = t.Object({ thread_id: Id, user_id: Id, joined_at: Time }, { title: 'ThreadMember' });
export const GuildModel = t.Object(
  {
    id: Id,
    name: t.String(),
    owner_id: Id,
    icon: Nullable(t.String({ description: "The icon's path on this server, e.g. /icons/{id}/{hash}.png; null: none" })),
    description: Nullable(t.String()),
    created_at: Time,
    system_channel_id: Nullable(Id, { description: 'Where the server announces new members ("X joined the server"); null: nowhere' }),
    system_channel_flags: Integer({ description: "Discord's GuildSystemChannelFlags: 1 suppresses the join messages" }),
  },
  { title: 'Guild' },
);
export const EmojiModel = t.Object(
  {
    id: Id,
    guild_id: Id,
    name: t.String(),
    animated: t.Boolean(),
    roles: t.Array(Id, { description: 'Roles allowed to use it; empty: everyone' }),
    user_id: Nullable(Id),
    url: t.String({ description: 'The image on this server, e.g. /emojis/{id}.png' }),
  },
  { title: 'Emoji' },
);
export const GuildDetailModel = t.Composite([GuildModel, t.Object({ member_count: Integer(), roles: t.Array(RoleModel), channels: t.Array(ChannelModel) })], {
  title: 'GuildDetail',
});
export const MemberModel = t.Object({ guild_id: Id, user: UserModel, nick: Nullable(t.String()), roles: t.Array(Id), joined_at: Time }, { title: 'Member' });
const Url = t.String({ description: 'An http(s) URL' });
export const EmbedModel = t.Object(
  {
    type: t.Literal('rich'),
    title: Nullable(t.String({ maxLength: 256 })),
    description: Nullable(t.String({ maxLength: 4096 })),
    url: Nullable(Url),
    timestamp: Nullable(Time),
    color: Nullable(Integer({ minimum: 0, maximum: 0xffffff })),
    footer: Nullable(t.Object({ text: t.String({ maxLength: 2048 }), icon_url: Nullable(Url) })),
    image: Nullable(t.Object({ url: Url })),
    thumbnail: Nullable(t.Object({ url: Url })),
    author: Nullable(t.Object({ name: t.String({ maxLength: 256 }), url: Nullable(Url), icon_url: Nullable(Url) })),
    fields: t.Array(t.Object({ name: t.String({ maxLength: 256 }), value: t.String({ maxLength: 1024 }), inline: t.Boolean() }), { maxItems: 25 }),
  },
  {
    title: 'Embed',
    description:
      "Discord's rich embed; POST and PATCH take the same shape (nulls and absent keys are the same). At most 10 per message and 6000 characters across them.",
  },
);
const ComponentEmojiModel = t.Object({ id: Nullable(Id), name: Nullable(t.String()), animated: t.Boolean() });
export const ButtonModel = t.Object(
  {
    type: t.Literal(2),
    style: Integer({ minimum: 1, maximum: 5, description: '1 primary, 2 secondary, 3 success, 4 danger, 5 link' }),
    label: Nullable(t.String({ maxLength: 80 })),
    emoji: Nullable(ComponentEmojiModel),
    custom_id: Nullable(t.String({ maxLength: 100, description: 'Unique in the message; null for link buttons' })),
    url: Nullable(t.String({ description: 'Link buttons only' })),
    disabled: t.Boolean(),
  },
  { title: 'Button' },
);
export const SelectModel = t.Object(
  {
    type: Integer({ description: '3 string, 5 user, 6 role, 7 mentionable, 8 channel select' }),
    custom_id: t.String({ maxLength: 100 }),
    placeholder: Nullable(t.String({ maxLength: 150 })),
    min_values: Integer({ minimum: 0, maximum: 25 }),
    max_values: Integer({ minimum: 1, maximum: 25 }),
    disabled: t.Boolean(),
    options: t.Array(
      t.Object({ label: t.String(), value: t.String(), description: Nullable(t.String()), emoji: Nullable(ComponentEmojiModel), default: t.Boolean() }),
      { description: 'String selects: 1-25 options' },
    ),
    channel_types: t.Array(Integer(), { description: 'Channel selects: the channel types offered (empty: all)' }),
    default_values: t.Array(t.Object({ id: Id, type: t.Union([t.Literal('user'), t.Literal('role'), t.Literal('channel')]) })),
  },
  { title: 'SelectMenu' },
);
export const ActionRowModel = t.Object(
  { type: t.Literal(1), components: t.Array(t.Union([ButtonModel, SelectModel]), { minItems: 1, maxItems: 5 }) },
  { title: 'ActionRow', description: 'Up to 5 buttons, or one select menu. At most 5 rows per message.' },
);

export const AttachmentModel = t.Object(
  {
    id: Id,
    filename: t.String(),
    description: Nullable(t.String()),
    content_type: t.String({ description: 'What the bytes are, as the server read them (never what the uploader claimed)' }),
    size: Integer({ description: 'Bytes' }),
    url: t.String({ description: 'A signed link to the file, valid for 24 hours from this answer; no token needed' }),
    width: Nullable(Integer({ description: 'Images only' })),
    height: Nullable(Integer({ description: 'Images only' })),
  },
  { title: 'Attachment' },
);
export const MessageModel = t.Object(
  {
    id: Id,
    channel_id: Id,
    guild_id: Nullable(Id),
    author: t.Object({ id: Id, username: t.String(), global_name: Nullable(t.String()), avatar: Nullable(t.String()), bot: t.Boolean() }),
    webhook_id: Nullable(Id, { description: 'Set when a webhook posted it: `author` is then the webhook (its id, the name it posted under, bot true)' }),
    content: t.String(),
    timestamp: Time,
    edited_timestamp: Nullable(Time),
    mentions: t.Array(Id, { description: 'Ids of the users mentioned' }),
    mention_everyone: t.Boolean(),
    mention_roles: t.Array(Id, { description: 'Ids of the roles mentioned (mentionable ones, or any when the author may mention everyone)' }),
    reply_to: Nullable(Id),
    pinned: t.Boolean(),
    nonce: Nullable(t.String()),
    embeds: t.Array(EmbedModel, { description: 'Empty while suppress_embeds is true' }),
    components: t.Array(ActionRowModel),
    attachments: t.Array(AttachmentModel),
    suppress_embeds: t.Boolean({ description: "Discord's SUPPRESS_EMBEDS: the embeds are kept but not shown" }),
    reactions: t.Array(t.Object({ emoji: t.String(), count: Integer(), me: t.Boolean() })),
    thread_id: t.Optional(t.String({ description: 'The thread started from this message (it has the same id), when there is one' })),
    system: t.Optional(t.Literal('join', { description: 'Written by the server: "join" announces that the author joined the server' })),
    interaction: t.Optional(
      t.Object(
        {
          id: Id,
          type: Integer({ description: '2 command, 3 component, 5 modal submit' }),
          application_id: Id,
          user_id: Id,
          name: Nullable(t.String({ description: "The command's name (commands only)" })),
          command_type: Nullable(Integer({ description: '1 slash command, 2 user menu, 3 message menu' })),
          ephemeral: t.Boolean({ description: 'Only user_id sees it; it is in no history and goes on reload' }),
          loading: t.Boolean({ description: 'A deferred answer the application has not given yet ("is thinking")' }),
        },
        { description: 'Only on a message that answers an interaction: who ran what' },
      ),
    ),
  },
  { title: 'Message' },
);
export const WebhookModel = t.Object(
  {
    id: Id,
    guild_id: Id,
    channel_id: Id,
    name: t.String(),
    avatar: Nullable(t.String({ description: 'Content hash of the avatar image' })),
    creator_id: Nullable(Id),
    created_at: Time,
    token: t.Optional(t.String({ description: 'Only in the answer that created the webhook: store it, it is never shown again' })),
    url: t.Optional(t.String({ description: 'The Discord-dialect execute URL (with the token); only in the answer that created the webhook' })),
  },
  { title: 'Webhook' },
);
export const InviteModel = t.Object(
  {
    code: t.String(),
    guild_id: Id,
    channel_id: Id,
    inviter_id: Nullable(Id),
    uses: Integer(),
    max_uses: Integer(),
    expires_at: Nullable(Time),
    created_at: Time,
  },
  { title: 'Invite', description: 'An invite with its usage, for its creator and those who manage invites' },
);
export const InvitePreviewModel = t.Object(
  {
    code: t.String(),
    guild_id: Id,
    channel_id: Id,
    channel: t.Object({ id: Id, name: Nullable(t.String({ description: 'null when you could not see the channel (as a member, or on joining)' })) }),
    inviter_id: Nullable(Id),
    expires_at: Nullable(Time),
    guild: t.Object({ id: Id, name: t.String(), icon: Nullable(t.String()), member_count: Integer() }),
  },
  { title: 'InvitePreview', description: 'What anyone with the code may see: where it leads, not how often it was used' },
);
export const GuildBotModel = t.Object(
  { bot: UserModel, role_id: Id, permissions: t.String(), permission_names: t.Array(t.String()), joined_at: Time },
  { title: 'GuildBot' },
);
export const BanModel = t.Object({ user: UserModel, reason: Nullable(t.String()) }, { title: 'Ban' });
export const ErrorModel = t.Object(
  {
    code: Integer({ description: "Discord's JSON error code" }),
    message: t.String(),
    errors: t.Optional(t.Unknown({ description: 'Invalid fields, Discord-style nested' })),
  },
  { title: 'Error' },
);
export const RateLimitedModel = t.Object({ code: Integer(), message: t.String(), retry_after: t.Number(), global: t.Boolean() }, { title: 'RateLimited' });
export const NoContent = t.Void({ description: 'No content' });

/** The error responses every authenticated route can give. */
export const ERRORS = { 400: ErrorModel, 401: ErrorModel, 403: ErrorModel, 404: ErrorModel, 429: RateLimitedModel };
export const SettingsModel = t.Object({ registration: t.Union([t.Literal('open'), t.Literal('closed')]) }, { title: 'Settings' });

/** Response maps: the success shape plus the errors every authenticated route can give. */
export const ok = <T extends TSchema>(schema: T) => ({ 200: schema, ...ERRORS });
export const created = <T extends TSchema>(schema: T) => ({ 201: schema, ...ERRORS });
export const none = () => ({ 204: NoContent, ...ERRORS });

export const AuditLogEntryModel = t.Object(
  {
    id: Id,
    guild_id: Id,
    user_id: Nullable(Id),
    target_id: Nullable(Id),
    action: t.String({ description: 'What was done: guild.update, channel.create, member.kick, role.update, message.delete, ...' }),
    changes: t.Array(t.Object({ key: t.String(), old_value: t.Unknown(), new_value: t.Unknown() })),
    options: Nullable(
      t.Object({
        channel_id: Nullable(Id),
        message_id: Nullable(Id),
        count: Nullable(Integer()),
        overwrite_id: Nullable(Id),
        overwrite_type: Nullable(Integer()),
        role_name: Nullable(t.String()),
      }),
    ),
    reason: Nullable(t.String()),
    created_at: Time,
  },
  { title: 'AuditLogEntry' },
);
export const AuditLogModel = t.Object({ entries: t.Array(AuditLogEntryModel), users: t.Array(UserModel) }, { title: 'AuditLog' });
