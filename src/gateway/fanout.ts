// Audience resolution: turns each committed DomainEvent into dispatches for exactly the sessions whose
// users may see it at that moment, and keeps every session's view (guilds, channels, topics) in step
// with roles, overwrites and membership, so access changes take effect without reconnecting.
//
// What a dispatch shows comes with its event, read at commit (`seen`, src/domain/event-views.ts); the fan-out
// reads only to work out who may see what now, for the sessions it has: permissions after a role, overwrite or
// membership change (visibility.ts), a gained guild's GUILD_CREATE and threads (guild-contents.ts), a parent's
// threads, who may read the audit log, and the guilds a presence is shown in.
//
// Order within one event: first what some users lost (unsubscribe, then tell them), then the event itself
// to its topic, then what some users gained (subscribe, then tell them). So a user shut out of a channel
// never gets its update, and a user let in gets CHANNEL_CREATE instead of an update for a channel they
// never saw.

import type { Core } from '../core.ts';
import type { Channel } from '../domain/channels.ts';
import type { DmSeen, DomainEvent } from '../events/domain-events.ts';
import { type Audience, toTopic, toUsers } from './audience.ts';
import type { Dispatch, GuildLossCause } from './dispatch.ts';
import { guildContents, threadMembersOf } from './guild-contents.ts';
import type { GatewaySession } from './session.ts';
import type { SessionRegistry } from './session-registry.ts';
import type { TopicBoard } from './topic-board.ts';
import { channelTopic, guildTopic } from './topics.ts';
import type { Visibility } from './visibility.ts';

export interface FanoutHost {
  /** Assigns a sequence number, encodes once per dialect stream (reading nothing), buffers for replay, publishes. */
  deliver(dispatch: Dispatch, audience: Audience): void;
  /** Whether a gained guild's GUILD_CREATE lists its members on some dialect in use (they are read for it). */
  showsGuildMembers(): boolean;
  /** Closes (for good) the sessions a `credentials.revoked` event names. */
  revoke(userId: string, tokenHash: string | null): void;
}

type RefreshOptions = {
  /** Limit the recomputation to these channels (one created or updated); all of the guild's otherwise. */
  only?: readonly Channel[];
  /** Whether joining or leaving the guild itself is this event's business (member and guild events only). */
  membership: boolean;
  lossCause?: GuildLossCause;
  gainCause?: 'created' | 'joined';
  visibleCause?: 'created' | 'permissions';
};

/** Active threads some users gained together with their channels (THREAD_LIST_SYNC). */
type ThreadSync = { channelIds: string[]; threads: Channel[]; userIds: string[] };

type ViewChange = { session: GatewaySession; had: Set<string> | undefined; next: Set<string> | null; added: string[]; removed: string[] };

export class Fanout {
  constructor(
    private readonly core: Core,
    private readonly registry: SessionRegistry,
    private readonly board: TopicBoard,
    private readonly visibility: Visibility,
    private readonly host: FanoutHost,
  ) {}

