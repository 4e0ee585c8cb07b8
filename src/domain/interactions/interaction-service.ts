// Running commands and components as Discord does: a person invokes (POST /interactions), the server checks the
// invocation against the stored command or message and the permissions of both the person and the application,
// persists it with a digest of a fresh token, and tells the bot; the bot answers once within 3 s through the callback
// route and may follow up for 15 min through its token. Ephemeral answers never reach `messages`: they stay in the
// interaction record and go only to the invoker's sessions.
import { timingSafeEqual } from 'node:crypto';
import { InteractionResponseType as Callback, RESTJSONErrorCodes as Codes, InteractionType } from 'discord-api-types/v10';
import type { FileStore } from '../../files/file-store.ts';
import { ApiError, FormErrors, invalidField, missingPermissions, unknown } from '../../http/api-error.ts';
import type { AccessService } from '../access.ts';
import { type Attachment, type AttachmentLimits, type NewAttachment, planAttachments, type Upload } from '../attachments.ts';
import type { Clock } from '../clock.ts';
import type { ApplicationCommand, CommandChoice } from '../commands/command-model.ts';
import { type AllowedMentions, checkBody, type Message, type MessageInteraction, type MessageService } from '../messages.ts';
import { has, Permission } from '../permissions.ts';
import type { ApplicationCommandsRepo, InteractionsRepo } from '../ports/index.ts';
import type { UnitOfWork } from '../ports/unit-of-work.ts';
import type { SnowflakeGenerator } from '../snowflake.ts';
import { tokenDigest } from '../tokens.ts';
import type { User } from '../users.ts';
import { ANSWER_WINDOW_MS, FOLLOW_UP_WINDOW_MS, type Interaction, type InteractionData } from './interaction-model.ts';
import { type InteractionWorld, type Invocation, InvocationCheck, mayUse, unknownInteraction } from './invocation.ts';
import { type InvocationFiles, invocationFiles } from './invocation-files.ts';
import { parseModal } from './modals.ts';

/** The storage this service needs (a port: ../ports/interactions.ts). */
export type { InteractionsRepo } from '../ports/index.ts';

/** Where the files an interaction holds go, how large they may be, and who removes them once dropped. */
export type InteractionFileDeps = {
  store: FileStore;
  limits: AttachmentLimits;
  /** Called after a write queued files for deletion (the file janitor sweeps). */
  dropped: () => void;
};

/** A message body an application sends in a callback or follow-up (Discord's shape for content/embeds/components). */
export type AnswerBody = {
  content?: unknown;
  embeds?: unknown;
  components?: unknown;
  flags?: number | null;
  allowedMentions?: AllowedMentions;
  /** New files (a multipart answer's `files[n]`). */
  uploads?: readonly Upload[];
  /** Discord's `attachments` list: names for the uploads, and on an edit the existing files to keep. */
  attachments?: unknown;
};

export type CallbackResult = { interaction: Interaction; message: Message | null };

/** The command index a picker reads: the applications and what the person may run. */
export type CommandIndex = { applications: User[]; commands: ApplicationCommand[] };

/** How long a record is kept after its follow-up window (a late follow-up then gets 50027, not 10015). */
const EXPIRED_KEPT_MS = 24 * 3600_000;
const EPHEMERAL = 1 << 6;
const SUPPRESS_EMBEDS = 1 << 2;

const alreadyAcknowledged = () => new ApiError(400, Codes.InteractionHasAlreadyBeenAcknowledged, 'Interaction has already been acknowledged.');
const invalidToken = () => new ApiError(401, Codes.InvalidWebhookToken, 'Invalid Webhook Token');
const unknownWebhook = () => new ApiError(404, Codes.UnknownWebhook, 'Unknown Webhook');

const sameDigest = (a: Uint8Array, b: Uint8Array) => a.length === b.length && timingSafeEqual(a, b);

/** `aW50ZXJhY3Rpb246` is base64 of "interaction:", as Discord's tokens begin; then the id and 48 random bytes. */
function newInteractionToken(id: string): string {
  const secret = Buffer.from(crypto.getRandomValues(new Uint8Array(48))).toString('base64url');
  return `${Buffer.from(`interaction:${id}:`).toString('base64url')}${secret}`;
}

