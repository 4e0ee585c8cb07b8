// What the Discord dialect answers, for the OpenAPI document (/docs/json): one TypeBox schema per Discord object,
// each checked at compile time against discord-api-types (every value of Discord's type must be a value of the
// schema), and the table that gives each route of the dialect its success status and body. Documentation only:
// these are not route `response` hooks, so nothing here validates (or slows) an answer at run time; the test
// test/http/api-document-responses.test.ts checks real answers against them.
import type { Static, TSchema } from '@sinclair/typebox';
import type {
  APIApplication,
  APIApplicationCommand,
  APIAuditLog,
  APIBan,
  APIChannel,
  APIEmoji,
  APIExtendedInvite,
  APIGatewayBotInfo,
  APIGatewayInfo,
  APIGuild,
  APIGuildApplicationCommandPermissions,
  APIGuildMember,
  APIInvite,
  APIMessage,
  APIRole,
  APIThreadList,
  APIThreadMember,
  APIUser,
  APIWebhook,
  RESTAPIPartialCurrentUserGuild,
  RESTGetAPIChannelMessagesPinsResult,
} from 'discord-api-types/v10';
import { t } from 'elysia';

/** The schema, when every value of Discord's type `Api` is one of its values (a compile error otherwise). */
const shapedLike =
  <Api>() =>
  <S extends TSchema>(schema: [Api] extends [Static<S>] ? S : never): S =>
    schema;

const Id = t.String({ pattern: '^\\d{1,20}$', description: 'A snowflake, as a decimal string' });
const Nullable = <T extends TSchema>(schema: T) => t.Union([schema, t.Null()]);
const Timestamp = t.String({ description: 'ISO-8601' });

export const User = shapedLike<APIUser>()(
  t.Object(
    {
      id: Id,
      username: t.String(),
      discriminator: t.String(),
      global_name: Nullable(t.String()),
      avatar: Nullable(t.String()),
      bot: t.Optional(t.Boolean()),
    },
    { title: 'DiscordUser', description: 'discord-api-types APIUser' },
  ),
);

export const Role = shapedLike<APIRole>()(
  t.Object(
    {
      id: Id,
      name: t.String(),
      color: t.Integer(),
      hoist: t.Boolean(),
      position: t.Integer(),
      permissions: t.String({ description: 'A permission bitfield, as a decimal string' }),
      managed: t.Boolean(),
      mentionable: t.Boolean(),
    },
    { title: 'DiscordRole', description: 'discord-api-types APIRole' },
  ),
);

export const Emoji = shapedLike<APIEmoji>()(
  t.Object(
    { id: Nullable(Id), name: Nullable(t.String()), animated: t.Optional(t.Boolean()) },
    { title: 'DiscordEmoji', description: 'discord-api-types APIEmoji' },
  ),
);

export const Guild = shapedLike<APIGuild>()(
  t.Object(
    { id: Id, name: t.String(), icon: Nullable(t.String()), owner_id: Id, roles: t.Array(Role), emojis: t.Array(Emoji) },
    { title: 'DiscordGuild', description: 'discord-api-types APIGuild' },
  ),
);

export const PartialGuild = shapedLike<RESTAPIPartialCurrentUserGuild>()(
  t.Object(
    { id: Id, name: t.String(), icon: Nullable(t.String()), owner: t.Boolean(), permissions: t.String() },
    { title: 'DiscordPartialGuild', description: 'discord-api-types RESTAPIPartialCurrentUserGuild' },
  ),
);

export const Channel = shapedLike<APIChannel>()(
  t.Object(
    { id: Id, type: t.Integer({ description: 'ChannelType' }) },
    { title: 'DiscordChannel', description: 'discord-api-types APIChannel (guild text, DM or thread)' },
  ),
);

