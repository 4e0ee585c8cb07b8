// Threads: channels of type 11 (public) and 12 (private) under a text channel, started from a message (the
// thread takes the message's id) or on their own. They inherit their parent's permissions (access.ts), archive
// themselves after `autoArchiveMinutes` without a message (sweep), and keep a member list: the creator, whoever
// posts, and whoever is added. Rules follow Discord's threads documentation; docs/discord-compat.md lists them.
import { ChannelType, RESTJSONErrorCodes as Codes } from 'discord-api-types/v10';
import { ApiError, invalidField, missingAccess, missingPermissions, unknown } from '../http/api-error.ts';
import type { AccessService } from './access.ts';
import { type AuditLog, type AuditValue, created, diff, removed } from './audit-log.ts';
import type { Channel, ThreadMember } from './channels.ts';
import type { Clock } from './clock.ts';
import { has, Permission } from './permissions.ts';
import type { ChannelsRepo, GuildsRepo, MessagesRepo, ThreadsRepo } from './ports/index.ts';
import type { Emit, UnitOfWork } from './ports/unit-of-work.ts';
import type { SnowflakeGenerator } from './snowflake.ts';

/** Discord's auto_archive_duration choices, in minutes. */
export const AUTO_ARCHIVE_MINUTES = [60, 1440, 4320, 10080] as const;
export const DEFAULT_AUTO_ARCHIVE_MINUTES = 1440;
export const THREAD_NAME_MAX = 100;
export const THREAD_MEMBERS_PAGE_MAX = 100;
export const ARCHIVED_PAGE_MAX = 100;
/** How often the server looks for threads to auto-archive: one is archived at most this long after its time. */
export const SWEEP_EVERY_MS = 60_000;

export type ThreadKind = ChannelType.PublicThread | ChannelType.PrivateThread;
export type NewThreadInput = { name: string; type?: number; invitable?: boolean; autoArchiveMinutes?: number; rateLimitPerUser?: number };
export type ThreadEdit = { name?: string; archived?: boolean; locked?: boolean; autoArchiveMinutes?: number; invitable?: boolean; rateLimitPerUser?: number };
/** Archived threads as Discord lists them: public ones, private ones (MANAGE_THREADS), or the private ones the caller joined. */
export type ArchivedKind = 'public' | 'private' | 'joined';
export type ThreadPage = { threads: Channel[]; members: ThreadMember[]; hasMore: boolean };

export const isThread = (channel: Channel): channel is Channel & { thread: NonNullable<Channel['thread']> } => channel.thread !== null;

const archivedThread = () => new ApiError(400, Codes.InvalidActionOnArchivedThread, 'Thread is archived');
const lockedThread = () => new ApiError(403, Codes.ThreadLocked, 'This thread is locked');

function checkName(raw: string): string {
  const name = raw.trim();
  if (name.length < 1 || name.length > THREAD_NAME_MAX)
    throw invalidField('name', 'BASE_TYPE_BAD_LENGTH', `Must be between 1 and ${THREAD_NAME_MAX} in length.`);
  return name;
}

function checkAutoArchive(minutes: number | undefined): void {
  if (minutes !== undefined && !(AUTO_ARCHIVE_MINUTES as readonly number[]).includes(minutes))
    throw invalidField('auto_archive_duration', 'BASE_TYPE_CHOICES', `Value must be one of ${AUTO_ARCHIVE_MINUTES.join(', ')}.`);
}

/**
 * Someone who leaves a guild (or is kicked, banned, removed) leaves its threads too, as on Discord: rejoining must
 * not give back a private thread. Called in the leave's own write, right after its member.leave, so whoever reads
 * after the leave's answer finds the threads left too.
 */
export async function leaveThreads(repos: { threads: ThreadsRepo; channels: ChannelsRepo }, guildId: string, userId: string, emit: Emit): Promise<void> {
  for (const m of await repos.threads.membershipsIn(guildId, userId)) {
    if (!(await repos.threads.removeMember(m.threadId, userId))) continue;
    const thread = await repos.channels.byId(m.threadId);
    if (thread) emit({ type: 'thread.members_update', thread, added: [], removedIds: [userId] });
  }
}