  /** Applies one committed event; the gateway awaits it before the next one (commit order). */
  async handle(event: DomainEvent): Promise<void> {
    switch (event.type) {
      case 'message.create':
      case 'message.update': {
        // Read at commit (src/domain/event-views.ts): every write's events are enriched before they leave it.
        if (!event.seen) return unseen(event);
        const { view, members } = event.seen;
        this.host.deliver({ type: event.type, message: event.message, view, members }, toTopic(channelTopic(event.message.channelId)));
        return;
      }
      case 'message.delete':
      case 'message.delete_bulk':
      case 'reaction.add':
      case 'reaction.remove':
      case 'typing.start':
      case 'webhooks.update':
        this.host.deliver(event, toTopic(channelTopic(event.channelId)));
        return;
      case 'member.join': {
        const { member } = event;
        const user = event.seen?.user ?? null;
        await this.refreshGuild(member.guildId, this.registry.ofUser(member.userId), { membership: true }, async () => {
          if (!user) return;
          this.host.deliver({ type: 'member.join', member, user }, toTopic(guildTopic(member.guildId)));
          await this.newcomerPresence(member.guildId, member.userId);
        });
        return;
      }
      case 'member.update': {
        const { member } = event;
        const user = event.seen?.user ?? null;
        await this.refreshGuild(member.guildId, this.registry.ofUser(member.userId), { membership: false, visibleCause: 'permissions' }, async () => {
          if (user) this.host.deliver({ type: 'member.update', member, user }, toTopic(guildTopic(member.guildId)));
        });
        return;
      }
      case 'member.leave': {
        const user = event.seen?.user ?? null;
        await this.refreshGuild(event.guildId, this.registry.ofUser(event.userId), { membership: true, lossCause: event.reason }, async () => {
          this.host.deliver({ type: 'member.leave', guildId: event.guildId, userId: event.userId, user }, toTopic(guildTopic(event.guildId)));
        });
        return;
      }
      case 'channel.create':
        await this.channelCreated(event.channel, event.seen);
        return;
      case 'channel.update':
        await this.channelUpdated(event.channel, event.seen);
        return;
      case 'channel.delete':
        await this.channelDeleted(event.channel, event.seen);
        return;
      case 'thread.members_update':
        await this.threadMembersUpdated(event);
        return;
      case 'guild.create':
        await this.refreshGuild(event.guild.id, this.registry.ofUser(event.guild.ownerId), { membership: true, gainCause: 'created' });
        return;
      case 'guild.update':
        this.host.deliver(event, toTopic(guildTopic(event.guild.id)));
        return;
      case 'emojis.update':
        this.host.deliver(event, toTopic(guildTopic(event.guildId)));
        return;
      case 'guild.delete':
        await this.refreshGuild(event.guildId, this.registry.ofGuild(event.guildId), { membership: true, lossCause: 'deleted' });
        return;
      case 'role.create':
      case 'role.update': {
        const guildId = event.role.guildId;
        await this.refreshGuild(guildId, this.registry.ofGuild(guildId), { membership: false, visibleCause: 'permissions' }, async () =>
          this.host.deliver(event, toTopic(guildTopic(guildId))),
        );
        return;
      }
      case 'role.delete':
        await this.refreshGuild(event.guildId, this.registry.ofGuild(event.guildId), { membership: false, visibleCause: 'permissions' }, async () =>
          this.host.deliver(event, toTopic(guildTopic(event.guildId))),
        );
        return;
      case 'user.update':
        await this.userUpdated(event);
        return;
      case 'presence.update':
        await this.presenceUpdated(event);
        return;
      case 'audit.create': {
        // Only the members who may read the log now hear of the entry (VIEW_AUDIT_LOG).
        const { guildId } = event.entry;
        const readers = new Set(this.registry.ofGuild(guildId).map((s) => s.userId));
        const allowed: string[] = [];
        for (const userId of readers) if (await this.core.services.auditLog.canView(guildId, userId)) allowed.push(userId);
        if (allowed.length > 0) this.host.deliver(event, toUsers(allowed));
        return;
      }
      case 'read_state.ack':
      case 'notification_settings.update':
        this.host.deliver(event, toUsers([event.userId]));
        return;
      case 'dm.close':
        // Only the person who closed it; they stay subscribed, as the next message brings the DM back.
        this.host.deliver({ type: 'channel.hidden', channel: event.channel, cause: 'closed', seen: event.seen }, toUsers([event.userId]));
        return;
      case 'dm.reopen':
        this.host.deliver({ type: 'channel.visible', channel: event.channel, cause: 'created', seen: event.seen }, toUsers(event.userIds));
        return;
      case 'dm.recipient_add':
      case 'dm.recipient_remove':
        await this.groupChanged(event);
        return;
      case 'credentials.revoked':
        this.host.revoke(event.userId, event.tokenHash);
        return;
      // Interactions concern two parties only: the application that answers and the person who invoked.
      case 'interaction.create': {
        const files = (event.interaction.files ?? []).map((f) => ({ ...f, url: this.core.attachmentLinks.url(f) }));
        this.host.deliver({ ...event, files }, toUsers([event.interaction.applicationId, event.interaction.userId]));
        return;
      }
      case 'interaction.result':
      case 'interaction.modal':
      case 'interaction.autocomplete':
        this.host.deliver(event, toUsers([event.interaction.userId]));
        return;
      case 'ephemeral.message': {
        const { seen, ...rest } = event;
        if (event.action === 'delete') this.host.deliver({ ...rest, view: null }, toUsers([event.userId]));
        else if (!seen) unseen(event);
        else this.host.deliver({ ...rest, view: seen.view, members: seen.members }, toUsers([event.userId]));
        return;
      }
    }
  }