export class InteractionService {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly expiries = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly check: InvocationCheck;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly interactions: InteractionsRepo,
    private readonly commands: ApplicationCommandsRepo,
    private readonly world: InteractionWorld,
    private readonly access: AccessService,
    private readonly messages: MessageService,
    private readonly ids: SnowflakeGenerator,
    private readonly clock: Clock,
    private readonly files: InteractionFileDeps,
    private readonly answerWindowMs = ANSWER_WINDOW_MS,
  ) {
    this.check = new InvocationCheck(commands, world, interactions, clock);
  }

  /** Picks up where a previous process left off; once, before the service is used (src/core.ts). */
  async start(): Promise<void> {
    // Interactions a previous process left unanswered still fail on time, so their invokers hear it.
    for (const pending of await this.interactions.pending()) this.armTimer(pending);
    // Files of interactions that expired while no process ran are let go now (the janitor's first sweep takes them);
    // those still inside their window go when it closes.
    await this.uow.write(async () => this.interactions.dropExpiredFiles(this.clock.now()));
    for (const holding of await this.interactions.holdingFiles(this.clock.now())) this.armExpiry(holding);
  }

  /** Lets go of the files of every interaction past its window; the janitor deletes them after commit. */
  async dropExpiredFiles(): Promise<void> {
    const dropped = await this.uow.write(async () => this.interactions.dropExpiredFiles(this.clock.now()));
    if (dropped > 0) this.files.dropped();
  }

  /** An interaction holding files lets them go when its window closes (and at the next invocation, whichever first). */
  private armExpiry(interaction: Interaction): void {
    if (this.expiries.has(interaction.id)) return;
    const timer = setTimeout(
      async () => {
        this.expiries.delete(interaction.id);
        await this.dropExpiredFiles();
      },
      Math.max(0, interaction.expiresAt - this.clock.now()) + 1_000,
    );
    (timer as { unref?: () => void }).unref?.();
    this.expiries.set(interaction.id, timer);
  }

  // ---- invoking ----

  /** A person runs a command, clicks a component, submits a modal or asks for autocomplete suggestions. */
  async invoke(invoker: User, input: Invocation): Promise<{ interaction: Interaction; token: string }> {
    const userId = invoker.id;
    const app = await this.world.user(input.applicationId);
    if (!app?.bot || app.deleted || app.disabled) throw new ApiError(404, Codes.UnknownApplication, 'Unknown Application');
    const { channel, permissions } = await this.access.channel(input.channelId, userId);
    if (input.guildId !== null && input.guildId !== channel.guildId) throw invalidField('guild_id', 'GUILD_ID_MISMATCH', 'The channel is not in this guild');
    // Running a command needs USE_APPLICATION_COMMANDS; clicking what a bot posted, as on Discord, does not.
    const runsCommand = input.type === InteractionType.ApplicationCommand || input.type === InteractionType.ApplicationCommandAutocomplete;
    if (runsCommand && channel.guildId !== null && !has(permissions, Permission.UseApplicationCommands)) throw missingPermissions();
    // The application answers where it can see: a member of the guild with VIEW_CHANNEL, or the other person of a DM.
    const appPermissions = await this.access.permissionsIn(channel, app.id);
    if (!has(appPermissions, Permission.ViewChannel)) throw new ApiError(403, Codes.MissingAccess, 'Missing Access: the application cannot see this channel');
    if (input.nonce !== null && input.nonce.length > 25) throw invalidField('nonce', 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');

    const { id, at } = this.ids.mint();
    let files: InvocationFiles | null = null;
    const uploads = input.uploads ?? [];
    const raw = input.data as { attachments?: unknown } | null;
    if (input.type === InteractionType.ApplicationCommand)
      files = invocationFiles({
        uploads,
        entries: typeof raw === 'object' && raw !== null ? raw.attachments : undefined,
        interactionId: id,
        channelId: channel.id,
        limits: this.files.limits,
        mintId: () => this.ids.mint().id,
      });
    else if (uploads.length > 0) throw invalidField('files', 'ATTACHMENT_NOT_EXPECTED', 'Only a command with ATTACHMENT options takes files');
    let messageId: string | null = null;
    let messageEphemeral = false;
    let parentId: string | null = null;
    let data: InteractionData;
    switch (input.type) {
      case InteractionType.ApplicationCommand:
      case InteractionType.ApplicationCommandAutocomplete:
        data = await this.check.commandData(app.id, channel, permissions, input, files);
        break;
      case InteractionType.MessageComponent: {
        const found = await this.check.componentData(app.id, userId, channel, input);
        data = found.data;
        messageId = found.message.id;
        messageEphemeral = found.ephemeral;
        break;
      }
      case InteractionType.ModalSubmit: {
        const found = await this.check.modalData(app.id, userId, channel, input);
        data = found.data;
        parentId = found.parent.id;
        messageId = found.parent.messageId;
        messageEphemeral = found.parent.messageEphemeral;
        break;
      }
      default:
        throw invalidField('type', 'BASE_TYPE_CHOICES', 'Value must be one of {2, 3, 4, 5}.');
    }

    const token = newInteractionToken(id);
    const held = files?.named() ?? [];
    const interaction: Interaction = {
      id,
      type: input.type,
      applicationId: app.id,
      userId,
      guildId: channel.guildId,
      channelId: channel.id,
      messageId,
      messageEphemeral,
      nonce: input.nonce,
      sessionId: input.sessionId,
      data,
      appPermissions: appPermissions.toString(),
      memberPermissions: permissions.toString(),
      createdAt: at,
      answerBy: at + this.answerWindowMs,
      expiresAt: at + FOLLOW_UP_WINDOW_MS,
      state: 'pending',
      responseType: null,
      originalMessageId: null,
      ephemeral: [],
      modal: null,
      parentId,
      ...(held.length > 0 ? { files: held.map((f) => f.attachment) } : {}),
    };
    const dropped = await this.withFiles(held, () =>
      this.uow.write(async (emit) => {
        // Records a day past their window are of no use to anyone: each new interaction clears them (an indexed
        // delete), and the files of those past their window go.
        const gone = (await this.interactions.deleteExpired(at - EXPIRED_KEPT_MS)) + (await this.interactions.dropExpiredFiles(at));
        await this.interactions.insert(interaction, tokenDigest(token));
        emit({ type: 'interaction.create', interaction, token, invoker });
        return gone;
      }),
    );
    if (dropped > 0) this.files.dropped();
    this.armTimer(interaction);
    if (held.length > 0) this.armExpiry(interaction);
    return { interaction, token };
  }

  /** Stores new files, then runs the write; when the write fails, the files are removed again (no orphans). */
  private async withFiles<T>(added: readonly NewAttachment[], write: () => T): Promise<T> {
    const written: string[] = [];
    try {
      for (const { attachment, bytes } of added) {
        written.push(attachment.fileKey);
        await this.files.store.put(attachment.fileKey, bytes);
      }
      return write();
    } catch (error) {
      for (const key of written) await this.files.store.delete(key).catch(() => {});
      throw error;
    }
  }

  // ---- the first answer ----

  /** The interaction a callback names, if its token is right; otherwise Discord's Unknown interaction. */
  private async withToken(id: string, token: string): Promise<Interaction> {
    const found = await this.interactions.byId(id);
    if (!found || !sameDigest(found.tokenHash, tokenDigest(token))) throw unknownInteraction();
    return found.interaction;
  }

  /** Whether `token` is this interaction's and it still waits for its first answer (a large body may then be read). */
  async holdsToken(id: string, token: string): Promise<boolean> {
    try {
      const interaction = await this.withToken(id, token);
      return interaction.state === 'pending' && this.clock.now() <= interaction.answerBy;
    } catch {
      return false;
    }
  }

  /** POST /interactions/{id}/{token}/callback. */
  async callback(id: string, token: string, type: number, data: unknown, body: AnswerBody): Promise<CallbackResult> {
    // Read and claimed in one transaction: a second answer racing this one gets 40060.
    const claim = await this.uow.write(async () => {
      const interaction = await this.withToken(id, token);
      if (interaction.state === 'answered') throw alreadyAcknowledged();
      if (interaction.state === 'failed') throw unknownInteraction();
      if (this.clock.now() > interaction.answerBy) return { interaction, next: null };
      const allowed = CALLBACKS_FOR[interaction.type] ?? [];
      if (!allowed.includes(type)) throw invalidField('type', 'INTERACTION_CALLBACK_TYPE_INVALID', 'This callback type is not valid for this interaction');
      const next: Interaction = { ...interaction, state: 'answered', responseType: type };
      await this.interactions.update(next);
      return { interaction, next };
    });
    const { interaction, next } = claim;
    if (next === null) {
      await this.fail(interaction.id);
      throw unknownInteraction();
    }
    try {
      const result = await this.give(interaction, next, type, data, body);
      this.disarmTimer(interaction.id);
      return result;
    } catch (error) {
      // A refused answer (an empty message, a bad modal) does not count: the bot may try again within its 3 s.
      await this.uow.write(async () => {
        if ((await this.interactions.byId(interaction.id))?.interaction.state === 'answered') await this.interactions.update(interaction);
      });
      throw error;
    }
  }

  /** Carries out a first answer of `type`; `next` is the record as it will be stored. */
  private async give(interaction: Interaction, next: Interaction, type: number, data: unknown, body: AnswerBody): Promise<CallbackResult> {
    let message: Message | null = null;
    switch (type) {
      case Callback.ChannelMessageWithSource:
      case Callback.DeferredChannelMessageWithSource: {
        const loading = type === Callback.DeferredChannelMessageWithSource;
        message = await this.post(next, body, { loading, original: null });
        next.originalMessageId = message.id;
        if (message.interaction?.ephemeral) {
          next.ephemeral = [...next.ephemeral, message];
          const files = holding(next.files, message.files ?? [], []);
          if (files) next.files = files;
        }
        break;
      }
      case Callback.DeferredMessageUpdate:
        next.originalMessageId = interaction.messageId;
        break;
      case Callback.UpdateMessage: {
        next.originalMessageId = interaction.messageId;
        const edited = await this.editMessageOf(next, interaction.messageId, body);
        message = edited.message;
        next.ephemeral = edited.ephemeral;
        next.files = edited.files;
        break;
      }
      case Callback.ApplicationCommandAutocompleteResult: {
        const choices = parseChoices(data);
        await this.uow.write(async (emit) => {
          await this.interactions.update(next);
          emit({ type: 'interaction.autocomplete', interaction: next, choices });
        });
        return { interaction: next, message: null };
      }
      case Callback.Modal: {
        const errors = new FormErrors();
        const modal = parseModal(data, errors);
        errors.throwIfAny();
        if (!modal) throw invalidField('data', 'BASE_TYPE_REQUIRED', 'This field is required');
        next.modal = modal;
        await this.uow.write(async (emit) => {
          await this.interactions.update(next);
          emit({ type: 'interaction.modal', interaction: next, modal });
        });
        return { interaction: next, message: null };
      }
    }
    await this.uow.write(async (emit) => {
      await this.interactions.update(next);
      emit({ type: 'interaction.result', interaction: next, ok: true });
    });
    return { interaction: next, message };
  }

  /** A message the interaction produces: stored as the application's bot, or ephemeral (only in the record). */
  private async post(interaction: Interaction, body: AnswerBody, options: { loading: boolean; original: string | null }): Promise<Message> {
    const flags = body.flags ?? 0;
    const ephemeral = (flags & EPHEMERAL) !== 0;
    const meta = this.metadata(interaction, options.loading, options.original, ephemeral);
    if (!ephemeral) {
      return this.messages.sendForInteraction(
        interaction.channelId,
        interaction.applicationId,
        {
          content: body.content,
          embeds: body.embeds,
          components: body.components,
          suppressEmbeds: (flags & SUPPRESS_EMBEDS) !== 0,
          allowedMentions: body.allowedMentions,
          uploads: body.uploads,
          attachments: body.attachments,
        },
        meta,
      );
    }
    const { id, at } = this.ids.mint();
    const files = options.loading ? [] : this.heldFiles(interaction, { id, channelId: interaction.channelId }, body, []).added;
    const content = options.loading
      ? { content: '', embeds: [], components: [] }
      : checkBody({ content: body.content, embeds: body.embeds, components: body.components }, undefined, files.length);
    const message: Message = {
      id,
      channelId: interaction.channelId,
      guildId: interaction.guildId,
      authorId: interaction.applicationId,
      ...content,
      replyTo: null,
      mentionEveryone: false,
      mentions: [],
      pinned: false,
      nonce: null,
      suppressEmbeds: (flags & SUPPRESS_EMBEDS) !== 0,
      editedAt: null,
      createdAt: at,
      webhook: null,
      interaction: meta,
      ...(files.length > 0 ? { files: files.map((f) => f.attachment) } : {}),
    };
    await this.withFiles(files, () =>
      this.uow.write(async (emit) => emit({ type: 'ephemeral.message', action: 'create', userId: interaction.userId, message })),
    );
    if (files.length > 0) this.armExpiry(interaction);
    return message;
  }

  /**
   * The files of an ephemeral message after a request (Discord's rules, as for any message: `attachments` keeps and
   * names, uploads add), held by the interaction record rather than the attachments table.
   */
  private heldFiles(interaction: Interaction, message: { id: string; channelId: string }, body: AnswerBody, existing: readonly Attachment[]) {
    const plan = planAttachments({
      messageId: message.id,
      channelId: message.channelId,
      uploads: body.uploads ?? [],
      entries: body.attachments,
      existing,
      limits: this.files.limits,
      mintId: () => this.ids.mint().id,
    });
    const held = (a: Attachment): Attachment => ({ ...a, fileKey: `interactions/${a.channelId}/${a.id}`, interactionId: interaction.id });
    const added = plan.added.map((n) => ({ attachment: held(n.attachment), bytes: n.bytes }));
    const addedIds = new Set(added.map((n) => n.attachment.id));
    const attachments = plan.attachments.map((a) => (addedIds.has(a.id) ? (added.find((n) => n.attachment.id === a.id)?.attachment as Attachment) : a));
    return { attachments, added };
  }

  private metadata(interaction: Interaction, loading: boolean, original: string | null, ephemeral: boolean): MessageInteraction {
    const command = interaction.data.kind === 'command' ? interaction.data : null;
    const onMessage = interaction.type === InteractionType.MessageComponent || interaction.type === InteractionType.ModalSubmit;
    return {
      id: interaction.id,
      type: interaction.type,
      applicationId: interaction.applicationId,
      userId: interaction.userId,
      guildId: interaction.guildId,
      name: command?.name ?? null,
      commandType: command?.commandType ?? null,
      targetId: command?.targetId ?? null,
      // An answer to a click replies to the clicked message (not to an ephemeral one, which nobody else has).
      interactedMessageId: onMessage && interaction.messageId !== null && !interaction.messageEphemeral ? interaction.messageId : null,
      originalResponseMessageId: original,
      loading,
      ...(ephemeral ? { ephemeral: true } : {}),
    };
  }

  /** Edits a message of this interaction (stored or ephemeral); returns it and the record's new ephemeral list. */
  private async editMessageOf(
    interaction: Interaction,
    messageId: string | null,
    body: AnswerBody,
  ): Promise<{ message: Message; ephemeral: Message[]; files: Attachment[] | undefined }> {
    if (messageId === null) throw unknown.message();
    const flags = body.flags ?? undefined;
    const changes = {
      content: body.content,
      embeds: body.embeds,
      components: body.components,
      suppressEmbeds: flags === undefined || flags === null ? undefined : (flags & SUPPRESS_EMBEDS) !== 0,
      allowedMentions: body.allowedMentions,
      uploads: body.uploads,
      attachments: body.attachments,
    };
    const own = await this.ephemeralMessage(interaction, messageId);
    if (own) {
      const { record, message } = own;
      const fileChanges = body.attachments !== undefined || (body.uploads?.length ?? 0) > 0;
      const bodyChanges = changes.content !== undefined || changes.embeds !== undefined || changes.components !== undefined || fileChanges;
      const before = message.files ?? [];
      const plan = fileChanges ? this.heldFiles(record, message, body, before) : { attachments: before, added: [] };
      const next = bodyChanges
        ? checkBody(
            { content: changes.content === null ? '' : changes.content, embeds: changes.embeds, components: changes.components },
            message,
            plan.attachments.length,
          )
        : message;
      const kept = new Set(plan.attachments.map((a) => a.id));
      const removed = before.filter((a) => !kept.has(a.id));
      const files = holding(
        record.files,
        plan.added.map((n) => n.attachment),
        removed,
      );
      const edited: Message = {
        ...message,
        files: plan.attachments,
        content: next.content,
        embeds: next.embeds,
        components: next.components,
        suppressEmbeds: changes.suppressEmbeds ?? message.suppressEmbeds,
        editedAt: bodyChanges && !message.interaction?.loading ? this.clock.now() : message.editedAt,
        interaction: message.interaction ? { ...message.interaction, loading: false } : null,
      };
      const replaced = record.ephemeral.map((m) => (m.id === messageId ? edited : m));
      await this.withFiles(plan.added, () =>
        this.uow.write(async (emit) => {
          if (record.id !== interaction.id) await this.interactions.update(recordWithFiles({ ...record, ephemeral: replaced }, files));
          await this.interactions.queueFileDeletions(removed.map((a) => a.fileKey));
          emit({ type: 'ephemeral.message', action: 'update', userId: interaction.userId, message: edited });
        }),
      );
      if (removed.length > 0) this.files.dropped();
      if (plan.added.length > 0) this.armExpiry(record);
      return record.id === interaction.id
        ? { message: edited, ephemeral: replaced, files }
        : { message: edited, ephemeral: interaction.ephemeral, files: interaction.files };
    }
    const stored = await this.world.message(messageId);
    if (!stored || stored.channelId !== interaction.channelId || stored.authorId !== interaction.applicationId) throw unknown.message();
    return { message: await this.messages.editForInteraction(stored, changes), ephemeral: interaction.ephemeral, files: interaction.files };
  }

  /** An ephemeral message by id: in this interaction's record, or (a component's message) in the one that made it. */
  private async ephemeralMessage(interaction: Interaction, messageId: string): Promise<{ record: Interaction; message: Message } | null> {
    const here = interaction.ephemeral.find((m) => m.id === messageId);
    if (here) return { record: interaction, message: here };
    if (!interaction.messageEphemeral) return null;
    for (const record of await this.interactions.liveOf(interaction.userId, this.clock.now())) {
      const message = record.ephemeral.find((m) => m.id === messageId);
      if (message) return { record, message };
    }
    return null;
  }

  // ---- timeouts ----

  private armTimer(interaction: Interaction): void {
    const timer = setTimeout(() => this.fail(interaction.id), Math.max(0, interaction.answerBy - this.clock.now()) + 50);
    (timer as { unref?: () => void }).unref?.();
    this.timers.set(interaction.id, timer);
  }

  private disarmTimer(id: string): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
  }

  /** No first answer in time: the interaction fails and the person's client hears it (INTERACTION_FAILURE). */
  async fail(id: string): Promise<void> {
    this.disarmTimer(id);
    const found = await this.interactions.byId(id);
    if (found?.interaction.state !== 'pending') return;
    const failed: Interaction = { ...found.interaction, state: 'failed' };
    await this.uow.write(async (emit) => {
      await this.interactions.update(failed);
      emit({ type: 'interaction.result', interaction: failed, ok: false });
    });
  }

  /** Stops every timer (the server is shutting down; the records stay, and the clock decides after a restart). */
  stop(): void {
    for (const timer of [...this.timers.values(), ...this.expiries.values()]) clearTimeout(timer);
    this.timers.clear();
    this.expiries.clear();
  }

  // ---- follow-ups: /webhooks/{application}/{token} ----

  /**
   * The interaction this token belongs to, for the webhook routes: null when the token is no interaction's (it may be
   * a webhook's). Past the 15 minutes, Discord's Invalid Webhook Token; before the first answer, Unknown Webhook.
   */
  async byToken(applicationId: string, token: string): Promise<Interaction | null> {
    const interaction = await this.interactions.byToken(tokenDigest(token));
    if (!interaction || interaction.applicationId !== applicationId) return null;
    if (this.clock.now() > interaction.expiresAt) throw invalidToken();
    if (interaction.state !== 'answered') throw unknownWebhook();
    return interaction;
  }

  async followUp(interaction: Interaction, body: AnswerBody): Promise<Message> {
    const message = await this.post(interaction, body, { loading: false, original: interaction.originalMessageId });
    if (message.interaction?.ephemeral) {
      const current = (await this.interactions.byId(interaction.id))?.interaction ?? interaction;
      await this.uow.write(async () =>
        this.interactions.update(recordWithFiles({ ...current, ephemeral: [...current.ephemeral, message] }, holding(current.files, message.files ?? [], []))),
      );
    }
    return message;
  }

  /** `@original` or a follow-up's id: a message this interaction produced (or, for updates, the clicked one). */
  async message(interaction: Interaction, messageId: string): Promise<Message> {
    const id = messageId === '@original' ? interaction.originalMessageId : messageId;
    if (id === null) throw unknown.message();
    const own = await this.ephemeralMessage(interaction, id);
    if (own) return own.message;
    const stored = await this.world.message(id);
    const ours = stored && (stored.interaction?.id === interaction.id || id === interaction.originalMessageId);
    if (!stored || !ours || stored.authorId !== interaction.applicationId) throw unknown.message();
    return stored;
  }

  async editMessage(interaction: Interaction, messageId: string, body: AnswerBody): Promise<Message> {
    const target = await this.message(interaction, messageId);
    const current = (await this.interactions.byId(interaction.id))?.interaction ?? interaction;
    const { message, ephemeral, files } = await this.editMessageOf(current, target.id, body);
    if (ephemeral !== current.ephemeral) await this.uow.write(async () => this.interactions.update(recordWithFiles({ ...current, ephemeral }, files)));
    return message;
  }

  async deleteMessage(interaction: Interaction, messageId: string): Promise<void> {
    const target = await this.message(interaction, messageId);
    const own = await this.ephemeralMessage(interaction, target.id);
    if (own) {
      const removed = target.files ?? [];
      await this.uow.write(async (emit) => {
        await this.interactions.update(
          recordWithFiles({ ...own.record, ephemeral: own.record.ephemeral.filter((m) => m.id !== target.id) }, holding(own.record.files, [], removed)),
        );
        await this.interactions.queueFileDeletions(removed.map((a) => a.fileKey));
        emit({ type: 'ephemeral.message', action: 'delete', userId: interaction.userId, message: target });
      });
      if (removed.length > 0) this.files.dropped();
      return;
    }
    await this.messages.deleteForInteraction(target);
  }

  // ---- the command picker ----

  /** What the person may run in a guild: its applications and their commands, filtered by permission. */
  async guildIndex(userId: string, guildId: string): Promise<CommandIndex> {
    const access = await this.access.guild(guildId, userId);
    const usable = (await this.commands.usableIn(guildId)).filter((c) => (c.contexts === null || c.contexts.includes(0)) && mayUse(c, access.permissions));
    return this.index(usable);
  }

  /** What the person may run in a channel (a DM with a bot: its global commands allowed in DMs). */
  async channelIndex(userId: string, channelId: string): Promise<CommandIndex> {
    const { channel, permissions } = await this.access.channel(channelId, userId);
    if (channel.guildId !== null) {
      const usable: ApplicationCommand[] = [];
      for (const c of await this.commands.usableIn(channel.guildId)) {
        if (!has(permissions, Permission.UseApplicationCommands) || (c.contexts !== null && !c.contexts.includes(0)) || !mayUse(c, permissions)) continue;
        if (has(await this.access.permissionsIn(channel, c.applicationId), Permission.ViewChannel)) usable.push(c);
      }
      return this.index(usable);
    }
    const usable: ApplicationCommand[] = [];
    for (const id of channel.recipientIds) {
      if (id === userId || !(await this.world.user(id))?.bot) continue;
      for (const c of await this.commands.list(id, null)) if (c.dmPermission && (c.contexts === null || c.contexts.includes(1))) usable.push(c);
    }
    return this.index(usable);
  }

  private async index(commands: ApplicationCommand[]): Promise<CommandIndex> {
    const applications: User[] = [];
    for (const id of new Set(commands.map((c) => c.applicationId))) {
      const app = await this.world.user(id);
      if (app) applications.push(app);
    }
    return { applications, commands };
  }
}