export class ThreadService {
  private sweeper: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly channels: ChannelsRepo,
    private readonly threads: ThreadsRepo,
    private readonly messages: MessagesRepo,
    private readonly guilds: GuildsRepo,
    private readonly access: AccessService,
    private readonly ids: SnowflakeGenerator,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  /** A public thread on a message of `channelId` (CREATE_PUBLIC_THREADS); the thread's id is the message's. */
  async startFromMessage(channelId: string, messageId: string, userId: string, input: NewThreadInput): Promise<Channel> {
    const { channel: parent, permissions } = await this.parentFor(channelId, userId);
    if (!has(permissions, Permission.CreatePublicThreads) || !has(permissions, Permission.ReadMessageHistory)) throw missingPermissions();
    const message = await this.messages.byId(messageId);
    if (!message || message.channelId !== parent.id) throw unknown.message();
    if (await this.channels.byId(messageId))
      throw new ApiError(400, Codes.ThreadAlreadyCreatedForMessage, 'A thread has already been created for this message');
    return this.create(parent, userId, ChannelType.PublicThread, input, messageId);
  }

  /** A thread with no starter message; private (type 12) unless `type` says 11, as in Discord's v9 and v10. */
  async start(channelId: string, userId: string, input: NewThreadInput): Promise<Channel> {
    const type = input.type ?? ChannelType.PrivateThread;
    if (type !== ChannelType.PublicThread && type !== ChannelType.PrivateThread)
      throw invalidField('type', 'BASE_TYPE_CHOICES', 'Value must be one of 11 (public thread), 12 (private thread).');
    const { channel: parent, permissions } = await this.parentFor(channelId, userId);
    const needed = type === ChannelType.PublicThread ? Permission.CreatePublicThreads : Permission.CreatePrivateThreads;
    if (!has(permissions, needed)) throw missingPermissions();
    return this.create(parent, userId, type, input, null);
  }

  private async create(parent: Channel, ownerId: string, type: ThreadKind, input: NewThreadInput, starterId: string | null): Promise<Channel> {
    const name = checkName(input.name);
    checkAutoArchive(input.autoArchiveMinutes);
    return await this.uow.write(async (emit) => {
      const id = starterId ?? this.ids.mint().id;
      const at = this.clock.now();
      await this.channels.insert({ id, guildId: parent.guildId, type, name, topic: null, position: 0, lastMessageId: null, createdAt: at });
      await this.threads.insert({
        channelId: id,
        parentId: parent.id,
        ownerId,
        invitable: type === ChannelType.PrivateThread ? (input.invitable ?? true) : true,
        autoArchiveMinutes: input.autoArchiveMinutes ?? DEFAULT_AUTO_ARCHIVE_MINUTES,
        rateLimitPerUser: input.rateLimitPerUser ?? 0,
        at,
      });
      await this.threads.addMember(id, ownerId, at);
      const thread = await this.mustGet(id);
      await this.audit.record(emit, {
        guildId: parent.guildId as string,
        actorId: ownerId,
        action: 'thread.create',
        targetId: id,
        changes: created(threadFields(thread)),
      });
      emit({ type: 'channel.create', channel: thread });
      // The starter message now shows its thread (Discord sends MESSAGE_UPDATE with `thread`).
      const starter = starterId ? await this.messages.byId(starterId) : null;
      if (starter) emit({ type: 'message.update', message: starter });
      return thread;
    });
  }

