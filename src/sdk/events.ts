// The shapes a HarmonyClient user sees: harmony v1 wire payloads (snake_case, as the server sends them)
// and the event map that types `client.on(...)`. Mirrored by hand in published-declarations.d.ts.
import type { Interaction, InteractionAck } from './interactions.ts';

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
  /** Written by the server: "join" announces that its author joined the guild (content is empty). */
  system?: 'join';
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
