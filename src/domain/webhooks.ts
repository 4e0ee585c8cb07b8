// Incoming webhooks: a name, an avatar and a secret URL that posts into one guild channel without an account.
// Managed by members with MANAGE_WEBHOOKS; used by whoever holds the token. The token is 51 random bytes
// (68 base64url characters, Discord's length), shown once at creation and kept only as a SHA-256 digest.
import { timingSafeEqual } from 'node:crypto';
import { RESTJSONErrorCodes as Codes } from 'discord-api-types/v10';
import type { FileStore } from '../files/file-store.ts';
import { ApiError, FormErrors, invalidField, unknown } from '../http/api-error.ts';
import type { AccessService } from './access.ts';
import { type AuditLog, type AuditValue, created, diff, removed } from './audit-log.ts';
import type { Channel } from './channels.ts';
import type { Clock } from './clock.ts';
import { type ImageUpload, prepareProfileImage, storedImage } from './images.ts';
import type { AllowedMentions, FilesInput, Message, MessageEdit, MessageService } from './messages.ts';
import type { Webhook } from './model/webhook.ts';
import { Permission } from './permissions.ts';
import type { ChannelsRepo, ImagesRepo, WebhooksRepo } from './ports/index.ts';
import type { UnitOfWork } from './ports/unit-of-work.ts';
import type { SnowflakeGenerator } from './snowflake.ts';
import { tokenDigest } from './tokens.ts';

export type { Webhook } from './model/webhook.ts';

/** Discord's limit: 15 webhooks per channel. */
export const WEBHOOKS_PER_CHANNEL_MAX = 15;
export const WEBHOOK_NAME_MAX = 80;
/** What Discord's docs say a webhook name may not contain, in any case. */
const RESERVED_WORDS = ['clyde', 'discord'];

/** What an execute may carry beyond a message body. */
export type ExecuteInput = {
  content: unknown;
  embeds?: unknown;
  components?: unknown;
  suppressEmbeds?: boolean;
  allowedMentions?: AllowedMentions;
  /** Shown instead of the webhook's name on this message only. */
  username?: string;
  /** Shown instead of the webhook's avatar on this message only (http or https). */
  avatarUrl?: string;
  threadId?: string;
  threadName?: string;
} & FilesInput;

export function newWebhookToken(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(51))).toString('base64url');
}

/** A webhook name or a send's username: 1-80 characters once trimmed, without "clyde" or "discord" in it (any case). */
export function checkWebhookName(value: unknown, field: string, errors: FormErrors): string {
  if (typeof value !== 'string') {
    errors.add([field], 'BASE_TYPE_STRING', 'Must be a string.');
    return '';
  }
  const name = value.trim();
  if (name.length < 1 || [...name].length > WEBHOOK_NAME_MAX)
    errors.add([field], 'BASE_TYPE_BAD_LENGTH', `Must be between 1 and ${WEBHOOK_NAME_MAX} in length.`);
  else {
    const word = RESERVED_WORDS.find((w) => name.toLowerCase().includes(w));
    if (word) errors.add([field], 'WEBHOOK_INVALID_NAME', `Webhook names cannot contain "${word}".`);
  }
  return name;
}

/**
 * Stores an avatar sent as a data URI (`data:image/png;base64,...`) and returns its content hash; null clears it.
 * Only real PNG, JPEG, GIF or WebP bytes are kept, whatever the URI claims. Kept in one place so it can move to the
 * avatar store images share.
 */
/** A webhook's avatar, like a person's: a data URI checked by its bytes and stored content-addressed; null clears it. */
async function webhookAvatar(files: FileStore, value: unknown): Promise<ImageUpload | null> {
  if (value === null) return null;
  if (typeof value !== 'string') throw invalidField('avatar', 'IMAGE_INVALID', 'Invalid image data');
  return (await prepareProfileImage('avatar', value, files)) ?? null;
}

function checkAvatarUrl(value: string, errors: FormErrors): void {
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {}
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || value.length > 2048)
    errors.add(['avatar_url'], 'URL_TYPE_INVALID_URL', 'Not a well formed URL.');
}

const sameDigest = (a: Uint8Array, b: Uint8Array) => a.length === b.length && timingSafeEqual(a, b);