  private async channelCreated(channel: Channel, seen: DmSeen | undefined): Promise<void> {
    if (channel.guildId !== null) {
      await this.refreshGuild(channel.guildId, this.registry.ofGuild(channel.guildId), { only: [channel], membership: false, visibleCause: 'created' });
      return;
    }
    // A DM: both participants see it from now on.
    const topic = channelTopic(channel.id);
    for (const userId of channel.recipientIds) {
      for (const session of this.registry.ofUser(userId)) {
        session.dms.add(channel.id);
        this.board.set(session, topic, true);
      }
    }
    this.host.deliver({ type: 'channel.visible', channel, cause: 'created', seen }, toUsers(channel.recipientIds));
  }

  private async channelUpdated(channel: Channel, seen: DmSeen | undefined): Promise<void> {
    if (channel.guildId === null) {
      this.host.deliver({ type: 'channel.update', channel, seen }, toTopic(channelTopic(channel.id)));
      return;
    }
    // A parent's overwrites decide who sees its threads too: they are recomputed with it.
    const channels = this.core.uow.repos.channels;
    const only = channel.thread
      ? [channel]
      : [channel, ...(await channels.threadsOfParent(channel.id, false)), ...(await channels.threadsOfParent(channel.id, true))];
    await this.refreshGuild(channel.guildId, this.registry.ofGuild(channel.guildId), { only, membership: false, visibleCause: 'permissions' }, async () =>
      this.host.deliver({ type: 'channel.update', channel }, toTopic(channelTopic(channel.id))),
    );
  }

  /**
   * Joining a private thread lets its new members see it (THREAD_CREATE to them after the update) and leaving one
   * hides it (THREAD_DELETE before): only the people added or removed can gain or lose it.
   */
  private async threadMembersUpdated(event: Extract<DomainEvent, { type: 'thread.members_update' }>): Promise<void> {
    const { thread } = event;
    if (thread.guildId === null) return;
    const sessions = [...event.added.map((m) => m.userId), ...event.removedIds].flatMap((id) => this.registry.ofUser(id));
    await this.refreshGuild(thread.guildId, sessions, { only: [thread], membership: false, visibleCause: 'permissions' }, async () =>
      this.host.deliver(event, toTopic(channelTopic(thread.id))),
    );
  }

  /** Everyone who could see the channel hears it is gone, on its own topic, before the topic goes. */
  private async channelDeleted(channel: Channel, seen: DmSeen | undefined): Promise<void> {
    const topic = channelTopic(channel.id);
    this.host.deliver({ type: 'channel.hidden', channel, cause: 'deleted', seen }, toTopic(topic));
    const sessions = channel.guildId === null ? channel.recipientIds.flatMap((id) => this.registry.ofUser(id)) : this.registry.ofGuild(channel.guildId);
    for (const session of sessions) {
      if (channel.guildId === null) session.dms.delete(channel.id);
      else session.guilds.get(channel.guildId)?.delete(channel.id);
      this.board.set(session, topic, false);
    }
  }

  /**
   * A group DM gained someone: their sessions subscribe and get CHANNEL_CREATE, then the group (them included) hears
   * CHANNEL_RECIPIENT_ADD. Lost someone: the group (them included) hears CHANNEL_RECIPIENT_REMOVE, then they get
   * CHANNEL_DELETE and unsubscribe.
   */
  private async groupChanged(event: Extract<DomainEvent, { type: 'dm.recipient_add' | 'dm.recipient_remove' }>): Promise<void> {
    const { channel, userId, seen } = event;
    const topic = channelTopic(channel.id);
    const user = seen?.users.find((u) => u.id === userId);
    if (event.type === 'dm.recipient_add') {
      for (const session of this.registry.ofUser(userId)) {
        session.dms.add(channel.id);
        this.board.set(session, topic, true);
      }
      this.host.deliver({ type: 'channel.visible', channel, cause: 'created', seen }, toUsers([userId]));
      if (user) this.host.deliver({ type: 'dm.recipient_add', channel, user }, toTopic(topic));
      this.host.deliver({ type: 'channel.update', channel, seen }, toTopic(topic));
      return;
    }
    if (user) this.host.deliver({ type: 'dm.recipient_remove', channel, user }, toTopic(topic));
    for (const session of this.registry.ofUser(userId)) {
      session.dms.delete(channel.id);
      this.board.set(session, topic, false);
    }
    this.host.deliver({ type: 'channel.hidden', channel, cause: 'deleted', seen }, toUsers([userId]));
    this.host.deliver({ type: 'channel.update', channel, seen }, toTopic(topic));
  }