export const Member = shapedLike<APIGuildMember>()(
  t.Object(
    { user: User, roles: t.Array(Id), joined_at: Nullable(Timestamp), deaf: t.Boolean(), mute: t.Boolean(), flags: t.Integer() },
    { title: 'DiscordMember', description: 'discord-api-types APIGuildMember' },
  ),
);

export const Message = shapedLike<APIMessage>()(
  t.Object(
    {
      id: Id,
      channel_id: Id,
      author: User,
      content: t.String(),
      timestamp: Timestamp,
      edited_timestamp: Nullable(Timestamp),
      tts: t.Boolean(),
      mention_everyone: t.Boolean(),
      mentions: t.Array(User),
      mention_roles: t.Array(Id),
      attachments: t.Array(t.Object({ id: Id, filename: t.String(), size: t.Integer(), url: t.String(), proxy_url: t.String() })),
      embeds: t.Array(t.Object({})),
      pinned: t.Boolean(),
      type: t.Integer({ description: 'MessageType' }),
    },
    { title: 'DiscordMessage', description: 'discord-api-types APIMessage' },
  ),
);

export const PinsPage = shapedLike<RESTGetAPIChannelMessagesPinsResult>()(
  t.Object({ items: t.Array(t.Object({ pinned_at: Timestamp, message: Message })), has_more: t.Boolean() }, { title: 'DiscordPinsPage' }),
);

export const Invite = shapedLike<APIInvite>()(
  t.Object(
    { code: t.String(), type: t.Integer(), channel: Nullable(t.Object({ id: Id, type: t.Integer() })) },
    { title: 'DiscordInvite', description: 'discord-api-types APIInvite' },
  ),
);

export const ExtendedInvite = shapedLike<APIExtendedInvite>()(
  t.Composite([Invite, t.Object({ uses: t.Integer(), max_uses: t.Integer(), max_age: t.Integer(), temporary: t.Boolean(), created_at: Timestamp })], {
    title: 'DiscordExtendedInvite',
    description: 'discord-api-types APIExtendedInvite (with its usage)',
  }),
);

export const Webhook = shapedLike<APIWebhook>()(
  t.Object(
    { id: Id, type: t.Integer(), channel_id: Nullable(Id), name: Nullable(t.String()), avatar: Nullable(t.String()), application_id: Nullable(Id) },
    { title: 'DiscordWebhook', description: 'discord-api-types APIWebhook' },
  ),
);

export const Ban = shapedLike<APIBan>()(
  t.Object({ reason: Nullable(t.String()), user: User }, { title: 'DiscordBan', description: 'discord-api-types APIBan' }),
);

export const ThreadMember = shapedLike<APIThreadMember>()(
  t.Object({ flags: t.Integer(), join_timestamp: Timestamp }, { title: 'DiscordThreadMember', description: 'discord-api-types APIThreadMember' }),
);

export const ThreadList = shapedLike<APIThreadList>()(
  t.Object(
    { threads: t.Array(Channel), members: t.Array(ThreadMember) },
    { title: 'DiscordThreadList', description: 'discord-api-types APIThreadList (+ has_more when archived)' },
  ),
);

export const ApplicationCommand = shapedLike<APIApplicationCommand>()(
  t.Object(
    {
      id: Id,
      type: t.Integer(),
      application_id: Id,
      name: t.String(),
      description: t.String(),
      default_member_permissions: Nullable(t.String()),
      version: Id,
    },
    { title: 'DiscordApplicationCommand', description: 'discord-api-types APIApplicationCommand' },
  ),
);

export const CommandPermissions = shapedLike<APIGuildApplicationCommandPermissions>()(
  t.Object(
    { id: Id, application_id: Id, guild_id: Id, permissions: t.Array(t.Object({ id: Id, type: t.Integer(), permission: t.Boolean() })) },
    { title: 'DiscordCommandPermissions', description: 'discord-api-types APIGuildApplicationCommandPermissions' },
  ),
);