export class WebhookService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly webhooks: WebhooksRepo,
    private readonly channels: ChannelsRepo,
    private readonly access: AccessService,
    private readonly messages: MessageService,
    private readonly files: FileStore,
    private readonly images: ImagesRepo,
    private readonly ids: SnowflakeGenerator,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  /** MANAGE_WEBHOOKS in a guild text channel; at most 15 per channel. Returns the token, which is never shown again. */
  async create(channelId: string, userId: string, input: { name: unknown; avatar?: unknown }): Promise<{ webhook: Webhook; token: string }> {
    const channel = await this.managedChannel(channelId, userId);
    const errors = new FormErrors();
    const name = checkWebhookName(input.name, 'name', errors);
    errors.throwIfAny();
    await this.requireRoom(channel.id);
    const upload = input.avatar === undefined ? null : await webhookAvatar(this.files, input.avatar);
    const token = newWebhookToken();
    return this.uow.write(async (emit) => {
      // Again inside the write: another create may have taken the last place while the avatar was stored.
      await this.requireRoom(channel.id);
      const { id, at } = this.ids.mint();
      if (upload) await this.images.insert('avatar', id, storedImage(upload), at);
      const webhook: Webhook = {
        id,
        guildId: channel.guildId as string,
        channelId: channel.id,
        creatorId: userId,
        name,
        avatar: upload?.hash ?? null,
        createdAt: at,
      };
      await this.webhooks.insert(webhook, tokenDigest(token));
      await this.audit.record(emit, {
        guildId: webhook.guildId,
        actorId: userId,
        action: 'webhook.create',
        targetId: id,
        changes: created(webhookFields(webhook)),
      });
      emit({ type: 'webhooks.update', guildId: webhook.guildId, channelId: webhook.channelId });
      return { webhook, token };
    });
  }

  async ofChannel(channelId: string, userId: string): Promise<Webhook[]> {
    return this.webhooks.ofChannel((await this.managedChannel(channelId, userId)).id);
  }

  /** MANAGE_WEBHOOKS in the guild. */
  async ofGuild(guildId: string, userId: string): Promise<Webhook[]> {
    await this.access.requireGuildPermission(guildId, userId, Permission.ManageWebhooks);
    return this.webhooks.ofGuild(guildId);
  }

  /** MANAGE_WEBHOOKS in the webhook's channel. */
  async get(webhookId: string, userId: string): Promise<Webhook> {
    const webhook = await this.find(webhookId);
    await this.managedChannel(webhook.channelId, userId);
    return webhook;
  }

  /** Rename, re-picture, or move to another channel of the same guild (MANAGE_WEBHOOKS in both). */
  async modify(webhookId: string, userId: string, changes: { name?: unknown; avatar?: unknown; channelId?: string }): Promise<Webhook> {
    const webhook = await this.get(webhookId, userId);
    let channelId = webhook.channelId;
    if (changes.channelId !== undefined && changes.channelId !== webhook.channelId) {
      const target = await this.managedChannel(changes.channelId, userId);
      if (target.guildId !== webhook.guildId) throw invalidField('channel_id', 'CHANNEL_INVALID', 'The channel must be in the same guild');
      await this.requireRoom(target.id);
      channelId = target.id;
    }
    return this.change(webhook, { ...changes, channelId }, userId);
  }

  async delete(webhookId: string, userId: string): Promise<void> {
    await this.remove(await this.get(webhookId, userId), userId);
  }

  /** The webhook whose token this is: 10015 for no such webhook, 401 50027 for a wrong token. */
  async withToken(webhookId: string, token: string): Promise<Webhook> {
    const found = await this.webhooks.withDigest(webhookId);
    if (!found) throw new ApiError(404, Codes.UnknownWebhook, 'Unknown Webhook');
    if (!sameDigest(found.tokenHash, tokenDigest(token))) throw new ApiError(401, Codes.InvalidWebhookToken, 'Invalid Webhook Token');
    return found.webhook;
  }

  /** With the token, a webhook may rename and re-picture itself, but not move. */
  async modifyWithToken(webhookId: string, token: string, changes: { name?: unknown; avatar?: unknown }): Promise<Webhook> {
    const webhook = await this.withToken(webhookId, token);
    return this.change(webhook, { name: changes.name, avatar: changes.avatar, channelId: webhook.channelId }, null);
  }

  async deleteWithToken(webhookId: string, token: string): Promise<void> {
    await this.remove(await this.withToken(webhookId, token), null);
  }

  /** Posts as the webhook through the ordinary message path. Only link buttons: other components need an application. */
  async execute(webhookId: string, token: string, input: ExecuteInput): Promise<Message> {
    const webhook = await this.withToken(webhookId, token);
    const errors = new FormErrors();
    const name = input.username === undefined ? webhook.name : checkWebhookName(input.username, 'username', errors);
    if (input.avatarUrl !== undefined) checkAvatarUrl(input.avatarUrl, errors);
    if (Array.isArray(input.components)) {
      input.components.forEach((row, r) => {
        const inner = (row as { components?: unknown } | null)?.components;
        if (!Array.isArray(inner)) return;
        inner.forEach((c, i) => {
          const component = c as { type?: unknown; style?: unknown } | null;
          if (component?.type !== 2 || component.style !== 5)
            errors.add(['components', r, 'components', i], 'COMPONENT_INVALID', 'Webhooks that are not owned by an application can only send link buttons.');
        });
      });
    }
    errors.throwIfAny();
    if (input.threadName !== undefined)
      throw new ApiError(400, Codes.WebhooksCanOnlyCreateThreadsInForumChannels, 'Webhooks can only create threads in forum channels');
    const channelId = await this.target(webhook, input.threadId);
    return this.messages.sendAsWebhook(
      channelId,
      { id: webhook.id, name, avatar: input.avatarUrl === undefined ? webhook.avatar : null, avatarUrl: input.avatarUrl ?? null },
      input,
    );
  }

  async message(webhookId: string, token: string, messageId: string, threadId?: string): Promise<Message> {
    const webhook = await this.withToken(webhookId, token);
    const message = await this.messages.webhookMessage(webhook.id, messageId);
    if (message.channelId !== (await this.target(webhook, threadId))) throw unknown.message();
    return message;
  }

  async editMessage(webhookId: string, token: string, messageId: string, changes: MessageEdit, threadId?: string): Promise<Message> {
    await this.message(webhookId, token, messageId, threadId);
    return this.messages.editAsWebhook(webhookId, messageId, changes);
  }

  async deleteMessage(webhookId: string, token: string, messageId: string, threadId?: string): Promise<void> {
    await this.message(webhookId, token, messageId, threadId);
    await this.messages.deleteAsWebhook(webhookId, messageId);
  }

  /** Where a send with `thread_id` goes: a thread whose parent is the webhook's channel (10003 for anything else). */
  private async target(webhook: Webhook, threadId: string | undefined): Promise<string> {
    if (threadId === undefined) return webhook.channelId;
    const thread = await this.channels.byId(threadId);
    if (thread?.thread?.parentId !== webhook.channelId) throw unknown.channel();
    return thread.id;
  }

  /** Discord's 30007 once a channel has its 15 webhooks. */
  private async requireRoom(channelId: string): Promise<void> {
    if ((await this.webhooks.countInChannel(channelId)) >= WEBHOOKS_PER_CHANNEL_MAX)
      throw new ApiError(400, Codes.MaximumNumberOfWebhooksReached, `Maximum number of webhooks reached (${WEBHOOKS_PER_CHANNEL_MAX})`);
  }

  private async find(webhookId: string): Promise<Webhook> {
    const webhook = await this.webhooks.byId(webhookId);
    if (!webhook) throw new ApiError(404, Codes.UnknownWebhook, 'Unknown Webhook');
    return webhook;
  }

  /** A guild channel where the caller has MANAGE_WEBHOOKS. */
  private async managedChannel(channelId: string, userId: string): Promise<Channel> {
    const { channel } = await this.access.requireChannelPermission(channelId, userId, Permission.ManageWebhooks);
    if (channel.guildId === null) throw unknown.channel();
    return channel;
  }

  /** `actorId` null: the webhook changed itself with its token (the entry names no user, as on Discord). */
  private async change(webhook: Webhook, changes: { name?: unknown; avatar?: unknown; channelId: string }, actorId: string | null): Promise<Webhook> {
    const errors = new FormErrors();
    const name = changes.name === undefined ? webhook.name : checkWebhookName(changes.name, 'name', errors);
    errors.throwIfAny();
    const upload = changes.avatar === undefined ? undefined : await webhookAvatar(this.files, changes.avatar);
    const updated: Webhook = { ...webhook, name, avatar: upload === undefined ? webhook.avatar : (upload?.hash ?? null), channelId: changes.channelId };
    return this.uow.write(async (emit) => {
      if (upload) await this.images.insert('avatar', webhook.id, storedImage(upload), this.clock.now());
      if (updated.channelId !== webhook.channelId) await this.requireRoom(updated.channelId);
      await this.webhooks.update(updated);
      const before = new Map(webhookFields(webhook));
      const diffs = diff(webhookFields(updated).map(([key, value]) => [key, before.get(key), value] as const));
      if (diffs.length > 0)
        await this.audit.record(emit, { guildId: updated.guildId, actorId, action: 'webhook.update', targetId: updated.id, changes: diffs });
      emit({ type: 'webhooks.update', guildId: updated.guildId, channelId: updated.channelId });
      if (updated.channelId !== webhook.channelId) emit({ type: 'webhooks.update', guildId: webhook.guildId, channelId: webhook.channelId });
      return updated;
    });
  }

  private async remove(webhook: Webhook, actorId: string | null): Promise<void> {
    await this.uow.write(async (emit) => {
      await this.webhooks.delete(webhook.id);
      await this.audit.record(emit, {
        guildId: webhook.guildId,
        actorId,
        action: 'webhook.delete',
        targetId: webhook.id,
        changes: removed(webhookFields(webhook)),
      });
      emit({ type: 'webhooks.update', guildId: webhook.guildId, channelId: webhook.channelId });
    });
  }
}

/** A webhook's fields under Discord's audit log change keys. */
function webhookFields(webhook: Webhook): [string, AuditValue][] {
  return [
    ['name', webhook.name],
    ['channel_id', webhook.channelId],
    ['type', 1],
    ['avatar_hash', webhook.avatar],
  ];
}