  /** USER_UPDATE to the user's own sessions; every guild they are in sees a member update (names, avatars). */
  private async userUpdated(event: Extract<DomainEvent, { type: 'user.update' }>): Promise<void> {
    const { user } = event;
    this.host.deliver(event, toUsers([user.id]));
    for (const member of event.seen?.memberships ?? []) this.host.deliver({ type: 'member.update', member, user }, toTopic(guildTopic(member.guildId)));
  }

  /** One PRESENCE_UPDATE per guild the user is in, to its members (the user included); to the user alone when in none. */
  private async presenceUpdated(event: Extract<DomainEvent, { type: 'presence.update' }>): Promise<void> {
    const { presence } = event;
    const guilds = await this.core.uow.repos.guilds.guildsOf(presence.userId);
    if (guilds.length === 0) {
      this.host.deliver({ type: 'presence.update', presence, guildId: null }, toUsers([presence.userId]));
      return;
    }
    for (const guild of guilds) this.host.deliver({ type: 'presence.update', presence, guildId: guild.id }, toTopic(guildTopic(guild.id)));
  }

  /**
   * As Discord does, the members already in a guild hear a newcomer's presence right after the join: their last
   * PRESENCE_UPDATE went only to the guilds they were in then, so they would show offline until it next changed.
   * Sent in the join's event step, before the newcomer's sessions subscribe to the guild: they have it in their
   * GUILD_CREATE. Nothing for an offline (or invisible) newcomer: a member not mentioned is offline.
   */
  private async newcomerPresence(guildId: string, userId: string): Promise<void> {
    const presence = this.core.services.presence.get(userId);
    if (presence.status !== 'offline') this.host.deliver({ type: 'presence.update', presence, guildId }, toTopic(guildTopic(guildId)));
  }

