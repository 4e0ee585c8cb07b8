// HarmonyClient: the JS SDK the bot API seed's examples import (`new HarmonyClient(token)`).
// Gateway events in, REST calls out; runs unchanged in browsers, Bun and Node 20+. This file is the bundle's entry.
import type { ApplicationCommand, ApplicationCommandInput, CommandScopeOptions } from './application-commands.ts';
import { type BackoffOptions, DEFAULT_BACKOFF } from './backoff.ts';
import { clientProperties } from './client-properties.ts';
import { TypedEmitter } from './emitter.ts';
import { HarmonyApiError, HarmonyGatewayError } from './errors.ts';
import type {
  ActionRowInput,
  AuditLog,
  Channel,
  EmbedInput,
  Emoji,
  FileInput,
  Guild,
  HarmonyEventName,
  HarmonyEvents,
  HarmonyListener,
  Member,
  Message,
  PresenceData,
  ReadState,
  ReadyData,
  ThreadMember,
  User,
  Webhook,
} from './events.ts';
import { GatewayConnection } from './gateway.ts';
import type { Interaction, InteractionMessageInput, InteractionResponse } from './interactions.ts';
import { CloseCode, DISPATCH_EVENTS, isDispatchName } from './protocol.ts';
import { type HttpMethod, RestClient } from './rest.ts';
import { resolveEndpoints } from './urls.ts';

export { HarmonyApiError, HarmonyGatewayError };

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

type Pending = { resolve: (ready: ReadyData) => void; reject: (error: Error) => void };

const PRESENCE_STATUSES: readonly string[] = ['online', 'idle', 'dnd', 'invisible', 'offline'];

export class HarmonyClient {
  readonly gatewayUrl: string;
  readonly apiUrl: string;
  private readonly rest: RestClient;
  private readonly gateway: GatewayConnection;
  private readonly events: TypedEmitter<HarmonyEvents>;
  private readyData: ReadyData | null = null;
  private applicationId: string | undefined;
  private pending: ({ promise: Promise<ReadyData> } & Pending) | null = null;

  constructor(token: string, options: HarmonyClientOptions = {}) {
    const { gatewayUrl, apiUrl } = resolveEndpoints(options);
    this.gatewayUrl = gatewayUrl;
    this.apiUrl = apiUrl;
    this.rest = new RestClient({ baseUrl: apiUrl, authorization: `${options.authScheme ?? 'Bot'} ${token}` });
    this.events = new TypedEmitter<HarmonyEvents>((error, event) => this.reportListenerError(error, event));
    const backoff: BackoffOptions = { ...DEFAULT_BACKOFF, ...options.reconnect };
    this.gateway = new GatewayConnection({
      url: gatewayUrl,
      token,
      properties: clientProperties(),
      backoff,
      sink: {
        dispatch: (payload) => this.onDispatch(payload.t, payload.d, payload.s),
        closed: (info) => this.events.emit('close', info),
        error: (error) => this.emitError(error),
        failed: (error) => {
          this.emitError(error);
          this.settle(error);
        },
      },
    });
  }

  /** The bot (or user) this token belongs to, from the latest READY; null before the first. */
  get user(): User | null {
    return this.readyData ? (this.readyData.bot ?? this.readyData.user ?? null) : null;
  }

  /** The current gateway session; null before READY and after the session ends. */
  get sessionId(): string | null {
    return this.gateway.sessionId;
  }

  on<K extends HarmonyEventName>(event: K, listener: HarmonyListener<K>): this {
    this.events.on(event, listener);
    return this;
  }

  once<K extends HarmonyEventName>(event: K, listener: HarmonyListener<K>): this {
    this.events.once(event, listener);
    return this;
  }

  off<K extends HarmonyEventName>(event: K, listener: HarmonyListener<K>): this {
    this.events.off(event, listener);
    return this;
  }

