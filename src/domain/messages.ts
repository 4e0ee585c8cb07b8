// Messages: send (with replies and mentions), history, edit, delete, bulk delete, pins,
// reactions and typing. Every action checks the caller's permissions in the channel first.
import { ChannelType, RESTJSONErrorCodes as Codes } from 'discord-api-types/v10';
import type { MessageSeen } from '../events/domain-events.ts';
import type { FileStore } from '../files/file-store.ts';
import { ApiError, FormErrors, invalidField, missingPermissions, unknown } from '../http/api-error.ts';
import type { AccessService } from './access.ts';
import {
  type Attachment,
  type AttachmentLimits,
  type AttachmentPlan,
  type AttachmentUrls,
  type AttachmentView,
  type NewAttachment,
  planAttachments,
  resolveAttachmentUrls,
  type Upload,
} from './attachments.ts';
import type { AuditLog } from './audit-log.ts';
import type { Channel } from './channels.ts';
import type { Clock } from './clock.ts';
import { type ActionRow, parseComponents } from './components.ts';
import type { DmPolicy } from './dm-policy.ts';
import { type Embed, parseEmbeds } from './embeds.ts';
import { type Emoji, emojiKey, parseEmoji } from './emoji.ts';
import { type Guild, SUPPRESS_JOIN_NOTIFICATIONS } from './guilds.ts';
import { parseMentions, parseRoleMentions } from './mentions.ts';
import type { Message, MessageInteraction, MessageView, ReactionCount, WebhookAuthor } from './model/message.ts';
import { ALL_PERMISSIONS, has, Permission, sendPermission } from './permissions.ts';
import type { AttachmentsRepo, ChannelsRepo, EmojisRepo, GuildsRepo, MessagesRepo, UsersRepo } from './ports/index.ts';
import type { Emit, UnitOfWork } from './ports/unit-of-work.ts';
import { type SnowflakeGenerator, snowflakeAt, snowflakeTime } from './snowflake.ts';
import { tombstone, type User } from './users.ts';

export type { Message, MessageInteraction, MessageView, ReactionCount, SystemMessageKind, WebhookAuthor } from './model/message.ts';

/** The user-shaped author every dialect shows for a webhook message: a bot with the webhook's id and the shown name. */
export function webhookUser(w: WebhookAuthor): User {
  return { ...tombstone(w.id, true), username: w.name, avatar: w.avatar, disabled: false, deleted: false };
}

/** An edit: what is absent stays; `content: null` empties the text (the message must keep something to show). */
export type MessageEdit = {
  content?: unknown;
  embeds?: unknown;
  components?: unknown;
  suppressEmbeds?: boolean;
  allowedMentions?: AllowedMentions;
  /** Discord's `attachments` list: the existing attachments to keep (absent: all), names for new uploads. */
  attachments?: unknown;
  /** New files (a multipart edit). */
  uploads?: readonly Upload[];
};

/**
 * Which mentions in the content may notify (Discord's allowed_mentions). Absent: every user mention and @everyone
 * (with MENTION_EVERYONE) count, and a reply does not mention its target's author — the v1 behaviour.
 */
export type AllowedMentions = {
  parse: readonly ('users' | 'roles' | 'everyone')[];
  users: readonly string[];
  roles: readonly string[];
  /** A reply mentions the author of the message it answers. */
  repliedUser: boolean;
};

/** How long a nonce with enforce_nonce dedupes a send (Discord documents "a few minutes"). */
export const NONCE_WINDOW_MS = 2 * 60 * 1000;

/** What posting in a thread also does (threads.ts): refuse a locked thread, unarchive, join the author, count. */
export interface ThreadActivity {
  checkPost(channel: Channel, permissions: bigint): void;
  /** `authorId` null for a webhook: it counts and unarchives but joins nobody. */
  recordPost(emit: Emit, channel: Channel, authorId: string | null, at: number): Promise<void>;
  recordDelete(channel: Channel): Promise<void>;
}

/** What sending a message does to read state, inside the send's transaction (read-states.ts). */
export interface MessageReadStates {
  recordMessage(emit: Emit, channel: Channel, message: Message, authorIsUser: boolean): Promise<void>;
}

export const CONTENT_MAX = 4000;
export const PAGE_MAX = 100;
export const REACTIONS_PER_MESSAGE_MAX = 20;
const BULK_DELETE_MAX_AGE = 14 * 24 * 3600 * 1000;

/** What hangs off a message as a write left it: its files when known (null: read them), and whether a thread or reactions do. */
type KnownLinks = { files: readonly Attachment[] | null; thread: boolean; reactions: boolean };

/** What a message shows: text, embeds, components. */
export type MessageBody = { content: string; embeds: Embed[]; components: ActionRow[] };

/** What the send and edit routes take besides the body: uploads, and Discord's `attachments` list. */
export type FilesInput = { uploads?: readonly Upload[]; attachments?: unknown };