  /**
   * Recomputes what `sessions` may see in one guild and applies it in the order described at the top:
   * losses, then `event`, then gains. Joining or leaving the guild is only acted on when `membership` is set:
   * a role event in the same transaction as a member leaving must not announce the leave with the wrong cause.
   */
  private async refreshGuild(guildId: string, sessions: readonly GatewaySession[], options: RefreshOptions, event?: () => Promise<void>): Promise<void> {
    if (sessions.length === 0) {
      await event?.();
      return;
    }
    const { channels, views } = await this.visibility.guildViews(guildId, new Set(sessions.map((s) => s.userId)), options.only);
    const scope = options.only ? new Set(options.only.map((c) => c.id)) : null;
    const changes: ViewChange[] = [];
    for (const session of sessions) {
      const had = session.guilds.get(guildId);
      const next = views.get(session.userId) ?? null;
      if (!had && !next) continue;
      if (!had || !next) {
        if (options.membership) changes.push({ session, had, next, added: next ? [...next] : [], removed: had ? [...had] : [] });
        continue;
      }
      const added = [...next].filter((id) => !had.has(id));
      const removed = [...had].filter((id) => (scope === null || scope.has(id)) && !next.has(id));
      if (added.length > 0 || removed.length > 0) changes.push({ session, had, next, added, removed });
    }

    // 1. Losses.
    const lostGuild = new Set<string>();
    const hidden = new Map<string, Set<string>>();
    for (const change of changes) {
      const { session } = change;
      const own = session.guilds.get(guildId);
      for (const channelId of change.removed) {
        own?.delete(channelId);
        this.board.set(session, channelTopic(channelId), false);
        if (change.next) addTo(hidden, channelId, session.userId);
      }
      if (change.had && !change.next) {
        session.guilds.delete(guildId);
        this.registry.guildLeft(session, guildId);
        this.board.set(session, guildTopic(guildId), false);
        lostGuild.add(session.userId);
      }
    }
    if (lostGuild.size > 0) this.host.deliver({ type: 'guild.unavailable', guildId, cause: options.lossCause ?? 'leave' }, toUsers([...lostGuild]));
    const byId = new Map(channels.map((c) => [c.id, c]));
    for (const [channelId, userIds] of hidden) {
      const channel = byId.get(channelId) ?? (await this.core.uow.repos.channels.byId(channelId));
      if (channel) this.host.deliver({ type: 'channel.hidden', channel, cause: 'permissions' }, toUsers([...userIds]));
    }

    // 2. The event itself, to whoever may see it now.
    await event?.();

    // 3. Gains.
    const gainedGuild = new Set<string>();
    const visible = new Map<string, Set<string>>();
    for (const change of changes) {
      const { session } = change;
      if (!change.had && change.next) {
        session.guilds.set(guildId, new Set());
        this.registry.guildJoined(session, guildId);
        this.board.set(session, guildTopic(guildId), true);
        gainedGuild.add(session.userId);
      }
      const own = session.guilds.get(guildId);
      for (const channelId of change.added) {
        own?.add(channelId);
        this.board.set(session, channelTopic(channelId), true);
        if (change.had) addTo(visible, channelId, session.userId);
      }
    }
    for (const userId of gainedGuild) {
      const snapshot = await this.visibility.snapshot(guildId, userId);
      if (!snapshot) continue;
      const contents = await guildContents(this.core.uow.repos, snapshot, this.host.showsGuildMembers());
      this.host.deliver({ type: 'guild.available', snapshot, contents, cause: options.gainCause ?? 'joined' }, toUsers([userId]));
    }
    // Threads gained along with their channel come as one list per set of channels, after the channels.
    const syncs = new Map<string, ThreadSync>();
    for (const [channelId, userIds] of visible) {
      const channel = byId.get(channelId);
      if (!channel) continue;
      const parentId = channel.thread?.parentId;
      const withParent = parentId ? [...userIds].filter((userId) => visible.get(parentId)?.has(userId)) : [];
      for (const userId of withParent) {
        userIds.delete(userId);
        if (!channel.thread?.archived) addSync(syncs, userId, channel);
      }
      if (userIds.size > 0) this.host.deliver({ type: 'channel.visible', channel, cause: options.visibleCause ?? 'permissions' }, toUsers([...userIds]));
    }
    for (const sync of groupSyncs(syncs)) {
      const { channelIds, threads, userIds } = sync;
      const threadMembers = await threadMembersOf(this.core.uow.repos.threads, threads, userIds);
      this.host.deliver({ type: 'thread.list_sync', guildId, channelIds, threads, userIds, threadMembers }, toUsers(userIds));
    }
  }
}

/** An event that left its unit of work without what the gateways show: a bug (every write enriches its events). */
function unseen(event: DomainEvent): void {
  console.error(`gateway: ${event.type} came without the view read at commit; not delivered`);
}

function addSync(syncs: Map<string, ThreadSync>, userId: string, thread: Channel): void {
  let sync = syncs.get(userId);
  if (!sync) {
    sync = { channelIds: [], threads: [], userIds: [userId] };
    syncs.set(userId, sync);
  }
  const parentId = thread.thread?.parentId as string;
  if (!sync.channelIds.includes(parentId)) sync.channelIds.push(parentId);
  sync.threads.push(thread);
}

/** Users who gained the same threads share one dispatch. */
function groupSyncs(byUser: Map<string, ThreadSync>) {
  const groups = new Map<string, ThreadSync>();
  for (const [userId, sync] of byUser) {
    const key = `${sync.channelIds.sort().join(',')}|${sync.threads
      .map((t) => t.id)
      .sort()
      .join(',')}`;
    const group = groups.get(key);
    if (group) group.userIds.push(userId);
    else groups.set(key, { ...sync, userIds: [userId] });
  }
  return groups.values();
}

function addTo(index: Map<string, Set<string>>, key: string, value: string): void {
  let set = index.get(key);
  if (!set) {
    set = new Set();
    index.set(key, set);
  }
  set.add(value);
}