  /**
   * Opens the gateway. Resolves with READY's `d`; rejects on a fatal close (4004 bad token, 4010-4014) or if
   * disconnect() is called first. Socket failures before READY are retried with backoff, not reported as rejection.
   */
  connect(): Promise<ReadyData> {
    if (this.pending) return this.pending.promise;
    if (this.readyData && this.gateway.sessionId !== null) return Promise.resolve(this.readyData);
    let handlers!: Pending;
    const promise = new Promise<ReadyData>((resolve, reject) => {
      handlers = { resolve, reject };
    });
    // Rejections are also reported as `error` events; a fire-and-forget `client.connect()` (as in the seed's
    // examples) must not turn a disconnect() race into an unhandled rejection that kills a Node process.
    promise.catch(ignore);
    this.pending = { promise, ...handlers };
    this.gateway.start();
    return promise;
  }

  /** Closes the gateway cleanly (1000) and stops reconnecting. connect() may be called again afterwards. */
  async disconnect(): Promise<void> {
    this.settle(new Error('HarmonyClient was disconnected before READY'));
    await this.gateway.stop(CloseCode.Normal, 'Client disconnected');
  }

  /** Same as disconnect(), under the name discord.js users reach for. */
  destroy(): Promise<void> {
    return this.disconnect();
  }

  /**
   * Sets your status and activities (gateway op 3). The client keeps it: it is sent now if the gateway session is
   * live, and every new session starts with it (it rides in IDENTIFY, so you never show online in between); a
   * RESUMEd session keeps it on the server, and one set while disconnected goes out once RESUMED. Returns whether
   * it went out now (false: it goes out once connected). Throws TypeError on an unknown status.
   */
  setPresence(presence: PresenceData): boolean {
    if (!PRESENCE_STATUSES.includes(presence.status)) throw new TypeError(`Unknown presence status: ${String(presence.status)}`);
    return this.gateway.setPresence({
      since: presence.since ?? null,
      activities: [...(presence.activities ?? [])],
      status: presence.status,
      afk: presence.afk ?? false,
    });
  }

  /**
   * Any REST call: `path` is relative to the REST base (e.g. '/users/@me'). Resolves undefined for 204. With
   * `files`, the body goes as multipart/form-data (files[n] parts, the body as payload_json).
   */
  request<T = unknown>(method: HttpMethod, path: string, body?: unknown, files?: readonly FileInput[]): Promise<T> {
    return this.rest.request<T>(method, path, body, files);
  }

  sendMessage(channelId: string, content: string, options: SendMessageOptions = {}): Promise<Message> {
    const { replyTo, embeds, components, files } = options;
    const body = {
      content,
      ...(replyTo === undefined ? {} : { reply_to: replyTo }),
      ...(embeds ? { embeds } : {}),
      ...(components ? { components } : {}),
      ...(files?.length ? { attachments: newAttachments(files, 0) } : {}),
    };
    return this.rest.request('POST', `/channels/${segment(channelId)}/messages`, body, files);
  }

  /** `edit` is the new content, or a MessageEdit to change embeds, components or suppression too. */
  editMessage(messageId: string, edit: string | MessageEdit): Promise<Message> {
    const e: MessageEdit = typeof edit === 'string' ? { content: edit } : edit;
    const body = {
      ...(e.content === undefined ? {} : { content: e.content }),
      ...(e.embeds === undefined ? {} : { embeds: e.embeds }),
      ...(e.components === undefined ? {} : { components: e.components }),
      ...(e.suppressEmbeds === undefined ? {} : { suppress_embeds: e.suppressEmbeds }),
      // The attachments to keep by id, and the new files by the n of their files[n] part. Without a list every
      // attachment stays and the files are added (under their own names, without descriptions).
      ...(e.attachments === undefined ? {} : { attachments: [...e.attachments.map((id) => ({ id })), ...newAttachments(e.files ?? [], 0)] }),
    };
    return this.rest.request('PATCH', `/messages/${segment(messageId)}`, body, e.files);
  }

  deleteMessage(messageId: string): Promise<void> {
    return this.request('DELETE', `/messages/${segment(messageId)}`);
  }

  /** `emoji` is a Unicode emoji ('👍') or a custom one ('name:id'); it is URL-encoded here. */
  addReaction(messageId: string, emoji: string): Promise<void> {
    return this.request('PUT', `/messages/${segment(messageId)}/reactions/${segment(emoji)}`);
  }