/** Content, trimmed; '' when absent (a message may be only embeds or components). Problems go to `errors`. */
function readContent(content: unknown, errors: FormErrors): string {
  if (content === undefined || content === null) return '';
  if (typeof content !== 'string') {
    errors.add(['content'], 'BASE_TYPE_STRING', 'Must be a string.');
    return '';
  }
  const trimmed = content.trim();
  // Characters as people count them (code points), so 4000 emoji fit as well as 4000 letters.
  if (trimmed.length > CONTENT_MAX && [...trimmed].length > CONTENT_MAX)
    errors.add(['content'], 'BASE_TYPE_MAX_LENGTH', `Must be ${CONTENT_MAX} or fewer in length.`);
  return trimmed;
}

/**
 * Checks a message body as both bot dialects send it: `content`, `embeds` and `components` in Discord's
 * request shape. Every invalid field is one 50035; a body with nothing to show, not even one of its `files`, is
 * Discord's 50006. `undefined` embeds/components (only on edit) keep `current`'s.
 */
export function checkBody(input: BodyInput, current?: MessageBody, files = 0): MessageBody {
  const body = parseBody(input, current);
  if (files === 0 && showsNothing(body)) throw emptyMessage();
  return body;
}

type BodyInput = { content: unknown; embeds?: unknown; components?: unknown };

/** checkBody without the count of files: 50035 for every invalid field. */
function parseBody(input: BodyInput, current?: MessageBody): MessageBody {
  const errors = new FormErrors();
  const content = input.content === undefined && current ? current.content : readContent(input.content, errors);
  const embeds = input.embeds === undefined && current ? current.embeds : parseEmbeds(input.embeds, errors);
  const components = input.components === undefined && current ? current.components : parseComponents(input.components, errors);
  errors.throwIfAny();
  return { content, embeds, components };
}

/** Discord's 50006: a message with no text, embed, component or file. */
const emptyMessage = () => new ApiError(400, Codes.CannotSendAnEmptyMessage, 'Cannot send an empty message');

const showsNothing = (body: MessageBody) => body.content === '' && body.embeds.length === 0 && body.components.length === 0;

/** MANAGE_MESSAGES in a guild channel (a DM has no moderators): 403 50013 otherwise. */
function requireManage(channel: Channel, permissions: bigint): void {
  if (channel.guildId === null || !has(permissions, Permission.ManageMessages)) throw missingPermissions();
}

/** Embeds need EMBED_LINKS where they are posted, as on Discord (403 50013 otherwise). */
function requireEmbedLinks(embeds: readonly Embed[], permissions: bigint): void {
  if (embeds.length > 0 && !has(permissions, Permission.EmbedLinks)) throw missingPermissions();
}