  /**
   * The owner may rename, archive/unarchive and re-time their thread; everything else, and locking, needs
   * MANAGE_THREADS. An archived thread takes no change but being unarchived (or locked); a locked one is only
   * unarchived by a manager.
   */
  async update(threadId: string, userId: string, edit: ThreadEdit): Promise<Channel> {
    const { channel, permissions } = await this.access.channel(threadId, userId);
    if (!isThread(channel)) throw unknown.channel();
    const { thread } = channel;
    const manager = has(permissions, Permission.ManageThreads);
    const owner = thread.ownerId === userId;
    if ((edit.locked !== undefined || edit.invitable !== undefined || edit.rateLimitPerUser !== undefined) && !manager) throw missingPermissions();
    if ((edit.name !== undefined || edit.archived !== undefined || edit.autoArchiveMinutes !== undefined) && !manager && !owner) throw missingPermissions();
    if (thread.locked && thread.archived && edit.archived === false && !manager) throw lockedThread();
    const otherChanges =
      edit.name !== undefined || edit.autoArchiveMinutes !== undefined || edit.invitable !== undefined || edit.rateLimitPerUser !== undefined;
    if (thread.archived && edit.archived !== false && otherChanges) throw archivedThread();
    const name = edit.name === undefined ? undefined : checkName(edit.name);
    checkAutoArchive(edit.autoArchiveMinutes);
    return this.uow.write(async (emit) => {
      const now = this.clock.now();
      const archiveChange = edit.archived !== undefined && edit.archived !== thread.archived;
      if (name !== undefined) await this.channels.update(channel.id, { name });
      await this.threads.update(channel.id, {
        archived: edit.archived,
        locked: edit.locked,
        invitable: channel.type === ChannelType.PrivateThread ? edit.invitable : undefined,
        autoArchiveMinutes: edit.autoArchiveMinutes,
        rateLimitPerUser: edit.rateLimitPerUser,
        archiveChangedAt: archiveChange ? now : undefined,
        // Unarchived now: the idle clock starts again, or the next sweep would archive it at once.
        lastActivityAt: archiveChange && edit.archived === false ? now : undefined,
      });
      const updated = await this.mustGet(channel.id);
      const before = new Map(threadFields(channel));
      const changes = diff(threadFields(updated).map(([key, value]) => [key, before.get(key), value] as const));
      if (changes.length > 0)
        await this.audit.record(emit, { guildId: channel.guildId as string, actorId: userId, action: 'thread.update', targetId: channel.id, changes });
      emit({ type: 'channel.update', channel: updated });
      return updated;
    });
  }

  /** MANAGE_THREADS. Its messages go with it; a starter message in the parent stays. */
  async delete(threadId: string, userId: string): Promise<Channel> {
    const { channel, permissions } = await this.access.channel(threadId, userId);
    if (!isThread(channel)) throw unknown.channel();
    if (!has(permissions, Permission.ManageThreads)) throw missingPermissions();
    await this.uow.write(async (emit) => {
      await this.channels.delete(channel.id);
      await this.audit.record(emit, {
        guildId: channel.guildId as string,
        actorId: userId,
        action: 'thread.delete',
        targetId: channel.id,
        changes: removed(threadFields(channel)),
      });
      emit({ type: 'channel.delete', channel });
      const starter = await this.messages.byId(channel.id);
      if (starter) emit({ type: 'message.update', message: starter });
    });
    return channel;
  }

  async join(threadId: string, userId: string): Promise<void> {
    const channel = (await this.activeThread(threadId, userId)).channel;
    await this.addMembers(channel, [userId]);
  }

  async leave(threadId: string, userId: string): Promise<void> {
    const channel = (await this.activeThread(threadId, userId)).channel;
    await this.removeMember(channel, userId);
  }

  /**
   * Adds `targetId`: the actor must be able to post in the thread, and in a private thread not open to
   * invitations, hold MANAGE_THREADS. The target must be a guild member who can see the parent channel.
   */
  async add(threadId: string, actorId: string, targetId: string): Promise<void> {
    const { channel, permissions } = await this.activeThread(threadId, actorId);
    if (!has(permissions, Permission.SendMessagesInThreads)) throw missingPermissions();
    if (channel.type === ChannelType.PrivateThread && !channel.thread.invitable && !has(permissions, Permission.ManageThreads)) throw missingPermissions();
    if (channel.guildId === null || !(await this.guilds.member(channel.guildId, targetId))) throw unknown.member();
    const parent = await this.channels.byId(channel.thread.parentId);
    if (!parent || !has(await this.access.permissionsIn(parent, targetId), Permission.ViewChannel)) throw missingAccess();
    await this.addMembers(channel, [targetId]);
  }