export const Application = shapedLike<APIApplication>()(
  t.Object(
    {
      id: Id,
      name: t.String(),
      icon: Nullable(t.String()),
      description: t.String(),
      bot_public: t.Boolean(),
      bot_require_code_grant: t.Boolean(),
      verify_key: t.String(),
    },
    { title: 'DiscordApplication', description: 'discord-api-types APIApplication' },
  ),
);

export const AuditLog = shapedLike<APIAuditLog>()(
  t.Object(
    {
      audit_log_entries: t.Array(t.Object({ id: Id, action_type: t.Integer(), user_id: Nullable(Id), target_id: Nullable(t.String()) })),
      users: t.Array(User),
      webhooks: t.Array(Webhook),
    },
    { title: 'DiscordAuditLog', description: 'discord-api-types APIAuditLog' },
  ),
);

export const GatewayInfo = shapedLike<APIGatewayInfo>()(t.Object({ url: t.String() }, { title: 'DiscordGateway' }));

export const GatewayBotInfo = shapedLike<APIGatewayBotInfo>()(
  t.Object(
    {
      url: t.String(),
      shards: t.Integer(),
      session_start_limit: t.Object({ total: t.Integer(), remaining: t.Integer(), reset_after: t.Integer(), max_concurrency: t.Integer() }),
    },
    { title: 'DiscordGatewayBot' },
  ),
);

/** Harmony's answer to a message search: Discord's shape (`total_results`, `messages` as one-message groups). */
export const SearchResult = t.Object({ total_results: t.Integer(), messages: t.Array(t.Array(Message)) }, { title: 'DiscordSearchResult' });

/** Harmony's read-state acknowledgement ({ token: null }, as Discord's). */
export const Ack = t.Object({ token: t.Null() }, { title: 'DiscordAck' });

/** The commands index a person's client reads (Discord's application-command-index). */
export const CommandIndex = t.Object(
  { applications: t.Array(t.Object({ id: Id })), application_commands: t.Array(ApplicationCommand) },
  { title: 'DiscordCommandIndex' },
);

/** A success answer: its status and, unless 204, the body's schema. */
export type SuccessResponse = { status: 200 | 201 | 204; schema?: TSchema; description?: string };

const ok = (schema: TSchema): SuccessResponse[] => [{ status: 200, schema }];
const created = (schema: TSchema): SuccessResponse[] => [{ status: 201, schema }];
const none: SuccessResponse[] = [{ status: 204 }];
const list = (schema: TSchema) => ok(t.Array(schema));

/**
 * Each route of the dialect (its path under /api/v10) and what it answers on success. The OpenAPI document takes
 * it from here (src/http/api-document), so a route added without a line gets no 2xx and fails
 * test/http/api-document.test.ts.
 */