  removeReaction(messageId: string, emoji: string): Promise<void> {
    return this.request('DELETE', `/messages/${segment(messageId)}/reactions/${segment(emoji)}`);
  }

  triggerTyping(channelId: string): Promise<void> {
    return this.request('POST', `/channels/${segment(channelId)}/typing`);
  }

  getMessages(channelId: string, options: GetMessagesOptions = {}): Promise<Message[]> {
    const { limit, before, after } = options;
    return this.request('GET', `/channels/${segment(channelId)}/messages${query({ limit, before, after })}`);
  }

  getGuild(guildId: string): Promise<Guild> {
    return this.request('GET', `/guilds/${segment(guildId)}`);
  }

  getGuildMembers(guildId: string, options: GetGuildMembersOptions = {}): Promise<Member[]> {
    const { limit, after } = options;
    return this.request('GET', `/guilds/${segment(guildId)}/members${query({ limit, after })}`);
  }

  /** Needs view_audit_log. */
  getAuditLog(guildId: string, options: GetAuditLogOptions = {}): Promise<AuditLog> {
    const { userId, action, before, limit } = options;
    return this.request('GET', `/guilds/${segment(guildId)}/audit-log${query({ user_id: userId, action, before, limit })}`);
  }

  /** Searches the channels and threads of a guild the caller can read (read_message_history). */
  searchMessages(guildId: string, options: SearchMessagesOptions = {}): Promise<MessageSearchResult> {
    return this.search(`/guilds/${segment(guildId)}/messages/search`, options);
  }

  /** Searches one channel, thread, DM or group DM (read_message_history; a DM for its recipients). */
  searchChannelMessages(channelId: string, options: Omit<SearchMessagesOptions, 'channelIds'> = {}): Promise<MessageSearchResult> {
    return this.search(`/channels/${segment(channelId)}/messages/search`, options);
  }

  private search(path: string, options: SearchMessagesOptions): Promise<MessageSearchResult> {
    const { content, authorIds, channelIds, mentions, has, pinned, before, after, order, offset, limit } = options;
    const list = (values: string[] | undefined) => (values?.length ? values.join(',') : undefined);
    return this.request(
      'GET',
      `${path}${query({
        content,
        author_id: list(authorIds),
        channel_id: list(channelIds),
        mentions: list(mentions),
        has: list(has),
        pinned: pinned === undefined ? undefined : String(pinned),
        before,
        after,
        order,
        offset,
        limit,
      })}`,
    );
  }

  getGuildChannels(guildId: string): Promise<Channel[]> {
    return this.request('GET', `/guilds/${segment(guildId)}/channels`);
  }

  getMe(): Promise<User> {
    return this.request('GET', '/users/@me');
  }

  /** Opens (or finds) the DM channel with a person or bot; one you had closed comes back. */
  openDm(userId: string): Promise<Channel> {
    return this.request('POST', '/users/@me/channels', { recipient_id: userId });
  }

  /** Closes a DM for you only (your other sessions get CHANNEL_DELETE); its next message brings it back. */
  closeDm(channelId: string): Promise<Channel> {
    return this.request('DELETE', `/channels/${segment(channelId)}`);
  }

  /** Marks the channel read up to this message on all your sessions (they get MESSAGE_ACK). */
  ackMessage(channelId: string, messageId: string): Promise<ReadState> {
    return this.request('POST', `/channels/${segment(channelId)}/messages/${segment(messageId)}/ack`);
  }

  /** Where you stopped reading each channel, and the mentions since (READY's read_state). */
  getReadStates(): Promise<ReadState[]> {
    return this.request('GET', '/users/@me/read-states');
  }

  /** Your bot's application commands: global ones, or with `guildId` those of one guild. */
  async getCommands(options: CommandScopeOptions = {}): Promise<ApplicationCommand[]> {
    return this.request('GET', await this.commandsPath(options));
  }

  async getCommand(commandId: string, options: CommandScopeOptions = {}): Promise<ApplicationCommand> {
    return this.request('GET', `${await this.commandsPath(options)}/${segment(commandId)}`);
  }