  /** Removes `targetId`: MANAGE_THREADS, or the owner of a private thread. */
  async remove(threadId: string, actorId: string, targetId: string): Promise<void> {
    const { channel, permissions } = await this.activeThread(threadId, actorId);
    const ownPrivate = channel.type === ChannelType.PrivateThread && channel.thread.ownerId === actorId;
    if (targetId !== actorId && !ownPrivate && !has(permissions, Permission.ManageThreads)) throw missingPermissions();
    await this.removeMember(channel, targetId);
  }

  async members(threadId: string, userId: string, options: { limit: number; after?: string }): Promise<ThreadMember[]> {
    await this.readableThread(threadId, userId);
    return this.threads.members(threadId, options.limit, options.after);
  }

  async member(threadId: string, userId: string, targetId: string): Promise<ThreadMember> {
    await this.readableThread(threadId, userId);
    const member = await this.threads.member(threadId, targetId);
    if (!member) throw unknown.member();
    return member;
  }

  /** The caller's own membership of each thread they joined among `threads`. */
  async membershipsOf(threads: readonly Channel[], userId: string): Promise<ThreadMember[]> {
    const members: ThreadMember[] = [];
    for (const t of threads) {
      const member = await this.threads.member(t.id, userId);
      if (member) members.push(member);
    }
    return members;
  }

  /** Every active thread of the guild the caller can see, with the caller's memberships of them. */
  async active(guildId: string, userId: string): Promise<{ threads: Channel[]; members: ThreadMember[] }> {
    await this.access.guild(guildId, userId);
    const threads: Channel[] = [];
    for (const t of await this.channels.threadsOfGuild(guildId))
      if (!t.thread?.archived && has(await this.access.permissionsIn(t, userId), Permission.ViewChannel)) threads.push(t);
    return { threads, members: await this.membershipsOf(threads, userId) };
  }

  /**
   * Archived threads of a channel, most recently archived first, before `before` (unix ms). Public and joined
   * lists need READ_MESSAGE_HISTORY in the parent; every private thread needs MANAGE_THREADS too.
   */
  async archived(parentId: string, userId: string, kind: ArchivedKind, options: { before?: number; limit: number }): Promise<ThreadPage> {
    const { permissions } = await this.access.requireChannelPermission(parentId, userId, Permission.ReadMessageHistory);
    if (kind === 'private' && !has(permissions, Permission.ManageThreads)) throw missingPermissions();
    const wanted = kind === 'public' ? ChannelType.PublicThread : ChannelType.PrivateThread;
    const matching: Channel[] = [];
    for (const t of await this.channels.threadsOfParent(parentId, true)) {
      if (t.type !== wanted || (options.before !== undefined && (t.thread?.archiveChangedAt ?? 0) >= options.before)) continue;
      if (kind === 'joined' && (await this.threads.member(t.id, userId)) === null) continue;
      matching.push(t);
    }
    const threads = matching.slice(0, options.limit);
    return { threads, members: await this.membershipsOf(threads, userId), hasMore: matching.length > options.limit };
  }

  /** Runs sweep() every `everyMs` until stop() (from listen() to stop() of the app). */
  startSweeping(everyMs = SWEEP_EVERY_MS): void {
    this.stop();
    this.sweeper = setInterval(() => this.sweep(), everyMs);
  }

  stop(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
  }

