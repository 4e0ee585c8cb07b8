// Shipped as HarmonyClient.d.ts next to HarmonyClient.js by buildSdk(). Hand-written so it is one
// self-contained file; test/sdk/published-declarations.test.ts checks it against the source, member by member.

export interface User {
  id: string;
  username: string;
  global_name?: string | null;
  /** The uploaded avatar's path on the server (/avatars/{id}/{hash}.png); see assetUrl(). Null: none. */
  avatar?: string | null;
  bot?: boolean;
}

/** A file on a message. `url` is a signed link, valid for 24 hours from when the message was fetched or received. */
export interface Attachment {
  id: string;
  filename: string;
  description: string | null;
  /** What the bytes are, as the server read them. */
  content_type: string;
  size: number;
  url: string;
  /** Images only (null otherwise). */
  width: number | null;
  height: number | null;
}

/** What a Blob or File offers (declared here so the SDK's types need no DOM library). */
export interface BlobLike {
  readonly size: number;
  readonly type: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** A file to send: its name, its bytes (a Blob or File, bytes, or text), and an optional description (alt text). */
export interface FileInput {
  name: string;
  data: BlobLike | ArrayBuffer | Uint8Array | string;
  description?: string;
}

export interface Message {
  id: string;
  channel_id: string;
  guild_id?: string | null;
  author: User;
  content: string;
  /** ISO 8601. */
  timestamp: string;
  edited_timestamp?: string | null;
  /** User ids. */
  mentions: string[];
  /** Id of the message this one replies to. */
  reply_to?: string | null;
  mention_everyone?: boolean;
  /** Ids of the roles the message notifies (mentionable ones, or any when its author may mention everyone). */
  mention_roles?: string[];
  pinned?: boolean;
  nonce?: string | null;
  embeds?: Embed[];
  components?: ActionRow[];
  attachments?: Attachment[];
  /** The embeds are kept but not shown (embeds is empty). */
  suppress_embeds?: boolean;
  reactions?: ReactionCount[];
  /** Set when a webhook posted it: `author` is then the webhook (its id, the name it posted under, bot true). */
  webhook_id?: string | null;
  /** The thread started from this message (it has the message's id), when there is one. */
  thread_id?: string;
  /** Only on a message that answers an interaction: who ran what (ephemeral ones reach only that person). */
  interaction?: MessageInteraction;
}

/** The interaction a message answers. */
export interface MessageInteraction {
  id: string;
  type: number;
  application_id: string;
  user_id: string;
  name: string | null;
  command_type: number | null;
  ephemeral: boolean;
  loading: boolean;
}

/** An embed as messages carry it: every key present, null when unset. Images carry only their URL. */
export interface Embed {
  type: 'rich';
  title: string | null;
  description: string | null;
  url: string | null;
  /** ISO 8601. */
  timestamp: string | null;
  /** 0xRRGGBB. */
  color: number | null;
  footer: { text: string; icon_url: string | null } | null;
  image: { url: string } | null;
  thumbnail: { url: string } | null;
  author: { name: string; url: string | null; icon_url: string | null } | null;
  fields: { name: string; value: string; inline: boolean }[];
}

/**
 * An embed to send (Discord's shape). Limits: title 256, description 4096, 25 fields (name 256, value 1024),
 * footer text 2048, author name 256, 6000 characters across a message's embeds; URLs must be http(s).
 */
export interface EmbedInput {
  title?: string | null;
  description?: string | null;
  url?: string | null;
  /** ISO 8601. */
  timestamp?: string | null;
  color?: number | null;
  footer?: { text: string; icon_url?: string | null } | null;
  image?: { url: string } | null;
  thumbnail?: { url: string } | null;
  author?: { name: string; url?: string | null; icon_url?: string | null } | null;
  fields?: { name: string; value: string; inline?: boolean }[];
}

/** `{ name: '👍' }` for a Unicode emoji, `{ id, name }` for a custom one. */
export interface ComponentEmoji {
  id?: string | null;
  name?: string | null;
  animated?: boolean;
}

/** A button as messages carry it: style 1 primary, 2 secondary, 3 success, 4 danger (with custom_id), 5 link (with url). */
export interface ButtonComponent {
  type: 2;
  style: 1 | 2 | 3 | 4 | 5;
  label: string | null;
  emoji: ComponentEmoji | null;
  custom_id: string | null;
  url: string | null;
  disabled: boolean;
}

export interface SelectOption {
  label: string;
  value: string;
  description: string | null;
  emoji: ComponentEmoji | null;
  default: boolean;
}

/** A select menu as messages carry it: type 3 string, 5 user, 6 role, 7 mentionable, 8 channel. */
export interface SelectMenuComponent {
  type: 3 | 5 | 6 | 7 | 8;
  custom_id: string;
  placeholder: string | null;
  min_values: number;
  max_values: number;
  disabled: boolean;
  options: SelectOption[];
  channel_types: number[];
  default_values: { id: string; type: 'user' | 'role' | 'channel' }[];
}

/** Up to five buttons or one select menu; a message has at most five rows. */
export interface ActionRow {
  type: 1;
  components: (ButtonComponent | SelectMenuComponent)[];
}

/** A component to send (Discord's shape). custom_id: at most 100 characters, unique in the message. */
export type ComponentInput =
  | { type: 2; style: 1 | 2 | 3 | 4; custom_id: string; label?: string; emoji?: ComponentEmoji; disabled?: boolean }
  | { type: 2; style: 5; url: string; label?: string; emoji?: ComponentEmoji; disabled?: boolean }
  | {
      type: 3;
      custom_id: string;
      options: { label: string; value: string; description?: string; emoji?: ComponentEmoji; default?: boolean }[];
      placeholder?: string;
      min_values?: number;
      max_values?: number;
      disabled?: boolean;
    }
  | {
      type: 5 | 6 | 7 | 8;
      custom_id: string;
      placeholder?: string;
      min_values?: number;
      max_values?: number;
      disabled?: boolean;
      channel_types?: number[];
      default_values?: { id: string; type: 'user' | 'role' | 'channel' }[];
    };

export interface ActionRowInput {
  type: 1;
  components: ComponentInput[];
}

/** Reactions on a message as the REST API reports them: the emoji ('👍' or 'name:id') and its count. */
export interface ReactionCount {
  emoji: string;
  count: number;
  /** Whether the caller reacted with it. */
  me: boolean;
}

export interface MessageUpdate {
  id: string;
  channel_id: string;
  guild_id?: string | null;
  content: string;
  edited_timestamp: string;
  author?: User;
  mentions?: string[];
  embeds?: Embed[];
  components?: ActionRow[];
  attachments?: Attachment[];
  suppress_embeds?: boolean;
}

export interface MessageDelete {
  id: string;
  channel_id: string;
  guild_id?: string | null;
}

/** MEMBER_JOIN / MEMBER_LEAVE. */
export interface MemberEvent {
  guild_id: string;
  user_id: string;
  joined_at?: string;
  user?: User;
}

export interface Member {
  user: User;
  guild_id?: string;
  nick?: string | null;
  roles?: string[];
  joined_at: string;
}

export interface Channel {
  id: string;
  guild_id?: string | null;
  name: string;
  type: number;
  position: number;
  topic?: string | null;
  parent_id?: string | null;
  last_message_id?: string | null;
  permission_overwrites?: PermissionOverwrite[];
  /** DM channels (type 1): both people. */
  recipient_ids?: string[];
  /** Present on threads (type 11 public, 12 private). */
  thread?: ThreadState;
}

/** What makes a channel a thread. */
export interface ThreadState {
  parent_id: string;
  owner_id: string;
  archived: boolean;
  /** Only manage_threads may post in it or unarchive it. */
  locked: boolean;
  /** Private threads: whether members may add others. */
  invitable: boolean;
  /** Minutes without a message before it archives itself: 60, 1440, 4320 or 10080. */
  auto_archive_duration: number;
  /** ISO 8601: when it was last archived or unarchived (its creation until then). */
  archive_timestamp: string;
  message_count: number;
  member_count: number;
}

export interface ThreadMember {
  thread_id: string;
  user_id: string;
  /** ISO 8601. */
  joined_at: string;
}

/** THREAD_LIST_SYNC: you can now see these channels, and these are their active threads. */
export interface ThreadListSync {
  guild_id: string;
  channel_ids: string[];
  threads: Channel[];
}

/** THREAD_MEMBERS_UPDATE. */
export interface ThreadMembersUpdate {
  thread_id: string;
  guild_id: string;
  member_count: number;
  added: ThreadMember[];
  removed_ids: string[];
}

export interface PermissionOverwrite {
  id: string;
  /** 0 role, 1 member. */
  type: number;
  /** Permission bitfields as decimal strings. */
  allow: string;
  deny: string;
}

export interface Guild {
  id: string;
  name: string;
  /** The icon's path on the server (/icons/{id}/{hash}.png); see assetUrl(). Null: none. */
  icon?: string | null;
  owner_id?: string;
  description?: string | null;
  created_at?: string;
  channels?: Channel[];
  /** GUILD_CREATE: the active threads you can see. */
  threads?: Channel[];
  members?: Member[];
  /** GUILD_CREATE: the members who are not offline (follow presenceUpdate from there). */
  presences?: Presence[];
}

/** A guild's custom emoji; use it in text as `<:name:id>` and as a reaction as `name:id`. */
export interface Emoji {
  id: string;
  guild_id: string;
  name: string;
  animated: boolean;
  /** Roles allowed to use it; empty: everyone. */
  roles: string[];
  /** Who uploaded it (null once that account is gone). */
  user_id: string | null;
  /** The image's path on the server (/emojis/{id}.png); see assetUrl(). */
  url: string;
}

/** GUILD_EMOJIS_UPDATE: the guild's whole emoji list after a change. */
export interface GuildEmojisUpdate {
  guild_id: string;
  emojis: Emoji[];
}

/** What READY lists per guild; the full guild arrives with GUILD_CREATE or getGuild(). */
export interface ReadyGuild {
  id: string;
  name?: string;
  unavailable?: boolean;
  /** The members who are not offline when the session started (follow presenceUpdate from there). */
  presences?: Presence[];
}

export interface GuildDelete {
  id: string;
  unavailable?: boolean;
}

/** MESSAGE_REACTION_ADD / MESSAGE_REACTION_REMOVE. */
export interface Reaction {
  message_id: string;
  channel_id: string;
  guild_id?: string | null;
  user_id: string;
  /** A Unicode emoji ('👍') or a custom one ('name:id'), as addReaction() takes it. */
  emoji: string;
}

export interface TypingStart {
  channel_id: string;
  guild_id?: string | null;
  user_id: string;
  /** ISO 8601, like every harmony v1 timestamp. */
  timestamp: string;
}

export type PresenceStatus = 'online' | 'idle' | 'dnd' | 'offline';

export interface Activity {
  name: string;
  type: number;
  state?: string | null;
  details?: string | null;
}

export interface Presence {
  user: { id: string };
  guild_id?: string | null;
  status: PresenceStatus;
  activities: Activity[];
}

/** What setPresence() takes: gateway op 3, with `activities` [], `afk` false and `since` null unless given. */
export interface PresenceData {
  /** 'invisible' keeps you connected while others see you offline. */
  status: PresenceStatus | 'invisible';
  activities?: Activity[];
  afk?: boolean;
  /** Unix time in ms since when you have been idle, or null. */
  since?: number | null;
}

/** READY's `d`. Bots get `bot`, user sessions get `user`. */
export interface ReadyData {
  bot?: User;
  user?: User;
  session_id: string;
  heartbeat_interval: number;
  guilds: ReadyGuild[];
  /** Your open DM channels (closed ones left out). */
  private_channels?: Channel[];
  /** Where you stopped reading each channel (people; empty for bots). */
  read_state?: ReadState[];
}

/** Where you stopped reading a channel (`id`), and the mentions of you since. */
export interface ReadState {
  id: string;
  /** The last message read, or null when none yet. */
  last_message_id: string | null;
  mention_count: number;
}

/** MESSAGE_ACK: you read a channel up to a message on another of your sessions. */
export interface MessageAck {
  channel_id: string;
  guild_id: string | null;
  message_id: string;
  mention_count: number;
}

/** Every op 0 frame, as received (including READY and RESUMED, and names the SDK does not know). */
export interface DispatchPayload {
  t: string;
  d: unknown;
  s: number | null;
}

export interface CloseInfo {
  code: number;
  reason: string;
  /** true when the client will reconnect on its own (RESUME or fresh IDENTIFY). */
  reconnecting: boolean;
}

/** A webhook. `token` and `url` are only in what createWebhook returns: store them, they are never shown again. */
export interface Webhook {
  id: string;
  guild_id: string;
  channel_id: string;
  name: string;
  /** Content hash of the avatar image, or null. */
  avatar: string | null;
  creator_id: string | null;
  /** ISO 8601. */
  created_at: string;
  token?: string;
  /** Where bots and scripts post (the Discord-compatible execute URL). */
  url?: string;
}

/** One entry of a guild's audit log: `user_id` did `action` to `target_id` (GUILD_AUDIT_LOG_ENTRY_CREATE carries one). */
export interface AuditLogEntry {
  id: string;
  guild_id: string;
  user_id: string | null;
  target_id: string | null;
  /** guild.update, channel.create, member.kick, member.ban, role.update, message.delete, ... */
  action: string;
  changes: { key: string; old_value: unknown; new_value: unknown }[];
  options: {
    channel_id: string | null;
    message_id: string | null;
    count: number | null;
    overwrite_id: string | null;
    overwrite_type: number | null;
    role_name: string | null;
  } | null;
  reason: string | null;
  /** ISO 8601. */
  created_at: string;
}

/** GET /guilds/:id/audit-log: entries newest first and the users they name. */
export interface AuditLog {
  entries: AuditLogEntry[];
  users: User[];
}

/** WEBHOOKS_UPDATE: a webhook of this channel was created, changed or deleted. */
export interface WebhooksUpdate {
  guild_id: string;
  channel_id: string;
}

export interface HarmonyEvents {
  ready: ReadyData;
  resumed: Record<string, unknown>;
  messageCreate: Message;
  messageUpdate: MessageUpdate;
  messageDelete: MessageDelete;
  memberJoin: MemberEvent;
  memberLeave: MemberEvent;
  channelCreate: Channel;
  channelUpdate: Channel;
  channelDelete: Channel;
  threadCreate: Channel;
  threadUpdate: Channel;
  threadDelete: Channel;
  threadMembersUpdate: ThreadMembersUpdate;
  threadListSync: ThreadListSync;
  reactionAdd: Reaction;
  reactionRemove: Reaction;
  typingStart: TypingStart;
  presenceUpdate: Presence;
  guildCreate: Guild;
  guildUpdate: Guild;
  guildDelete: GuildDelete;
  webhooksUpdate: WebhooksUpdate;
  guildEmojisUpdate: GuildEmojisUpdate;
  /** Your own account changed (USER_UPDATE), e.g. a new avatar. */
  userUpdate: User;
  auditLogEntryCreate: AuditLogEntry;
  /** Bots: someone ran one of your commands, used a component or submitted a modal. Answer with respond(). */
  interactionCreate: Interaction;
  /** People: your interaction reached the application ({id, nonce}), was answered, or failed (reason 2: no answer in 3 s). */
  interactionAck: InteractionAck;
  interactionSuccess: InteractionAck;
  interactionFailure: InteractionAck;
  messageAck: MessageAck;
  dispatch: DispatchPayload;
  error: Error;
  close: CloseInfo;
}

export type HarmonyEventName = keyof HarmonyEvents;

/** Handlers may be async; a throw or a rejection is reported as an `error` event. */
export type HarmonyListener<K extends HarmonyEventName> = (payload: HarmonyEvents[K]) => void | Promise<void>;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Field errors in Discord's nested shape: { content: { _errors: [{ code, message }] } }. */
export type HarmonyFieldErrors = { [field: string]: HarmonyFieldErrors | { code: string; message: string }[] };

export interface HarmonyClientOptions {
  /** Gateway URL. Default ws://localhost:3002/gateway. Alone, it also decides the REST base. */
  url?: string;
  /** REST base URL. Default: derived from `url` (ws->http, /gateway -> /api/v1), else http://localhost:3002/api/v1. */
  apiUrl?: string;
  /** 'Bot' for bot tokens (default), 'Bearer' for user session tokens. */
  authScheme?: 'Bot' | 'Bearer';
  /** Reconnect backoff in ms. Default: 1000 doubling to 30000, with jitter. */
  reconnect?: { baseDelay?: number; maxDelay?: number };
}

export interface GetMessagesOptions {
  limit?: number;
  /** A message id or an ISO 8601 timestamp. */
  before?: string;
  after?: string;
}

export interface SendMessageOptions {
  replyTo?: string;
  /** Up to 10 (content may then be empty). */
  embeds?: EmbedInput[];
  /** Up to 5 action rows. */
  components?: ActionRowInput[];
  /** Files to attach (10 of 25 MiB by default; content may then be empty). */
  files?: FileInput[];
}

/** What editMessage changes: what is left out stays; embeds/components replace the stored ones ([] clears). */
export interface MessageEdit {
  content?: string | null;
  embeds?: EmbedInput[] | null;
  components?: ActionRowInput[] | null;
  /** Ids of the attachments to keep (the others are deleted); left out, all stay. */
  attachments?: string[];
  /** New files to add. */
  files?: FileInput[];
  /** Hide (or show again) the embeds; on someone else's message this alone is allowed, with manage_messages. */
  suppressEmbeds?: boolean;
}

export interface CreateWebhookOptions {
  /** 1-80 characters, without "clyde" or "discord" in any case. */
  name: string;
  /** A data URI (data:image/png;base64,...). */
  avatar?: string | null;
}

/** What editWebhook changes; what is left out stays. */
export interface WebhookEdit {
  name?: string;
  avatar?: string | null;
  /** Move it to another channel of the same server. */
  channelId?: string;
}

/** A post through a webhook: content and/or embeds and link buttons, optionally under another name and picture. */
export interface WebhookMessageOptions {
  content?: string;
  embeds?: EmbedInput[];
  components?: ActionRowInput[];
  username?: string;
  avatarUrl?: string;
}

/**
 * An image to upload (avatar, guild icon, emoji): its bytes, or a data URI. PNG, JPEG, GIF or WebP; the server
 * reads the type from the bytes. Avatars and icons up to 512 KiB, emoji up to 256 KiB.
 */
export type ImageInput = Uint8Array | ArrayBuffer | string;

/** What editGuildEmoji changes: what is left out stays. */
export interface EmojiEdit {
  name?: string;
  /** Roles allowed to use it; [] or null: everyone. */
  roles?: string[] | null;
}

export interface SearchMessagesOptions {
  /** Words that must all appear (any script; "quoted phrases" kept together). */
  content?: string;
  authorIds?: string[];
  channelIds?: string[];
  /** Messages mentioning any of these users. */
  mentions?: string[];
  /** link, embed, file, image, video, sound; a leading - excludes (-link). */
  has?: string[];
  pinned?: boolean;
  /** Message ids: only messages older (before) or newer (after) than these. */
  before?: string;
  after?: string;
  /** newest (default) or oldest first. */
  order?: 'newest' | 'oldest';
  /** 0-9975. */
  offset?: number;
  /** 1-25, default 25. */
  limit?: number;
}

export interface MessageSearchResult {
  /** How many messages match in all. */
  total: number;
  messages: Message[];
  /** The threads holding any of these messages. */
  threads: Channel[];
}

export interface GetAuditLogOptions {
  /** Only what this user did. */
  userId?: string;
  /** Only this action (member.kick, role.update, ...). */
  action?: string;
  /** An entry id: entries older than it. */
  before?: string;
  /** 1-100, default 50. */
  limit?: number;
}

export interface GetGuildMembersOptions {
  limit?: number;
  /** A user id: members after it. */
  after?: string;
}

export interface CreateThreadOptions {
  /** Start it from this message of the channel: a public thread with the message's id. */
  messageId?: string;
  /** 11 public (the default), 12 private. */
  type?: 11 | 12;
  /** Private threads: whether members may add others (default true). */
  invitable?: boolean;
  /** Minutes: 60, 1440 (the default), 4320 or 10080. */
  autoArchiveDuration?: number;
}

/** What editThread changes; what is left out stays. */
export interface ThreadEdit {
  name?: string;
  archived?: boolean;
  /** manage_threads. */
  locked?: boolean;
  autoArchiveDuration?: number;
  /** Private threads; manage_threads. */
  invitable?: boolean;
}

/** A REST answer outside 2xx (after 429s have been waited out a bounded number of times). */
export declare class HarmonyApiError extends Error {
  readonly name: 'HarmonyApiError';
  /** HTTP status. */
  readonly status: number;
  /** The JSON error code from the body (Discord's numbering); 0 when the body had none. */
  readonly code: number;
  /** Per-field validation errors, when the server sent them. */
  readonly errors: HarmonyFieldErrors | undefined;
  readonly method: string;
  /** The path relative to the REST base, query string included. */
  readonly path: string;
  constructor(status: number, code: number, message: string, errors: HarmonyFieldErrors | undefined, method: string, path: string);
}

/** The gateway closed with a code that makes reconnecting pointless (4004, 4010-4014). */
export declare class HarmonyGatewayError extends Error {
  readonly name: 'HarmonyGatewayError';
  /** The WebSocket close code the server sent. */
  readonly code: number;
  readonly reason: string;
  constructor(code: number, reason: string);
}

/** The fields every command option carries on the v1 wire (null when unset). */
export interface ApplicationCommandOptionBase {
  /** 1 SUB_COMMAND, 2 SUB_COMMAND_GROUP, 3 STRING, 4 INTEGER, 5 BOOLEAN, 6 USER, 7 CHANNEL, 8 ROLE, 9 MENTIONABLE, 10 NUMBER, 11 ATTACHMENT. */
  type: number;
  name: string;
  name_localizations: Record<string, string> | null;
  description: string;
  description_localizations: Record<string, string> | null;
  required: boolean;
  choices: { name: string; name_localizations: Record<string, string> | null; value: string | number }[] | null;
  channel_types: number[] | null;
  min_value: number | null;
  max_value: number | null;
  min_length: number | null;
  max_length: number | null;
  autocomplete: boolean;
}

/** An option of a command: a subcommand or group carries `options` (at most three levels in all). */
export interface ApplicationCommandOption extends ApplicationCommandOptionBase {
  options: (ApplicationCommandOptionBase & { options: (ApplicationCommandOptionBase & { options: null })[] | null })[] | null;
}

/** A stored command: every field present, null when unset, with the full localization dictionaries. */
export interface ApplicationCommand {
  id: string;
  /** The bot's user id. */
  application_id: string;
  /** null for a global command. */
  guild_id: string | null;
  /** Changes whenever the command does. */
  version: string;
  /** 1 CHAT_INPUT (slash), 2 USER, 3 MESSAGE (context menus). */
  type: 1 | 2 | 3;
  name: string;
  name_localizations: Record<string, string> | null;
  description: string;
  description_localizations: Record<string, string> | null;
  options: ApplicationCommandOption[];
  default_member_permissions: string | null;
  dm_permission: boolean;
  contexts: number[] | null;
  integration_types: number[];
  nsfw: boolean;
}

/** A choice to offer (STRING, INTEGER and NUMBER options; at most 25). */
export interface ApplicationCommandChoiceInput {
  name: string;
  name_localizations?: Record<string, string> | null;
  value: string | number;
}

/**
 * An option to declare (Discord's shape). type: 1 SUB_COMMAND, 2 SUB_COMMAND_GROUP, 3 STRING, 4 INTEGER, 5 BOOLEAN,
 * 6 USER, 7 CHANNEL, 8 ROLE, 9 MENTIONABLE, 10 NUMBER, 11 ATTACHMENT. Required options come before optional ones.
 */
export interface ApplicationCommandOptionInput {
  type: number;
  /** 1-32 lowercase letters, digits, - _ ' (any script). */
  name: string;
  description: string;
  name_localizations?: Record<string, string> | null;
  description_localizations?: Record<string, string> | null;
  required?: boolean;
  choices?: ApplicationCommandChoiceInput[];
  /** Subcommands: their parameters; groups: their subcommands. */
  options?: ApplicationCommandOptionInput[];
  channel_types?: number[];
  min_value?: number;
  max_value?: number;
  min_length?: number;
  max_length?: number;
  autocomplete?: boolean;
}

/** A command to register: a slash command (type 1, the default) or a user (2) or message (3) context menu. */
export interface ApplicationCommandInput {
  /** With setCommands: the id of a command to keep (even under a new name). */
  id?: string;
  name: string;
  type?: 1 | 2 | 3;
  /** Slash commands: 1-100 characters; context menus have none. */
  description?: string;
  name_localizations?: Record<string, string> | null;
  description_localizations?: Record<string, string> | null;
  options?: ApplicationCommandOptionInput[];
  /** A permission bitfield as a decimal string ('0': admins only), or null for everyone. */
  default_member_permissions?: string | null;
  dm_permission?: boolean;
  contexts?: number[] | null;
  integration_types?: number[];
  nsfw?: boolean;
}

/** Which commands: your bot's global ones, or those of one guild (`guildId`). */
export interface CommandScopeOptions {
  guildId?: string;
}

export declare class HarmonyClient {
  /** The gateway URL in use. */
  readonly gatewayUrl: string;
  /** The REST base URL in use. */
  readonly apiUrl: string;
  /** The bot (or user) this token belongs to, from the latest READY; null before the first. */
  readonly user: User | null;
  /** The current gateway session; null before READY and after the session ends. */
  readonly sessionId: string | null;