  /** Registers a command; one of the same name and type in that scope is replaced (and keeps its id). */
  async createCommand(command: ApplicationCommandInput, options: CommandScopeOptions = {}): Promise<ApplicationCommand> {
    return this.request('POST', await this.commandsPath(options), command);
  }

  /** The fields given replace the current ones; the type cannot change. */
  async editCommand(commandId: string, edit: Partial<ApplicationCommandInput>, options: CommandScopeOptions = {}): Promise<ApplicationCommand> {
    return this.request('PATCH', `${await this.commandsPath(options)}/${segment(commandId)}`, edit);
  }

  async deleteCommand(commandId: string, options: CommandScopeOptions = {}): Promise<void> {
    return this.request('DELETE', `${await this.commandsPath(options)}/${segment(commandId)}`);
  }

  /** Makes the scope's commands exactly `commands`: same name and type (or the id given) keeps an id, the rest go. */
  async setCommands(commands: ApplicationCommandInput[], options: CommandScopeOptions = {}): Promise<ApplicationCommand[]> {
    return this.request('PUT', await this.commandsPath(options), commands);
  }

  /** A bot's application id is its user id: from READY, else asked once. */
  private async commandsPath({ guildId }: CommandScopeOptions): Promise<string> {
    this.applicationId ??= this.user?.id ?? (await this.getMe()).id;
    const base = `/applications/${segment(this.applicationId)}`;
    return guildId === undefined ? `${base}/commands` : `${base}/guilds/${segment(guildId)}/commands`;
  }

  /** Needs manage_webhooks. The result's `token` and `url` are shown this once. */
  createWebhook(channelId: string, options: CreateWebhookOptions): Promise<Webhook> {
    return this.request('POST', `/channels/${segment(channelId)}/webhooks`, options);
  }

  getChannelWebhooks(channelId: string): Promise<Webhook[]> {
    return this.request('GET', `/channels/${segment(channelId)}/webhooks`);
  }

  getGuildWebhooks(guildId: string): Promise<Webhook[]> {
    return this.request('GET', `/guilds/${segment(guildId)}/webhooks`);
  }

  editWebhook(webhookId: string, edit: WebhookEdit): Promise<Webhook> {
    const { channelId, ...rest } = edit;
    return this.request('PATCH', `/webhooks/${segment(webhookId)}`, channelId === undefined ? rest : { ...rest, channel_id: channelId });
  }

  deleteWebhook(webhookId: string): Promise<void> {
    return this.request('DELETE', `/webhooks/${segment(webhookId)}`);
  }

  /** Posts as the webhook; the token is the credential (no manage_webhooks needed). */
  executeWebhook(webhookId: string, token: string, message: string | WebhookMessageOptions): Promise<Message> {
    const { avatarUrl, ...rest } = typeof message === 'string' ? { content: message } : message;
    const body = avatarUrl === undefined ? rest : { ...rest, avatar_url: avatarUrl };
    return this.request('POST', `/webhooks/${segment(webhookId)}/${segment(token)}`, body);
  }

  // ---- threads ----

  createThread(channelId: string, name: string, options: CreateThreadOptions = {}): Promise<Channel> {
    const { messageId, type, invitable, autoArchiveDuration } = options;
    const body = {
      name,
      ...(messageId === undefined ? {} : { message_id: messageId }),
      ...(type === undefined ? {} : { type }),
      ...(invitable === undefined ? {} : { invitable }),
      ...(autoArchiveDuration === undefined ? {} : { auto_archive_duration: autoArchiveDuration }),
    };
    return this.request('POST', `/channels/${segment(channelId)}/threads`, body);
  }

  /** Rename, archive or unarchive (the owner, or manage_threads), lock (manage_threads). */
  editThread(threadId: string, edit: ThreadEdit): Promise<Channel> {
    const { autoArchiveDuration, ...rest } = edit;
    const body = { ...rest, ...(autoArchiveDuration === undefined ? {} : { auto_archive_duration: autoArchiveDuration }) };
    return this.request('PATCH', `/channels/${segment(threadId)}`, body);
  }

  deleteThread(threadId: string): Promise<Channel> {
    return this.request('DELETE', `/channels/${segment(threadId)}`);
  }