export class MessageService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly messages: MessagesRepo,
    private readonly channels: ChannelsRepo,
    private readonly guilds: GuildsRepo,
    private readonly users: UsersRepo,
    private readonly emojis: EmojisRepo,
    private readonly access: AccessService,
    private readonly dmPolicy: DmPolicy,
    private readonly ids: SnowflakeGenerator,
    private readonly clock: Clock,
    private readonly threads: ThreadActivity,
    private readonly files: { attachments: AttachmentsRepo; store: FileStore; urls: AttachmentUrls; limits: AttachmentLimits },
    private readonly audit: AuditLog,
    /** Keeps read state and mention counts in step with each message sent (read-states.ts). */
    private readonly readStates?: MessageReadStates,
  ) {}

  /** Keyed by the message object the write returned, so only that request's answer finds it. */
  private readonly seenAtCommit = new WeakMap<Message, MessageSeen>();

  /**
   * What the write that returned a message knew hangs off it at its commit, so that the message's views read only the
   * rest: its files (null: read the rows), whether a thread was started from it, whether it has reactions. A message
   * this process inserted has the files it inserted and neither of the others (each is made by a later write).
   */
  private readonly known = new WeakMap<Message, KnownLinks>();

  /**
   * `enforceNonce`: a second send with the same nonce by the same author in this channel within NONCE_WINDOW_MS
   * returns the first message instead of creating another (Discord's enforce_nonce).
   */
  async send(
    channelId: string,
    authorId: string,
    input: {
      content: unknown;
      embeds?: unknown;
      components?: unknown;
      suppressEmbeds?: boolean;
      replyTo?: string | null;
      nonce?: string | null;
      allowedMentions?: AllowedMentions;
      enforceNonce?: boolean;
    } & FilesInput,
  ): Promise<Message> {
    const { channel, permissions } = await this.access.channel(channelId, authorId);
    if (!has(permissions, sendPermission(channel))) throw missingPermissions();
    this.threads.checkPost(channel, permissions);
    // An open DM is no standing permission: the recipient's setting is asked again (they may have left the shared guild).
    const recipientId = channel.type === ChannelType.DM ? channel.recipientIds.find((id) => id !== authorId) : undefined;
    if (recipientId) await this.dmPolicy.requireAllowed(authorId, recipientId);
    const { id, at } = this.ids.mint();
    const plan = this.planFiles({ id, channelId }, input, [], permissions);
    const { content, embeds, components } = checkBody(input, undefined, plan.attachments.length);
    requireEmbedLinks(embeds, permissions);
    let repliedAuthorId: string | null = null;
    if (input.replyTo) {
      const target = await this.messages.byId(input.replyTo);
      if (!target || target.channelId !== channelId)
        throw invalidField('message_reference', 'REPLIES_UNKNOWN_MESSAGE', 'Unknown message: replies must target a message in the same channel');
      if (!has(permissions, Permission.ReadMessageHistory)) throw missingPermissions();
      repliedAuthorId = target.authorId;
    }
    if (input.nonce != null && input.nonce.length > 25) throw invalidField('nonce', 'BASE_TYPE_MAX_LENGTH', 'Nonce must be at most 25 characters');
    const mentions = await this.resolveMentions(channel, content, permissions, authorId, input.allowedMentions, repliedAuthorId);
    return this.store(channel, {
      id,
      at,
      plan,
      authorId,
      body: { content, embeds, components },
      mentions,
      replyTo: input.replyTo ?? null,
      nonce: input.nonce ?? null,
      enforceNonce: input.enforceNonce === true,
      suppressEmbeds: input.suppressEmbeds ?? false,
      webhook: null,
    });
  }

  /**
   * A message posted by a webhook (whose token the caller already proved): no member, no permission check, as on
   * Discord — a webhook may embed links and mention @everyone (allowed_mentions narrows it). Only guild channels.
   */
  async sendAsWebhook(
    channelId: string,
    author: WebhookAuthor,
    input: { content: unknown; embeds?: unknown; components?: unknown; suppressEmbeds?: boolean; allowedMentions?: AllowedMentions } & FilesInput,
  ): Promise<Message> {
    const channel = await this.channels.byId(channelId);
    if (!channel || channel.guildId === null) throw unknown.channel();
    const { id, at } = this.ids.mint();
    const plan = this.planFiles({ id, channelId }, input, [], ALL_PERMISSIONS);
    const body = checkBody(input, undefined, plan.attachments.length);
    const mentions = await this.resolveMentions(channel, body.content, ALL_PERMISSIONS, author.id, input.allowedMentions);
    return this.store(channel, {
      id,
      at,
      plan,
      authorId: author.id,
      body,
      mentions,
      replyTo: null,
      nonce: null,
      enforceNonce: false,
      suppressEmbeds: input.suppressEmbeds ?? false,
      webhook: author,
    });
  }

  /**
   * An interaction's answer or follow-up, posted as the application's bot. Like a webhook's, the token is the
   * credential: no permission check (Discord lets a command answer where the bot could not post). A deferred answer
   * (`interaction.loading`) is the empty "thinking" message that the bot's edit fills in later.
   */
  async sendForInteraction(
    channelId: string,
    authorId: string,
    input: { content: unknown; embeds?: unknown; components?: unknown; suppressEmbeds?: boolean; allowedMentions?: AllowedMentions } & FilesInput,
    interaction: MessageInteraction,
  ): Promise<Message> {
    const channel = await this.channels.byId(channelId);
    if (!channel) throw unknown.channel();
    const { id, at } = this.ids.mint();
    const plan = this.planFiles({ id, channelId }, interaction.loading ? {} : input, [], ALL_PERMISSIONS);
    const body = interaction.loading ? { content: '', embeds: [], components: [] } : checkBody(input, undefined, plan.attachments.length);
    const mentions = await this.resolveMentions(channel, body.content, await this.answerPermissions(channel, authorId), authorId, input.allowedMentions);
    return this.store(channel, {
      id,
      at,
      plan,
      authorId,
      body,
      mentions,
      replyTo: interaction.interactedMessageId,
      nonce: null,
      enforceNonce: false,
      suppressEmbeds: input.suppressEmbeds ?? false,
      webhook: null,
      interaction,
    });
  }

  /** Edits an interaction's message (the token proved the right to); answering a deferred one ends its loading state. */
  async editForInteraction(message: Message, changes: MessageEdit): Promise<Message> {
    const channel = await this.channels.byId(message.channelId);
    if (!channel) throw unknown.message();
    const loading = message.interaction?.loading === true;
    const interaction = message.interaction && loading ? { ...message.interaction, loading: false } : (message.interaction ?? null);
    const current = { ...message, interaction };
    const edited = await this.applyEdit(current, channel, await this.answerPermissions(channel, message.authorId), message.authorId, changes);
    // The loading state ends only with an edit that was accepted; when nothing else changed, everyone still sees it end.
    if (loading) {
      await this.uow.write(async (emit) => {
        await this.messages.setInteraction(message.id, interaction);
        if (edited === current) emit({ type: 'message.update', message: current });
      });
    }
    return edited;
  }

  /**
   * What an interaction's answer may do: embed links as a webhook may, but notify @everyone only when the
   * application itself holds MENTION_EVERYONE there (a person running a command must not borrow that right).
   */
  private async answerPermissions(channel: Channel, applicationId: string): Promise<bigint> {
    return (await this.access.permissionsIn(channel, applicationId)) | Permission.EmbedLinks;
  }

  /** Deletes an interaction's message (its token proved the right to). */
  async deleteForInteraction(message: Message): Promise<void> {
    await this.uow.write(async (emit) => {
      await this.messages.delete(message.id);
      emit({ type: 'message.delete', id: message.id, channelId: message.channelId, guildId: message.guildId });
    });
  }

  /** One message a webhook posted; any other message (or one in no channel any more) is a 10008 to it. */
  async webhookMessage(webhookId: string, messageId: string): Promise<Message> {
    const message = await this.messages.byId(messageId);
    if (!message || message.webhook?.id !== webhookId) throw unknown.message();
    return message;
  }

  /** A webhook edits its own message: the body rules of `edit`, with a webhook's freedom (no permission checks). */
  async editAsWebhook(webhookId: string, messageId: string, changes: MessageEdit): Promise<Message> {
    const message = await this.webhookMessage(webhookId, messageId);
    const channel = await this.channels.byId(message.channelId);
    if (!channel) throw unknown.message();
    return this.applyEdit(message, channel, ALL_PERMISSIONS, webhookId, changes);
  }

  async deleteAsWebhook(webhookId: string, messageId: string): Promise<void> {
    const message = await this.webhookMessage(webhookId, messageId);
    await this.uow.write(async (emit) => {
      await this.messages.delete(messageId);
      emit({ type: 'message.delete', id: messageId, channelId: message.channelId, guildId: message.guildId });
    });
  }

  /**
   * Writes a checked message with its new files and announces it; with `enforceNonce`, a recent send with the same
   * nonce is returned instead (and the files it brought are removed again).
   */
  private store(
    channel: Channel,
    input: {
      id: string;
      at: number;
      plan: AttachmentPlan;
      authorId: string;
      body: MessageBody;
      mentions: { userIds: string[]; everyone: boolean; roleIds?: string[] };
      replyTo: string | null;
      nonce: string | null;
      enforceNonce: boolean;
      suppressEmbeds: boolean;
      webhook: WebhookAuthor | null;
      interaction?: MessageInteraction | null;
    },
  ): Promise<Message> {
    const channelId = channel.id;
    return this.withFiles(input.plan.added, () =>
      this.uow.write(async (emit) => {
        if (input.enforceNonce && input.nonce != null) {
          const since = snowflakeAt(this.clock.now() - NONCE_WINDOW_MS);
          const earlier = await this.messages.byNonce(channelId, input.authorId, input.nonce, since);
          if (earlier) return { result: earlier, stored: false };
        }
        const message: Message = {
          id: input.id,
          channelId,
          guildId: channel.guildId,
          authorId: input.authorId,
          ...input.body,
          replyTo: input.replyTo,
          mentionEveryone: input.mentions.everyone,
          mentions: input.mentions.userIds,
          mentionRoles: input.mentions.roleIds ?? [],
          pinned: false,
          nonce: input.nonce,
          suppressEmbeds: input.suppressEmbeds,
          editedAt: null,
          createdAt: input.at,
          webhook: input.webhook,
          interaction: input.interaction ?? null,
        };
        await this.messages.insert(message);
        if (message.interaction) await this.messages.setInteraction(message.id, message.interaction);
        for (const a of input.plan.attachments) await this.files.attachments.insert(a);
        // As the attachment rows read them back: a stored message's files are served as its own.
        this.known.set(message, { files: input.plan.attachments.map(({ interactionId: _, ...stored }) => stored), thread: false, reactions: false });
        await this.readStates?.recordMessage(emit, channel, message, input.webhook === null);
        await this.threads.recordPost(emit, channel, input.webhook ? null : input.authorId, input.at);
        emit({ type: 'message.create', message });
        return { result: message, stored: true };
      }),
    );
  }

  /**
   * "X joined the server": a message authored by the new member in the guild's system channel, inside the join's
   * transaction. Nothing when the guild has no system channel or suppresses join notifications.
   */
  async announceJoin(emit: Emit, guild: Guild, userId: string): Promise<void> {
    if (!guild.systemChannelId || ((guild.systemChannelFlags ?? 0) & SUPPRESS_JOIN_NOTIFICATIONS) !== 0) return;
    const channel = await this.channels.byId(guild.systemChannelId);
    if (!channel || channel.guildId !== guild.id) return;
    const { id, at } = this.ids.mint();
    const message: Message = {
      id,
      channelId: channel.id,
      guildId: guild.id,
      authorId: userId,
      content: '',
      embeds: [],
      components: [],
      replyTo: null,
      mentionEveryone: false,
      mentions: [],
      mentionRoles: [],
      pinned: false,
      nonce: null,
      suppressEmbeds: false,
      editedAt: null,
      createdAt: at,
      webhook: null,
      interaction: null,
      system: 'join',
    };
    await this.messages.insert(message);
    await this.messages.setSystem(message.id, 'join');
    this.known.set(message, { files: [], thread: false, reactions: false });
    // The new member did not write it: it is not marked read for them as their own messages are.
    await this.readStates?.recordMessage(emit, channel, message, false);
    emit({ type: 'message.create', message });
  }

  async list(channelId: string, userId: string, options: { limit: number; before?: string; after?: string; around?: string }): Promise<Message[]> {
    await this.readable(channelId, userId);
    return this.messages.list(channelId, options);
  }

  async get(channelId: string, userId: string, messageId: string): Promise<Message> {
    return (await this.locate(messageId, userId, channelId)).message;
  }

  /** Finds a message by id alone (v1 routes are /messages/:id) and checks the caller can read it. */
  async find(messageId: string, userId: string): Promise<Message> {
    return (await this.locate(messageId, userId)).message;
  }

  /**
   * The message, checked readable by the caller: by id alone (v1 routes are /messages/:id), or in the channel a
   * Discord route names, which is checked first as a read of the message would (10003 before 10008). With the
   * caller's channel and permissions there, which the check has worked out anyway.
   */
  private async locate(messageId: string, userId: string, channelId?: string) {
    if (channelId === undefined) {
      const message = await this.messages.byId(messageId);
      if (!message) throw unknown.message();
      return { message, ...(await this.access.requireChannelPermission(message.channelId, userId, Permission.ReadMessageHistory)) };
    }
    const access = await this.access.requireChannelPermission(channelId, userId, Permission.ReadMessageHistory);
    const message = await this.messages.byId(messageId);
    if (!message || message.channelId !== channelId) throw unknown.message();
    return { message, ...access };
  }

  /**
   * The author may change the body (`undefined` parts stay as they are; `embeds`/`components` replace the
   * stored ones, `null` or [] clears them) and SUPPRESS_EMBEDS. Anyone else may only toggle SUPPRESS_EMBEDS,
   * with MANAGE_MESSAGES, as on Discord. Only a body change sets editedAt.
   */
  async edit(messageId: string, userId: string, changes: MessageEdit, channelId?: string): Promise<Message> {
    const { message, channel, permissions } = await this.locate(messageId, userId, channelId);
    // The server wrote it: nobody edits it, its author included (Discord answers 50021).
    if (message.system) throw new ApiError(403, Codes.CannotExecuteActionOnSystemMessage, 'Cannot execute action on a system message');
    const fileChanges = changes.attachments !== undefined || (changes.uploads?.length ?? 0) > 0;
    const bodyChanges = changes.content !== undefined || changes.embeds !== undefined || changes.components !== undefined || fileChanges;
    if (message.authorId !== userId) {
      if (bodyChanges || changes.suppressEmbeds === undefined)
        throw new ApiError(403, Codes.CannotEditMessageAuthoredByAnotherUser, 'Cannot edit a message authored by another user');
      requireManage(channel, permissions);
    }
    return this.applyEdit(message, channel, permissions, userId, changes);
  }

  /** Checks and writes an edit by `actorId` (the author, or a moderator toggling SUPPRESS_EMBEDS) holding `permissions`. */
  private async applyEdit(message: Message, channel: Channel, permissions: bigint, actorId: string, changes: MessageEdit): Promise<Message> {
    const fileChanges = changes.attachments !== undefined || (changes.uploads?.length ?? 0) > 0;
    const bodyChanges = changes.content !== undefined || changes.embeds !== undefined || changes.components !== undefined || fileChanges;
    let updated: Message = { ...message, suppressEmbeds: changes.suppressEmbeds ?? message.suppressEmbeds };
    let plan: AttachmentPlan | null = null;
    if (bodyChanges) {
      const stored = () => this.files.attachments.forMessage(message.id);
      plan = fileChanges ? this.planFiles({ id: message.id, channelId: message.channelId }, changes, await stored(), permissions) : null;
      const body = parseBody({ content: changes.content === null ? '' : changes.content, embeds: changes.embeds, components: changes.components }, message);
      // The files kept count only for an edit that leaves nothing else to show (most edits read none).
      if (showsNothing(body) && (plan ? plan.attachments.length : (await stored()).length) === 0) throw emptyMessage();
      if (changes.embeds !== undefined) requireEmbedLinks(body.embeds, permissions);
      const repliedAuthorId = message.replyTo ? ((await this.messages.byId(message.replyTo))?.authorId ?? null) : null;
      const mentions = await this.resolveMentions(channel, body.content, permissions, actorId, changes.allowedMentions, repliedAuthorId);
      updated = {
        ...updated,
        ...body,
        mentions: mentions.userIds,
        mentionRoles: mentions.roleIds,
        mentionEveryone: mentions.everyone,
        editedAt: this.clock.now(),
      };
    } else if (updated.suppressEmbeds === message.suppressEmbeds) {
      return Promise.resolve(message);
    }
    const attachments = plan?.attachments;
    return this.withFiles(plan?.added ?? [], () =>
      this.uow.write(async (emit) => {
        const links = await this.messages.update(updated);
        if (!links) throw unknown.message();
        if (attachments) await this.files.attachments.replace(message.id, attachments);
        // Replaced files are read back as rows; kept ones are read only when there are some.
        this.known.set(updated, { ...links, files: links.files || attachments !== undefined ? null : [] });
        emit(attachments ? { type: 'message.update', message: updated, filesRemoved: true } : { type: 'message.update', message: updated });
        return { result: updated, stored: true };
      }),
    );
  }

  /** The author, or anyone with MANAGE_MESSAGES in the channel. */
  async delete(messageId: string, userId: string, channelId?: string): Promise<Message> {
    const { message, channel, permissions } = await this.locate(messageId, userId, channelId);
    if (message.authorId !== userId) requireManage(channel, permissions);
    await this.uow.write(async (emit) => {
      await this.messages.delete(messageId);
      await this.threads.recordDelete(channel);
      // Deleting your own message is not moderation; deleting someone else's is (Discord logs only that).
      if (message.guildId !== null && message.authorId !== userId) {
        const options = { channelId: message.channelId, count: 1 };
        await this.audit.record(emit, { guildId: message.guildId, actorId: userId, action: 'message.delete', targetId: message.authorId, options });
      }
      emit({ type: 'message.delete', id: messageId, channelId: message.channelId, guildId: message.guildId });
    });
    return message;
  }

  async bulkDelete(channelId: string, userId: string, messageIds: string[]): Promise<void> {
    await this.requireManageMessages(channelId, userId);
    const unique = [...new Set(messageIds)];
    if (unique.length < 2 || unique.length > 100) throw invalidField('messages', 'BASE_TYPE_BAD_LENGTH', 'Provide 2 to 100 message ids');
    const cutoff = this.clock.now() - BULK_DELETE_MAX_AGE;
    if (unique.some((id) => snowflakeTime(id) < cutoff))
      throw new ApiError(400, Codes.OneOfTheMessagesProvidedWasTooOldForBulkDelete, 'You can only bulk delete messages that are under 14 days old.');
    await this.uow.write(async (emit) => {
      const deleted: string[] = [];
      for (const id of unique) {
        const message = await this.messages.byId(id);
        if (message && message.channelId === channelId) {
          await this.messages.delete(id);
          deleted.push(id);
        }
      }
      const channel = await this.channels.byId(channelId);
      if (channel) for (const _ of deleted) await this.threads.recordDelete(channel);
      if (deleted.length > 0 && channel?.guildId) {
        await this.audit.record(emit, {
          guildId: channel.guildId,
          actorId: userId,
          action: 'message.bulk_delete',
          targetId: channelId,
          options: { count: deleted.length },
        });
      }
      if (deleted.length > 0) emit({ type: 'message.delete_bulk', ids: deleted, channelId, guildId: channel?.guildId ?? null });
    });
  }

  async pin(channelId: string, userId: string, messageId: string, pinned: boolean): Promise<void> {
    await this.requireManageMessages(channelId, userId);
    const message = await this.messages.byId(messageId);
    if (!message || message.channelId !== channelId) throw unknown.message();
    if (message.pinned === pinned) return;
    await this.uow.write(async (emit) => {
      await this.messages.setPinned(messageId, pinned);
      if (message.guildId !== null) {
        const options = { channelId, messageId };
        await this.audit.record(emit, {
          guildId: message.guildId,
          actorId: userId,
          action: pinned ? 'message.pin' : 'message.unpin',
          targetId: message.authorId,
          options,
        });
      }
      emit({ type: 'message.update', message: { ...message, pinned } });
    });
  }

  async pins(channelId: string, userId: string): Promise<Message[]> {
    await this.readable(channelId, userId);
    return this.messages.pinned(channelId);
  }

  // ---- reactions ----

  /** Idempotent. A new emoji on the message needs ADD_REACTIONS; joining an existing one does not. */
  async react(messageId: string, userId: string, rawEmoji: string, channelId?: string): Promise<void> {
    const { message, permissions } = await this.locate(messageId, userId, channelId);
    const key = emojiKey(await this.usableEmoji(await this.emoji(rawEmoji), message.guildId, userId, permissions));
    const counts = (await this.messages.reactionCounts([messageId], userId)).get(messageId) ?? [];
    const existing = counts.find((c) => c.emoji === key);
    if (!existing && !has(permissions, Permission.AddReactions)) throw missingPermissions();
    if (!existing && counts.length >= REACTIONS_PER_MESSAGE_MAX)
      throw new ApiError(400, Codes.MaximumNumberOfReactionsReached, `Maximum number of reactions reached (${REACTIONS_PER_MESSAGE_MAX})`);
    await this.uow.write(async (emit) => {
      if (await this.messages.addReaction(messageId, key, userId, this.clock.now())) {
        emit({
          type: 'reaction.add',
          messageId,
          channelId: message.channelId,
          guildId: message.guildId,
          userId,
          emoji: key,
          messageAuthorId: message.authorId,
        });
      }
    });
  }

  /** Removes `targetId`'s reaction: your own always, anyone else's with MANAGE_MESSAGES. Idempotent. */
  async unreact(messageId: string, userId: string, rawEmoji: string, targetId: string = userId, channelId?: string): Promise<void> {
    // A Discord route's channel and message are checked before the emoji; a v1 route checks the emoji first.
    const located = channelId === undefined ? undefined : await this.locate(messageId, userId, channelId);
    const emoji = await this.emoji(rawEmoji);
    const { message, channel, permissions } = located ?? (await this.locate(messageId, userId));
    if (targetId !== userId) requireManage(channel, permissions);
    const key = emojiKey(emoji);
    await this.uow.write(async (emit) => {
      if (await this.messages.removeReaction(messageId, key, targetId)) {
        emit({ type: 'reaction.remove', messageId, channelId: message.channelId, guildId: message.guildId, userId: targetId, emoji: key });
      }
    });
  }

  /** Removes every reaction from a message, or every reaction with one emoji: MANAGE_MESSAGES. */
  async clearReactions(messageId: string, userId: string, rawEmoji?: string, channelId?: string): Promise<void> {
    const located = channelId === undefined ? undefined : await this.locate(messageId, userId, channelId);
    const key = rawEmoji === undefined ? null : emojiKey(await this.emoji(rawEmoji));
    const { message, channel, permissions } = located ?? (await this.locate(messageId, userId));
    requireManage(channel, permissions);
    await this.uow.write(async (emit) => {
      // One reaction.remove per removed reaction keeps every dialect's view of the counts exact with the events it has.
      for (const removed of await this.messages.clearReactions(messageId, key)) {
        emit({ type: 'reaction.remove', messageId, channelId: message.channelId, guildId: message.guildId, userId: removed.userId, emoji: removed.emoji });
      }
    });
  }

  async reactionUsers(messageId: string, userId: string, rawEmoji: string, options: { limit: number; after?: string }): Promise<User[]> {
    const emoji = await this.emoji(rawEmoji);
    await this.find(messageId, userId);
    const ids = await this.messages.reactionUsers(messageId, emojiKey(emoji), options.limit, options.after ?? '0');
    const users = await this.users.byIds(ids);
    return ids.flatMap((id) => users.get(id) ?? []);
  }

  async typing(channelId: string, userId: string): Promise<void> {
    const { channel, permissions } = await this.access.channel(channelId, userId);
    if (!has(permissions, sendPermission(channel))) throw missingPermissions();
    await this.uow.write(async (emit) => emit({ type: 'typing.start', channelId, guildId: channel.guildId, userId, at: this.clock.now() }));
  }

  /**
   * Remembers the view read at commit for a message sent or edited through this process (event-views.ts), for the
   * answer to the request that wrote it.
   */
  rememberSeen(message: Message, seen: MessageSeen): void {
    this.seenAtCommit.set(message, seen);
  }

  /**
   * The view read at commit for a message just sent or edited, as `viewerId` sees it. It is the same for every viewer
   * but for reactions: a new message (one this process inserted) has none yet, an edited one's, when its edit found
   * some, are read now with the viewer's own marked. A reply is left out: the message it replies to is shown with the
   * viewer's own reactions marked.
   */
  async seenBy(message: Message, viewerId: string | null): Promise<MessageSeen | undefined> {
    const seen = message.replyTo === null ? this.seenAtCommit.get(message) : undefined;
    if (!seen || this.known.get(message)?.reactions === false || viewerId === null) return seen;
    const reactions = (await this.messages.reactionCounts([message.id], viewerId)).get(message.id) ?? [];
    return { ...seen, view: { ...seen.view, reactions } };
  }

  /** Authors, mentioned users, reaction counts (as seen by `viewerId`) and replied-to messages. */
  async views(messages: readonly Message[], viewerId: string | null, depth = 1): Promise<MessageView[]> {
    const users = await this.users.byIds(
      messages.flatMap((m) => [...(m.webhook ? m.mentions : [m.authorId, ...m.mentions]), ...(m.interaction ? [m.interaction.userId] : [])]),
    );
    // What the write that returned a message did not already tell (see `known`).
    const unknownOf = (open: (links: KnownLinks) => boolean) =>
      messages.flatMap((m) => {
        const links = this.known.get(m);
        return !links || open(links) ? [m.id] : [];
      });
    const withFiles = unknownOf((links) => links.files === null);
    const withReactions = viewerId ? unknownOf((links) => links.reactions) : [];
    const withThreads = unknownOf((links) => links.thread);
    const files = withFiles.length > 0 ? await this.files.attachments.forMessages(withFiles) : new Map<string, Attachment[]>();
    const reactions = viewerId && withReactions.length > 0 ? await this.messages.reactionCounts(withReactions, viewerId) : new Map<string, ReactionCount[]>();
    const threads = withThreads.length > 0 ? await this.channels.threadsStartedFrom(withThreads) : new Map<string, Channel>();
    // The replied-to messages, viewed in one batch.
    const referenced = new Map<string, MessageView>();
    if (depth > 0) {
      const replied: Message[] = [];
      for (const m of messages) {
        const reply = m.replyTo ? await this.messages.byId(m.replyTo) : null;
        if (reply) replied.push(reply);
      }
      if (replied.length > 0) for (const v of await this.views(replied, viewerId, depth - 1)) referenced.set(v.message.id, v);
    }
    return messages.map((message) => {
      const author = message.webhook ? webhookUser(message.webhook) : (users.get(message.authorId) ?? tombstone(message.authorId));
      const attachments = (files.get(message.id) ?? this.known.get(message)?.files ?? message.files ?? []).map(
        (a): AttachmentView => ({ ...a, url: this.files.urls.url(a) }),
      );
      return {
        message: attachments.length > 0 ? { ...message, embeds: resolveAttachmentUrls(message.embeds, attachments) } : message,
        attachments,
        author,
        mentions: message.mentions.flatMap((id) => users.get(id) ?? []),
        reactions: reactions.get(message.id) ?? [],
        referenced: (depth > 0 && message.replyTo && referenced.get(message.replyTo)) || null,
        thread: threads.get(message.id) ?? null,
        ...(message.interaction ? { interactionUser: users.get(message.interaction.userId) ?? tombstone(message.interaction.userId) } : {}),
      };
    });
  }

  async view(message: Message, viewerId: string | null): Promise<MessageView> {
    const seen = await this.seenBy(message, viewerId);
    if (seen) return seen.view;
    return (await this.views([message], viewerId))[0] as MessageView;
  }

  /** The message's attachments after this request; new files need ATTACH_FILES (403 50013 without it). */
  private planFiles(message: { id: string; channelId: string }, input: FilesInput, existing: readonly Attachment[], permissions: bigint): AttachmentPlan {
    const uploads = input.uploads ?? [];
    if (uploads.length > 0 && !has(permissions, Permission.AttachFiles)) throw missingPermissions();
    return planAttachments({
      messageId: message.id,
      channelId: message.channelId,
      uploads,
      entries: input.attachments,
      existing,
      limits: this.files.limits,
      mintId: () => this.ids.mint().id,
    });
  }

  /**
   * Stores the new files, then runs the write; when the write fails, or stores nothing (a deduplicated nonce), the
   * files are removed again, so a refused request leaves neither a row nor a file.
   */
  private async withFiles<T>(added: readonly NewAttachment[], write: () => Promise<{ result: T; stored: boolean }>): Promise<T> {
    const written: string[] = [];
    try {
      for (const { attachment, bytes } of added) {
        written.push(attachment.fileKey);
        await this.files.store.put(attachment.fileKey, bytes);
      }
      const { result, stored } = await write();
      if (!stored) await this.removeFiles(written);
      return result;
    } catch (error) {
      await this.removeFiles(written);
      throw error;
    }
  }

  private async removeFiles(keys: readonly string[]): Promise<void> {
    for (const key of keys) await this.files.store.delete(key).catch(() => undefined);
  }

  /**
   * The emoji named in a URL. A custom one is identified by its id: the stored name and animation win over the
   * URL's, so `name:id` and `a:name:id` mean the same reaction (one deleted since keeps the URL's form).
   */
  private async emoji(raw: string): Promise<Emoji> {
    const emoji = parseEmoji(raw);
    if (!emoji) throw unknown.emoji();
    const stored = emoji.id ? await this.emojis.byId(emoji.id) : null;
    return stored ? { name: stored.name, id: stored.id, animated: stored.animated } : emoji;
  }

  /**
   * A custom emoji may be added as a reaction when it exists, and, when it belongs to another guild than the
   * message's (or the message is a DM), the reactor is in that guild and, in a guild channel, has USE_EXTERNAL_EMOJIS;
   * one limited to roles needs one of them.
   */
  private async usableEmoji(emoji: Emoji, guildId: string | null, userId: string, permissions: bigint): Promise<Emoji> {
    if (!emoji.id) return emoji;
    const stored = await this.emojis.byId(emoji.id);
    if (!stored) throw unknown.emoji();
    const member = await this.guilds.member(stored.guildId, userId);
    if (stored.guildId !== guildId) {
      if (!member) throw unknown.emoji();
      if (guildId !== null && !has(permissions, Permission.UseExternalEmojis)) throw missingPermissions();
    }
    // An emoji limited to some roles is for the members holding one of them (the owner too, as on Discord).
    const guild = await this.guilds.guild(stored.guildId);
    if (stored.roleIds.length > 0 && guild?.ownerId !== userId && !member?.roleIds.some((r) => stored.roleIds.includes(r))) throw missingPermissions();
    return emoji;
  }

  private async readable(channelId: string, userId: string): Promise<Channel> {
    return (await this.access.requireChannelPermission(channelId, userId, Permission.ReadMessageHistory)).channel;
  }

  private async requireManageMessages(channelId: string, userId: string): Promise<void> {
    const { channel, permissions } = await this.access.channel(channelId, userId);
    requireManage(channel, permissions);
  }

  /**
   * Mentions count only for users who can be reached here; @everyone needs MENTION_EVERYONE. `allowed` narrows
   * both, and with repliedUser adds the replied-to author (never the sender).
   */
  private async resolveMentions(
    channel: Channel,
    content: string,
    permissions: bigint,
    authorId: string,
    allowed?: AllowedMentions,
    repliedAuthorId: string | null = null,
  ): Promise<{ userIds: string[]; everyone: boolean; roleIds: string[] }> {
    const parsed = parseMentions(content);
    let candidates = allowed ? parsed.userIds.filter((id) => allowed.parse.includes('users') || allowed.users.includes(id)) : parsed.userIds;
    if (allowed?.repliedUser && repliedAuthorId && repliedAuthorId !== authorId && !candidates.includes(repliedAuthorId))
      candidates = [...candidates, repliedAuthorId];
    const userIds: string[] = [];
    for (const id of candidates)
      if (channel.guildId === null ? channel.recipientIds.includes(id) : (await this.guilds.member(channel.guildId, id)) !== null) userIds.push(id);
    const mayMentionAll = has(permissions, Permission.MentionEveryone);
    const everyone = parsed.everyone && mayMentionAll && (!allowed || allowed.parse.includes('everyone'));
    // A role notifies when it is mentionable or the author may mention everyone (Discord's rule), and is allowed.
    const guildId = channel.guildId;
    const roleIds: string[] = [];
    if (guildId !== null)
      for (const roleId of parseRoleMentions(content)) {
        if (allowed && !allowed.parse.includes('roles') && !allowed.roles.includes(roleId)) continue;
        const role = await this.guilds.role(guildId, roleId);
        if (role !== null && roleId !== guildId && (role.mentionable || mayMentionAll)) roleIds.push(roleId);
      }
    return { userIds, everyone, roleIds };
  }
}