  constructor(token: string, options?: HarmonyClientOptions);

  on<K extends HarmonyEventName>(event: K, listener: HarmonyListener<K>): this;
  once<K extends HarmonyEventName>(event: K, listener: HarmonyListener<K>): this;
  off<K extends HarmonyEventName>(event: K, listener: HarmonyListener<K>): this;

  /**
   * Opens the gateway. Resolves with READY's `d`; rejects on a fatal close (4004 bad token, 4010-4014) or if
   * disconnect() is called first. Socket failures before READY are retried with backoff, not reported as rejection.
   */
  connect(): Promise<ReadyData>;
  /** Closes the gateway cleanly (1000) and stops reconnecting. connect() may be called again afterwards. */
  disconnect(): Promise<void>;
  /** Same as disconnect(). */
  destroy(): Promise<void>;
  /**
   * Sets your status and activities (gateway op 3). The client keeps it: it is sent now if the gateway session is
   * live, and every new session starts with it (it rides in IDENTIFY, so you never show online in between); a
   * RESUMEd session keeps it on the server, and one set while disconnected goes out once RESUMED. Returns whether
   * it went out now (false: it goes out once connected). Throws TypeError on an unknown status.
   */
  setPresence(presence: PresenceData): boolean;

  /**
   * Any REST call: `path` is relative to the REST base (e.g. '/users/@me'). Resolves undefined for 204. With
   * `files`, the body goes as multipart/form-data (files[n] parts, the body as payload_json).
   */
  request<T = unknown>(method: HttpMethod, path: string, body?: unknown, files?: readonly FileInput[]): Promise<T>;
  sendMessage(channelId: string, content: string, options?: SendMessageOptions): Promise<Message>;
  /** `edit` is the new content, or a MessageEdit to change embeds, components or suppression too. */
  editMessage(messageId: string, edit: string | MessageEdit): Promise<Message>;
  deleteMessage(messageId: string): Promise<void>;
  /** `emoji` is a Unicode emoji ('👍') or a custom one ('name:id'); it is URL-encoded by the client. */
  addReaction(messageId: string, emoji: string): Promise<void>;
  removeReaction(messageId: string, emoji: string): Promise<void>;
  triggerTyping(channelId: string): Promise<void>;
  getMessages(channelId: string, options?: GetMessagesOptions): Promise<Message[]>;
  getGuild(guildId: string): Promise<Guild>;
  getGuildMembers(guildId: string, options?: GetGuildMembersOptions): Promise<Member[]>;
  /** Needs view_audit_log. */
  getAuditLog(guildId: string, options?: GetAuditLogOptions): Promise<AuditLog>;
  /** Searches the channels and threads of a guild the caller can read (read_message_history). */
  searchMessages(guildId: string, options?: SearchMessagesOptions): Promise<MessageSearchResult>;
  searchChannelMessages(channelId: string, options?: Omit<SearchMessagesOptions, 'channelIds'>): Promise<MessageSearchResult>;
  getGuildChannels(guildId: string): Promise<Channel[]>;
  getMe(): Promise<User>;
  /** Opens (or finds) the DM channel with a person or bot; one you had closed comes back. */
  openDm(userId: string): Promise<Channel>;
  /** Closes a DM for you only (your other sessions get CHANNEL_DELETE); its next message brings it back. */
  closeDm(channelId: string): Promise<Channel>;
  /** Marks the channel read up to this message on all your sessions (they get MESSAGE_ACK). */
  ackMessage(channelId: string, messageId: string): Promise<ReadState>;
  /** Where you stopped reading each channel, and the mentions since (READY's read_state). */
  getReadStates(): Promise<ReadState[]>;