  /** A channel's active threads you can see; `archived: true` for its archived ones (public, and private ones you joined). */
  getThreads(channelId: string, options: { archived?: boolean } = {}): Promise<Channel[]> {
    return this.request('GET', `/channels/${segment(channelId)}/threads${query({ archived: options.archived ? 'true' : undefined })}`);
  }

  getActiveThreads(guildId: string): Promise<Channel[]> {
    return this.request('GET', `/guilds/${segment(guildId)}/threads`);
  }

  getThreadMembers(threadId: string): Promise<ThreadMember[]> {
    return this.request('GET', `/channels/${segment(threadId)}/thread-members`);
  }

  joinThread(threadId: string): Promise<void> {
    return this.request('PUT', `/channels/${segment(threadId)}/thread-members/@me`);
  }

  leaveThread(threadId: string): Promise<void> {
    return this.request('DELETE', `/channels/${segment(threadId)}/thread-members/@me`);
  }

  addThreadMember(threadId: string, userId: string): Promise<void> {
    return this.request('PUT', `/channels/${segment(threadId)}/thread-members/${segment(userId)}`);
  }

  removeThreadMember(threadId: string, userId: string): Promise<void> {
    return this.request('DELETE', `/channels/${segment(threadId)}/thread-members/${segment(userId)}`);
  }

  /** Uploads your avatar (bytes or a data URI); null goes back to the default one. */
  setAvatar(image: ImageInput | null): Promise<User> {
    return this.request('PATCH', '/users/@me', { avatar: image === null ? null : dataUri(image) });
  }

  /** Uploads a guild's icon (manage_guild); null removes it. */
  setGuildIcon(guildId: string, image: ImageInput | null): Promise<Guild> {
    return this.request('PATCH', `/guilds/${segment(guildId)}`, { icon: image === null ? null : dataUri(image) });
  }

  getGuildEmojis(guildId: string): Promise<Emoji[]> {
    return this.request('GET', `/guilds/${segment(guildId)}/emojis`);
  }

  /** Uploads a custom emoji (manage_guild_expressions); `name` is 2-32 of A-Z, a-z, 0-9 and _. */
  createGuildEmoji(guildId: string, name: string, image: ImageInput, roles?: string[]): Promise<Emoji> {
    return this.request('POST', `/guilds/${segment(guildId)}/emojis`, { name, image: dataUri(image), ...(roles ? { roles } : {}) });
  }

  editGuildEmoji(guildId: string, emojiId: string, edit: EmojiEdit): Promise<Emoji> {
    return this.request('PATCH', `/guilds/${segment(guildId)}/emojis/${segment(emojiId)}`, edit);
  }

  deleteGuildEmoji(guildId: string, emojiId: string): Promise<void> {
    return this.request('DELETE', `/guilds/${segment(guildId)}/emojis/${segment(emojiId)}`);
  }

  /** The full URL of an image path the server gives (`avatar`, `icon`, an emoji's `url`), on this server. */
  assetUrl(path: string): string {
    return new URL(path.replace(/^\/+/, ''), this.apiUrl.replace(/api\/v1\/?$/, '')).href;
  }

  /**
   * The first answer to an interaction, within 3 s of it (Discord's callback types; the token is the credential).
   * Resolves to what was posted or edited (types 4, 5, 7), else null.
   */
  async respond(interaction: Pick<Interaction, 'id' | 'token'>, response: InteractionResponse): Promise<Message | null> {
    const path = `/interactions/${segment(interaction.id)}/${segment(interaction.token)}/callback`;
    const files = response.type === 4 || response.type === 7 ? response.data.files : undefined;
    const body = files?.length && (response.type === 4 || response.type === 7) ? { ...response, data: withFiles(response.data) } : response;
    const answer = await this.request<{ message: Message | null }>('POST', path, body, files);
    return answer.message;
  }

  /** Another message for the interaction, for 15 min after it (flags 64: only the invoker sees it); files too. */
  followUp(interaction: Pick<Interaction, 'application_id' | 'token'>, message: string | InteractionMessageInput): Promise<Message> {
    const input = typeof message === 'string' ? { content: message } : message;
    return this.request('POST', `/webhooks/${segment(interaction.application_id)}/${segment(interaction.token)}`, withFiles(input), input.files);
  }