export const DISCORD_SUCCESS: Record<string, SuccessResponse[]> = {
  'GET /gateway': ok(GatewayInfo),
  'GET /gateway/bot': ok(GatewayBotInfo),
  'GET /applications/@me': ok(Application),
  'GET /oauth2/applications/@me': ok(Application),
  'GET /applications/{applicationId}/commands': list(ApplicationCommand),
  'POST /applications/{applicationId}/commands': [
    { status: 201, schema: ApplicationCommand, description: 'Created' },
    { status: 200, schema: ApplicationCommand, description: 'A command of that name and type existed: it was updated' },
  ],
  'PUT /applications/{applicationId}/commands': list(ApplicationCommand),
  'GET /applications/{applicationId}/commands/{commandId}': ok(ApplicationCommand),
  'PATCH /applications/{applicationId}/commands/{commandId}': ok(ApplicationCommand),
  'DELETE /applications/{applicationId}/commands/{commandId}': none,
  'GET /applications/{applicationId}/guilds/{guildId}/commands': list(ApplicationCommand),
  'POST /applications/{applicationId}/guilds/{guildId}/commands': [
    { status: 201, schema: ApplicationCommand, description: 'Created' },
    { status: 200, schema: ApplicationCommand, description: 'A command of that name and type existed: it was updated' },
  ],
  'PUT /applications/{applicationId}/guilds/{guildId}/commands': list(ApplicationCommand),
  'GET /applications/{applicationId}/guilds/{guildId}/commands/permissions': list(CommandPermissions),
  'GET /applications/{applicationId}/guilds/{guildId}/commands/{commandId}': ok(ApplicationCommand),
  'PATCH /applications/{applicationId}/guilds/{guildId}/commands/{commandId}': ok(ApplicationCommand),
  'DELETE /applications/{applicationId}/guilds/{guildId}/commands/{commandId}': none,
  'GET /applications/{applicationId}/guilds/{guildId}/commands/{commandId}/permissions': ok(CommandPermissions),
  'GET /guilds/{guildId}/audit-logs': ok(AuditLog),
  'GET /channels/{channelId}': ok(Channel),
  'PATCH /channels/{channelId}': ok(Channel),
  'DELETE /channels/{channelId}': ok(Channel),
  'PUT /channels/{channelId}/permissions/{overwriteId}': none,
  'DELETE /channels/{channelId}/permissions/{overwriteId}': none,
  'GET /channels/{channelId}/invites': list(ExtendedInvite),
  'POST /channels/{channelId}/invites': ok(ExtendedInvite),
  'POST /channels/{channelId}/typing': none,
  'POST /channels/{channelId}/messages/{messageId}/ack': ok(Ack),
  'GET /channels/{channelId}/pins': list(Message),
  'GET /channels/{channelId}/messages/pins': ok(PinsPage),
  'PUT /channels/{channelId}/pins/{messageId}': none,
  'DELETE /channels/{channelId}/pins/{messageId}': none,
  'PUT /channels/{channelId}/messages/pins/{messageId}': none,
  'DELETE /channels/{channelId}/messages/pins/{messageId}': none,
  'GET /guilds/{guildId}/emojis': list(Emoji),
  'GET /guilds/{guildId}/emojis/{emojiId}': ok(Emoji),
  'POST /guilds/{guildId}/emojis': created(Emoji),
  'PATCH /guilds/{guildId}/emojis/{emojiId}': ok(Emoji),
  'DELETE /guilds/{guildId}/emojis/{emojiId}': none,
  'GET /guilds/{guildId}': ok(Guild),
  'PATCH /guilds/{guildId}': ok(Guild),
  'GET /guilds/{guildId}/channels': list(Channel),
  'POST /guilds/{guildId}/channels': created(Channel),
  'PATCH /guilds/{guildId}/channels': none,
  'GET /guilds/{guildId}/roles': list(Role),
  'POST /guilds/{guildId}/roles': ok(Role),
  'PATCH /guilds/{guildId}/roles': list(Role),
  'GET /guilds/{guildId}/roles/{roleId}': ok(Role),
  'PATCH /guilds/{guildId}/roles/{roleId}': ok(Role),
  'DELETE /guilds/{guildId}/roles/{roleId}': none,
  'GET /guilds/{guildId}/invites': list(ExtendedInvite),
  'POST /interactions/{interactionId}/{token}/callback': [
    { status: 204, description: 'Answered' },
    { status: 200, schema: t.Object({ interaction: t.Object({ id: Id, type: t.Integer() }) }), description: 'with_response=true: the callback response' },
  ],
  'POST /interactions': none,
  'GET /guilds/{guildId}/application-command-index': ok(CommandIndex),
  'GET /channels/{channelId}/application-command-index': ok(CommandIndex),
  'GET /invites/{code}': ok(Invite),
  'DELETE /invites/{code}': ok(Invite),
  'GET /guilds/{guildId}/members': list(Member),
  'PATCH /guilds/{guildId}/members/@me': ok(Member),
  'GET /guilds/{guildId}/members/{userId}': ok(Member),
  'PATCH /guilds/{guildId}/members/{userId}': ok(Member),
  'DELETE /guilds/{guildId}/members/{userId}': none,
  'PUT /guilds/{guildId}/members/{userId}/roles/{roleId}': none,
  'DELETE /guilds/{guildId}/members/{userId}/roles/{roleId}': none,
  'GET /guilds/{guildId}/bans': list(Ban),
  'GET /guilds/{guildId}/bans/{userId}': ok(Ban),
  'PUT /guilds/{guildId}/bans/{userId}': none,
  'DELETE /guilds/{guildId}/bans/{userId}': none,
  'POST /channels/{channelId}/messages': ok(Message),
  'GET /channels/{channelId}/messages': list(Message),
  'POST /channels/{channelId}/messages/bulk-delete': none,
  'GET /channels/{channelId}/messages/{messageId}': ok(Message),
  'PATCH /channels/{channelId}/messages/{messageId}': ok(Message),
  'DELETE /channels/{channelId}/messages/{messageId}': none,
  'PUT /channels/{channelId}/messages/{messageId}/reactions/{emoji}/@me': none,
  'DELETE /channels/{channelId}/messages/{messageId}/reactions/{emoji}/@me': none,
  'DELETE /channels/{channelId}/messages/{messageId}/reactions/{emoji}/{userId}': none,
  'GET /channels/{channelId}/messages/{messageId}/reactions/{emoji}': list(User),
  'DELETE /channels/{channelId}/messages/{messageId}/reactions/{emoji}': none,
  'DELETE /channels/{channelId}/messages/{messageId}/reactions': none,
  'GET /guilds/{guildId}/messages/search': ok(SearchResult),
  'GET /channels/{channelId}/messages/search': ok(SearchResult),
  'POST /channels/{channelId}/messages/{messageId}/threads': created(Channel),
  'POST /channels/{channelId}/threads': created(Channel),
  'PUT /channels/{channelId}/thread-members/@me': none,
  'DELETE /channels/{channelId}/thread-members/@me': none,
  'PUT /channels/{channelId}/thread-members/{userId}': none,
  'DELETE /channels/{channelId}/thread-members/{userId}': none,
  'GET /channels/{channelId}/thread-members/{userId}': ok(ThreadMember),
  'GET /channels/{channelId}/thread-members': list(ThreadMember),
  'GET /guilds/{guildId}/threads/active': ok(ThreadList),
  'GET /channels/{channelId}/threads/archived/public': ok(ThreadList),
  'GET /channels/{channelId}/threads/archived/private': ok(ThreadList),
  'GET /channels/{channelId}/users/@me/threads/archived/private': ok(ThreadList),
  'GET /users/@me': ok(User),
  'PATCH /users/@me': ok(User),
  'GET /users/@me/guilds': list(PartialGuild),
  'DELETE /users/@me/guilds/{guildId}': none,
  'POST /users/@me/channels': ok(Channel),
  'GET /users/{userId}': ok(User),
  'POST /channels/{channelId}/webhooks': ok(Webhook),
  'GET /channels/{channelId}/webhooks': list(Webhook),
  'GET /guilds/{guildId}/webhooks': list(Webhook),
  'GET /webhooks/{webhookId}': ok(Webhook),
  'PATCH /webhooks/{webhookId}': ok(Webhook),
  'DELETE /webhooks/{webhookId}': none,
  'GET /webhooks/{webhookId}/{token}': ok(Webhook),
  'PATCH /webhooks/{webhookId}/{token}': ok(Webhook),
  'DELETE /webhooks/{webhookId}/{token}': none,
  'POST /webhooks/{webhookId}/{token}': [
    { status: 204, description: 'Posted (without wait=true)' },
    { status: 200, schema: Message, description: 'wait=true: the message posted' },
  ],
  'GET /webhooks/{webhookId}/{token}/messages/{messageId}': ok(Message),
  'PATCH /webhooks/{webhookId}/{token}/messages/{messageId}': ok(Message),
  'DELETE /webhooks/{webhookId}/{token}/messages/{messageId}': none,
};