  /** Your bot's application commands: global ones, or with `guildId` those of one guild. */
  getCommands(options?: CommandScopeOptions): Promise<ApplicationCommand[]>;
  getCommand(commandId: string, options?: CommandScopeOptions): Promise<ApplicationCommand>;
  /** Registers a command; one of the same name and type in that scope is replaced (and keeps its id). */
  createCommand(command: ApplicationCommandInput, options?: CommandScopeOptions): Promise<ApplicationCommand>;
  /** The fields given replace the current ones; the type cannot change. */
  editCommand(commandId: string, edit: Partial<ApplicationCommandInput>, options?: CommandScopeOptions): Promise<ApplicationCommand>;
  deleteCommand(commandId: string, options?: CommandScopeOptions): Promise<void>;
  /** Makes the scope's commands exactly `commands`: same name and type (or the id given) keeps an id, the rest go. */
  setCommands(commands: ApplicationCommandInput[], options?: CommandScopeOptions): Promise<ApplicationCommand[]>;
  /** Needs manage_webhooks. The result's `token` and `url` are shown this once. */
  createWebhook(channelId: string, options: CreateWebhookOptions): Promise<Webhook>;
  getChannelWebhooks(channelId: string): Promise<Webhook[]>;
  getGuildWebhooks(guildId: string): Promise<Webhook[]>;
  editWebhook(webhookId: string, edit: WebhookEdit): Promise<Webhook>;
  deleteWebhook(webhookId: string): Promise<void>;
  /** Posts as the webhook; the token is the credential (no manage_webhooks needed). */
  executeWebhook(webhookId: string, token: string, message: string | WebhookMessageOptions): Promise<Message>;
  createThread(channelId: string, name: string, options?: CreateThreadOptions): Promise<Channel>;
  /** Rename, archive or unarchive (the owner, or manage_threads), lock (manage_threads). */
  editThread(threadId: string, edit: ThreadEdit): Promise<Channel>;
  deleteThread(threadId: string): Promise<Channel>;
  /** A channel's active threads you can see; `archived: true` for its archived ones (public, and private ones you joined). */
  getThreads(channelId: string, options?: { archived?: boolean }): Promise<Channel[]>;
  getActiveThreads(guildId: string): Promise<Channel[]>;
  getThreadMembers(threadId: string): Promise<ThreadMember[]>;
  joinThread(threadId: string): Promise<void>;
  leaveThread(threadId: string): Promise<void>;
  addThreadMember(threadId: string, userId: string): Promise<void>;
  removeThreadMember(threadId: string, userId: string): Promise<void>;
  /** Uploads your avatar (bytes or a data URI); null goes back to the default one. */
  setAvatar(image: ImageInput | null): Promise<User>;
  /** Uploads a guild's icon (manage_guild); null removes it. */
  setGuildIcon(guildId: string, image: ImageInput | null): Promise<Guild>;
  getGuildEmojis(guildId: string): Promise<Emoji[]>;
  /** Uploads a custom emoji (manage_guild_expressions); `name` is 2-32 of A-Z, a-z, 0-9 and _. */
  createGuildEmoji(guildId: string, name: string, image: ImageInput, roles?: string[]): Promise<Emoji>;
  editGuildEmoji(guildId: string, emojiId: string, edit: EmojiEdit): Promise<Emoji>;
  deleteGuildEmoji(guildId: string, emojiId: string): Promise<void>;
  /** The full URL of an image path the server gives (`avatar`, `icon`, an emoji's `url`), on this server. */
  assetUrl(path: string): string;
  /**
   * The first answer to an interaction, within 3 s of it (Discord's callback types; the token is the credential).
   * Resolves to what was posted or edited (types 4, 5, 7), else null.
   */
  respond(interaction: Pick<Interaction, 'id' | 'token'>, response: InteractionResponse): Promise<Message | null>;
  /** Another message for the interaction, for 15 min after it (flags 64: only the invoker sees it). */
  followUp(interaction: Pick<Interaction, 'application_id' | 'token'>, message: string | InteractionMessageInput): Promise<Message>;
  /** Edits the first answer (`@original`, the default) or a follow-up; filling in a deferred answer ends its "thinking". */
  editReply(interaction: Pick<Interaction, 'application_id' | 'token'>, edit: string | MessageEdit, messageId?: string): Promise<Message>;
  deleteReply(interaction: Pick<Interaction, 'application_id' | 'token'>, messageId?: string): Promise<void>;
}

/** An option as the person filled it in; subcommands and groups carry `options`. */
export interface InteractionOption {
  name: string;
  /** 1 SUB_COMMAND ... 11 ATTACHMENT, as in ApplicationCommandOption. */
  type: number;
  value?: string | number | boolean | null;
  options?: InteractionOption[];
  /** Autocomplete: the option being typed (its value is what was typed so far). */
  focused?: boolean;
}

/** Ids the options (or an entity select) name. */
export interface InteractionResolved {
  users: string[];
  roles: string[];
  channels: string[];
  messages: string[];
  attachments: string[];
}

export type InteractionData =
  | {
      kind: 'command';
      command_id: string;
      name: string;
      /** 1 slash command, 2 user menu, 3 message menu. */
      command_type: number;
      /** The command's guild; null for a global command. */
      command_guild_id: string | null;
      options: InteractionOption[];
      resolved: InteractionResolved;
      /** Context menus: the user or message picked. */
      target_id: string | null;
      /** The files the person uploaded for ATTACHMENT options (an option's value is one's id); links are signed. */
      attachments: Attachment[];
    }
  | { kind: 'component'; custom_id: string; component_type: number; values: string[] | null; resolved: InteractionResolved }
  | { kind: 'modal'; custom_id: string; fields: { custom_id: string; value: string }[] };

/** INTERACTION_CREATE as the application receives it. Answer within 3 s (respond), follow up for 15 min. */
export interface Interaction {
  id: string;
  application_id: string;
  /** 2 command, 3 component, 4 autocomplete, 5 modal submit. */
  type: number;
  token: string;
  guild_id: string | null;
  channel_id: string;
  /** Components: the message the component is on. */
  message_id: string | null;
  user: User;
  data: InteractionData;
  app_permissions: string;
  member_permissions: string;
  /** ISO 8601. */
  created_at: string;
  answer_by: string;
  expires_at: string;
}

/** What the invoking person's own sessions get for INTERACTION_CREATE, SUCCESS and FAILURE (reason 2: no answer in time). */
export interface InteractionAck {
  id: string;
  nonce: string | null;
  reason?: number;
}

/** A message an interaction posts or edits. `flags`: 64 EPHEMERAL (only the invoker sees it), 4 SUPPRESS_EMBEDS. */
export interface InteractionMessageInput {
  content?: string | null;
  embeds?: EmbedInput[];
  components?: ActionRowInput[];
  /** Files to post with it (sent as multipart/form-data); on an ephemeral answer only the invoker can fetch them. */
  files?: FileInput[];
  flags?: number;
}

/** A text input of a modal (legacy layout: an action row around each). */
export interface ModalInput {
  custom_id: string;
  title: string;
  components: {
    type: 1;
    components: {
      type: 4;
      custom_id: string;
      label: string;
      style: 1 | 2;
      required?: boolean;
      value?: string;
      placeholder?: string;
      min_length?: number;
      max_length?: number;
    }[];
  }[];
}

/** The first answer, in Discord's callback shape. */
export type InteractionResponse =
  /** A message (4), or "thinking" now and the message later with editReply (5). */
  | { type: 4; data: InteractionMessageInput }
  | { type: 5; data?: { flags?: number } }
  /** Components: acknowledge now and edit later (6), or edit the clicked message now (7). */
  | { type: 6 }
  | { type: 7; data: InteractionMessageInput }
  /** Autocomplete: up to 25 suggestions. */
  | { type: 8; data: { choices: { name: string; value: string | number }[] } }
  | { type: 9; data: ModalInput };