  /**
   * Edits the first answer (`@original`, the default) or a follow-up; filling in a deferred answer ends its
   * "thinking". `files` adds files, `attachments` lists the ids of the files to keep (left out, all stay).
   */
  editReply(interaction: Pick<Interaction, 'application_id' | 'token'>, edit: string | MessageEdit, messageId = '@original'): Promise<Message> {
    const { suppressEmbeds, files, attachments, ...rest } = typeof edit === 'string' ? ({ content: edit } as MessageEdit) : edit;
    const kept = attachments === undefined ? {} : { attachments: [...attachments.map((id) => ({ id })), ...newAttachments(files ?? [], 0)] };
    const body = { ...rest, ...kept, ...(suppressEmbeds === undefined ? {} : { suppress_embeds: suppressEmbeds }) };
    const path = `/webhooks/${segment(interaction.application_id)}/${segment(interaction.token)}/messages/${segment(messageId)}`;
    return this.request('PATCH', path, body, files);
  }

  deleteReply(interaction: Pick<Interaction, 'application_id' | 'token'>, messageId = '@original'): Promise<void> {
    return this.request('DELETE', `/webhooks/${segment(interaction.application_id)}/${segment(interaction.token)}/messages/${segment(messageId)}`);
  }

  private onDispatch(t: string, d: unknown, s: number | null): void {
    if (t === 'READY') this.readyData = d as ReadyData;
    this.events.emit('dispatch', { t, d, s });
    // The server is the source of truth for payload shapes; the SDK passes them through as typed, unvalidated.
    // The application's INTERACTION_CREATE carries a token; the invoking person's own sessions get only {id, nonce}.
    if (t === 'INTERACTION_CREATE' && !(typeof d === 'object' && d !== null && 'token' in d))
      this.events.emit('interactionAck', d as HarmonyEvents['interactionAck']);
    else if (isDispatchName(t)) this.events.emit(DISPATCH_EVENTS[t], d as HarmonyEvents[(typeof DISPATCH_EVENTS)[typeof t]]);
    if (t === 'READY') this.settle(null, d as ReadyData);
  }

  private settle(error: Error | null, ready?: ReadyData): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    if (error) pending.reject(error);
    else if (ready) pending.resolve(ready);
  }

  private reportListenerError(error: unknown, event: HarmonyEventName): void {
    const wrapped = error instanceof Error ? error : new Error(String(error));
    // An `error` listener that throws must not feed itself: straight to the console.
    if (event === 'error') console.error(`HarmonyClient: an 'error' listener failed:`, wrapped);
    else this.emitError(wrapped);
  }

  /** Like Node's EventEmitter, an error nobody listens for is not lost; unlike it, it is logged, not thrown. */
  private emitError(error: Error): void {
    if (this.events.listenerCount('error') === 0) console.error('HarmonyClient:', error);
    else this.events.emit('error', error);
  }
}

function ignore(): void {}

/** Bytes as a data URI. The server decides the type from the bytes, so none is claimed here. */
function dataUri(image: ImageInput): string {
  if (typeof image === 'string') return image;
  const bytes = image instanceof Uint8Array ? image : new Uint8Array(image);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:application/octet-stream;base64,${btoa(binary)}`;
}

function segment(value: string): string {
  return encodeURIComponent(value);
}

function query(options: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(options)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** A message body without its files, naming them in `attachments` (files[n] parts go beside it). */
function withFiles<T extends { files?: readonly FileInput[] }>(input: T): Omit<T, 'files'> & { attachments?: ReturnType<typeof newAttachments> } {
  const { files, ...rest } = input;
  return files?.length ? { ...rest, attachments: newAttachments(files, 0) } : rest;
}

/** The `attachments` entries naming new files: the id is the n of their files[n] part. */
function newAttachments(files: readonly FileInput[], from: number): { id: string; filename: string; description?: string }[] {
  return files.map((f, i) => ({ id: String(from + i), filename: f.name, ...(f.description === undefined ? {} : { description: f.description }) }));
}