/** Which first answers each kind of interaction takes, as Discord documents them. */
const CALLBACKS_FOR: Record<number, number[]> = {
  [InteractionType.ApplicationCommand]: [Callback.ChannelMessageWithSource, Callback.DeferredChannelMessageWithSource, Callback.Modal],
  [InteractionType.MessageComponent]: [
    Callback.ChannelMessageWithSource,
    Callback.DeferredChannelMessageWithSource,
    Callback.DeferredMessageUpdate,
    Callback.UpdateMessage,
    Callback.Modal,
  ],
  [InteractionType.ApplicationCommandAutocomplete]: [Callback.ApplicationCommandAutocompleteResult],
  [InteractionType.ModalSubmit]: [
    Callback.ChannelMessageWithSource,
    Callback.DeferredChannelMessageWithSource,
    Callback.DeferredMessageUpdate,
    Callback.UpdateMessage,
  ],
};

/** Callback type 8's `data.choices`: at most 25 of {name, value}. */
function parseChoices(data: unknown): CommandChoice[] {
  const errors = new FormErrors();
  const raw = typeof data === 'object' && data !== null ? (data as { choices?: unknown }).choices : undefined;
  const out: CommandChoice[] = [];
  if (!Array.isArray(raw)) errors.add(['data', 'choices'], 'BASE_TYPE_REQUIRED', 'This field is required');
  else if (raw.length > 25) errors.add(['data', 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
  else
    raw.forEach((c, i) => {
      const o = typeof c === 'object' && c !== null ? (c as Record<string, unknown>) : {};
      const name = o.name;
      const value = o.value;
      if (typeof name !== 'string' || name.length < 1 || [...name].length > 100)
        errors.add(['data', 'choices', i, 'name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
      if (typeof value !== 'string' && (typeof value !== 'number' || !Number.isFinite(value)))
        errors.add(['data', 'choices', i, 'value'], 'BASE_TYPE_REQUIRED', 'A string or a number is required');
      if (typeof name === 'string' && (typeof value === 'string' || typeof value === 'number')) {
        const localized = o.name_localizations;
        out.push({ name, value, nameLocalizations: typeof localized === 'object' && localized !== null ? (localized as Record<string, string>) : null });
      }
    });
  errors.throwIfAny();
  return out;
}

/** A record's held files after adding and removing some; undefined when it holds none. */
/** The record with `files`, or without the key when it holds none (so a record's JSON and events carry no `files: undefined`). */
function recordWithFiles(record: Interaction, files: Attachment[] | undefined): Interaction {
  const { files: _, ...rest } = record;
  return files && files.length > 0 ? { ...rest, files } : rest;
}

function holding(files: readonly Attachment[] | undefined, add: readonly Attachment[], remove: readonly Attachment[]): Attachment[] | undefined {
  const gone = new Set(remove.map((a) => a.id));
  const next = [...(files ?? []).filter((a) => !gone.has(a.id)), ...add];
  return next.length > 0 ? next : undefined;
}