  /** Archives every thread idle for its auto-archive time; run periodically (and by tests with a fake clock). */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    const idle = await this.channels.threadsIdleAt(now);
    for (const stale of idle) {
      await this.uow.write(async (emit) => {
        await this.threads.update(stale.id, { archived: true, archiveChangedAt: now });
        emit({ type: 'channel.update', channel: await this.mustGet(stale.id) });
      });
    }
    return idle.length;
  }

  // ---- what posting a message in a thread does (MessageService calls these) ----

  /** A locked thread takes messages from managers only. */
  checkPost(channel: Channel, permissions: bigint): void {
    if (channel.thread?.locked && !has(permissions, Permission.ManageThreads)) throw lockedThread();
  }

  /** In the message's transaction: unarchive, make the author a member, count the message. */
  /** `authorId` null: a webhook posted, which counts and unarchives but joins nobody. */
  async recordPost(emit: Emit, channel: Channel, authorId: string | null, at: number): Promise<void> {
    if (!channel.thread) return;
    if (channel.thread.archived) await this.threads.update(channel.id, { archived: false, archiveChangedAt: at });
    await this.threads.countMessage(channel.id, at);
    if (channel.thread.archived) emit({ type: 'channel.update', channel: await this.mustGet(channel.id) });
    if (authorId !== null && (await this.threads.addMember(channel.id, authorId, at))) {
      const member = await this.threads.member(channel.id, authorId);
      emit({ type: 'thread.members_update', thread: await this.mustGet(channel.id), added: member ? [member] : [], removedIds: [] });
    }
  }

  async recordDelete(channel: Channel): Promise<void> {
    if (channel.thread) await this.threads.uncountMessage(channel.id);
  }

  // ---- helpers ----

  private async addMembers(channel: Channel, userIds: readonly string[]): Promise<void> {
    await this.uow.write(async (emit) => {
      const at = this.clock.now();
      const added: ThreadMember[] = [];
      for (const id of userIds) {
        if (!(await this.threads.addMember(channel.id, id, at))) continue;
        const member = await this.threads.member(channel.id, id);
        if (member) added.push(member);
      }
      if (added.length > 0) emit({ type: 'thread.members_update', thread: await this.mustGet(channel.id), added, removedIds: [] });
    });
  }

  private async removeMember(channel: Channel, userId: string): Promise<void> {
    await this.uow.write(async (emit) => {
      if (await this.threads.removeMember(channel.id, userId))
        emit({ type: 'thread.members_update', thread: await this.mustGet(channel.id), added: [], removedIds: [userId] });
    });
  }

  /** A text channel in a guild that threads can start in, as the caller sees it. */
  private async parentFor(channelId: string, userId: string) {
    const result = await this.access.channel(channelId, userId);
    if (result.channel.guildId === null) throw new ApiError(400, Codes.CannotExecuteActionOnDMChannel, 'Cannot execute action on a DM channel');
    if (result.channel.type !== ChannelType.GuildText)
      throw new ApiError(400, Codes.CannotExecuteActionOnThisChannelType, 'Cannot execute action on this channel type');
    return result;
  }

  /** A thread the caller can see that is not archived (membership changes need one). */
  private async activeThread(threadId: string, userId: string) {
    const result = await this.access.channel(threadId, userId);
    const { channel } = result;
    if (!isThread(channel)) throw new ApiError(400, Codes.CannotExecuteActionOnThisChannelType, 'Cannot execute action on this channel type');
    if (channel.thread.archived) throw archivedThread();
    return { channel, permissions: result.permissions };
  }

  private async readableThread(threadId: string, userId: string): Promise<Channel> {
    const { channel } = await this.access.channel(threadId, userId);
    if (!isThread(channel)) throw new ApiError(400, Codes.CannotExecuteActionOnThisChannelType, 'Cannot execute action on this channel type');
    return channel;
  }

  private async mustGet(channelId: string): Promise<Channel> {
    const channel = await this.channels.byId(channelId);
    if (!channel) throw unknown.channel();
    return channel;
  }
}

/** A thread's fields under Discord's audit log change keys. */
function threadFields(channel: Channel): [string, AuditValue][] {
  const t = channel.thread;
  return [
    ['name', channel.name],
    ['type', channel.type],
    ['archived', t?.archived ?? false],
    ['locked', t?.locked ?? false],
    ['auto_archive_duration', t?.autoArchiveMinutes ?? 0],
    ['rate_limit_per_user', t?.rateLimitPerUser ?? 0],
    ...(channel.type === ChannelType.PrivateThread ? [['invitable', t?.invitable ?? true] as [string, AuditValue]] : []),
  ];
}
