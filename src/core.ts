// Builds the domain: the unit of work of one engine (SQLite by default, PostgreSQL given a pool), services over its
// repositories, one event hub.
// Dialects, gateways and the CLI all reach the domain through this object.
import { Database } from 'bun:sqlite';
import type { SQL } from 'bun';
import type { Config } from './config.ts';
import { migrate } from './db/migrate.ts';
import { SqliteUnitOfWork } from './db/unit-of-work.ts';
import { AccessService } from './domain/access.ts';
import { AuditLog } from './domain/audit-log.ts';
import { ChannelService } from './domain/channels.ts';
import type { Clock } from './domain/clock.ts';
import { ApplicationCommandService } from './domain/commands/application-commands.ts';
import { EmojiService } from './domain/custom-emoji.ts';
import { DmPolicy } from './domain/dm-policy.ts';
import { type Enricher, eventViews } from './domain/event-views.ts';
import { GroupDmService } from './domain/group-dms.ts';
import { GuildBotService } from './domain/guild-bots.ts';
import { GuildService } from './domain/guilds.ts';
import { InteractionService } from './domain/interactions/interaction-service.ts';
import { InviteService } from './domain/invites.ts';
import { MemberService } from './domain/members.ts';
import { MessageSearchService } from './domain/message-search.ts';
import { MessageService } from './domain/messages.ts';
import type { UnitOfWork } from './domain/ports/unit-of-work.ts';
import { startPresenceModule } from './domain/presence/presence-module.ts';
import { PresenceService } from './domain/presence/presence-service.ts';
import { ReadStateService } from './domain/read-states.ts';
import { RoleService } from './domain/roles.ts';
import { SearchIndexer } from './domain/search-indexer.ts';
import { type SessionCaller, SessionService } from './domain/sessions.ts';
import { SnowflakeGenerator } from './domain/snowflake.ts';
import { ThreadService } from './domain/threads.ts';
import { TokenCallers } from './domain/token-callers.ts';
import { type User, UserService } from './domain/users.ts';
import { WebhookService } from './domain/webhooks.ts';
import { EventHub } from './events/event-hub.ts';
import { GatedOutbox } from './events/outbox.ts';
import { AttachmentLinks } from './files/attachment-links.ts';
import { configuredFileStore } from './files/configured-file-store.ts';
import { FileJanitor } from './files/file-janitor.ts';
import type { FileStore } from './files/file-store.ts';
import { PostgresOutbox } from './store/postgres/outbox-store.ts';
import { PostgresUnitOfWork, type PostgresUnitOfWorkOptions } from './store/postgres/unit-of-work.ts';
import { sqliteRepositories } from './store/sqlite/index.ts';

/**
 * `db` is the SQLite database (migrated here) or a PostgreSQL pool (migrated by the caller: `harmony migrate`, or
 * serve before it starts). `files` defaults to the configured bucket, or a folder `files/` in the data directory
 * (created when the first file arrives). A node of a cluster (cluster/cluster.ts) passes its shared `hub`, its leased
 * `workerId` and, on PostgreSQL, its `outbox` (written inside each commit); one node uses its own hub and 0.
 */
export type CoreDeps = {
  db: Database | SQL;
  config: Config;
  clock: Clock;
  files?: FileStore;
  hub?: EventHub;
  workerId?: () => number;
  /** A cluster node's outbox and relay; `gate` refuses writes while the event log is unreachable (PostgreSQL). */
  outbox?: { outbox: PostgresOutbox | GatedOutbox; relay: { kick(): Promise<void> }; gate?: PostgresUnitOfWorkOptions['gate'] };
};

function unitOfWork(db: Database | SQL, hub: EventHub, outbox: CoreDeps['outbox']): UnitOfWork {
  if (!(db instanceof Database)) {
    if (!outbox) return new PostgresUnitOfWork(db, hub);
    const rows = outbox.outbox;
    if (!(rows instanceof PostgresOutbox)) throw new Error('a PostgreSQL node keeps its outbox in PostgreSQL');
    return new PostgresUnitOfWork(db, hub, { outbox: rows, relay: outbox.relay, ...(outbox.gate ? { gate: outbox.gate } : {}) });
  }
  migrate(db);
  if (!outbox) return new SqliteUnitOfWork(db, hub, sqliteRepositories);
  const gated = outbox.outbox;
  if (!(gated instanceof GatedOutbox)) throw new Error('a SQLite node keeps its outbox in SQLite');
  const uow = new SqliteUnitOfWork(db, hub, sqliteRepositories, { outbox: gated.inner, relay: outbox.relay });
  gated.gateWith((fn) => uow.settled(fn));
  return uow;
}

export async function createCore({ db, config, clock, files = configuredFileStore(config), hub = new EventHub(), workerId, outbox }: CoreDeps) {
  const uow = unitOfWork(db, hub, outbox);
  const ids = new SnowflakeGenerator(clock, workerId ?? 0n);
  const repos = uow.repos;
  const attachmentLinks = new AttachmentLinks(repos.settings, clock, config);
  await attachmentLinks.load(uow);
  const attachmentFiles = {
    attachments: repos.attachments,
    store: files,
    urls: attachmentLinks,
    limits: { maxBytes: config.maxAttachmentBytes, maxCount: config.maxAttachments },
  };
  const access = new AccessService(repos.guilds, repos.channels, repos.threads, hub, clock);
  const auditLog = new AuditLog(repos.auditLog, access, ids);
  const sessionCallers = new TokenCallers<SessionCaller>(
    clock,
    ({ user }) => user.id,
    ({ user }) => !user.disabled && !user.deleted,
  );
  sessionCallers.watch(hub);
  const expiry = { idleDays: config.sessionIdleDays, lifetimeDays: config.sessionLifetimeDays };
  const sessions = new SessionService(uow, repos.sessions, ids, clock, expiry, sessionCallers);
  const botCallers = new TokenCallers<User>(
    clock,
    (bot) => bot.id,
    (bot) => !bot.disabled,
  );
  botCallers.watch(hub);
  const users = new UserService(uow, repos.users, sessions, repos.guilds, repos.settings, repos.images, files, ids, clock, config.registration, botCallers);
  const guilds = new GuildService(uow, repos.guilds, repos.channels, repos.images, files, access, ids, clock, auditLog);
  const dmPolicy = new DmPolicy(repos.users, repos.guilds, uow);
  const readStates = new ReadStateService(uow, repos.readStates, repos.messages, access);
  const threads = new ThreadService(uow, repos.channels, repos.threads, repos.messages, repos.guilds, access, ids, clock, auditLog);
  const messages = new MessageService(
    uow,
    repos.messages,
    repos.channels,
    repos.guilds,
    repos.users,
    repos.emojis,
    access,
    dmPolicy,
    ids,
    clock,
    threads,
    attachmentFiles,
    auditLog,
    readStates,
  );
  const interactions = new InteractionService(
    uow,
    repos.interactions,
    repos.applicationCommands,
    {
      user: (userId) => repos.users.byId(userId),
      isMember: async (guildId, userId) => (await repos.guilds.member(guildId, userId)) !== null,
      roleExists: async (guildId, roleId) => (await repos.guilds.roles(guildId)).some((r) => r.id === roleId),
      channel: (channelId) => repos.channels.byId(channelId),
      message: (messageId) => repos.messages.byId(messageId),
    },
    access,
    messages,
    ids,
    clock,
    // The janitor (made below) deletes the files of expired interactions once their write has committed.
    { store: files, limits: attachmentFiles.limits, dropped: () => void fileJanitor.sweep() },
  );
  await interactions.start();
  const searchIndexer = new SearchIndexer(repos.messages, uow);
  // What the last run left queued goes in before the first request, then the index follows the writes.
  await searchIndexer.catchUp();
  searchIndexer.watch(hub);
  const services = {
    access,
    auditLog,
    interactions,
    dmPolicy,
    sessions,
    users,
    guilds,
    members: new MemberService(uow, repos.guilds, repos.users, access, clock, auditLog),
    roles: new RoleService(uow, repos.guilds, access, ids, repos.emojis, auditLog),
    channels: new ChannelService(uow, repos.channels, repos.guilds, repos.users, access, dmPolicy, ids, auditLog),
    groupDms: new GroupDmService(uow, repos.channels, repos.users, access, dmPolicy, ids, clock),
    invites: new InviteService(uow, repos.invites, repos.guilds, repos.channels, guilds, access, clock, auditLog, messages),
    guildBots: new GuildBotService(uow, repos.guilds, repos.users, guilds, access, ids, auditLog),
    threads,
    messages,
    messageSearch: new MessageSearchService(repos.messages, repos.channels, access, searchIndexer),
    readStates,
    webhooks: new WebhookService(uow, repos.webhooks, repos.channels, access, messages, files, repos.images, ids, clock, auditLog),
    presence: new PresenceService(hub, clock),
    commands: new ApplicationCommandService(
      uow,
      repos.applicationCommands,
      { user: (userId) => repos.users.byId(userId), isMember: async (guildId, userId) => (await repos.guilds.member(guildId, userId)) !== null },
      ids,
    ),
    emojis: new EmojiService(uow, repos.emojis, repos.guilds, access, files, ids),
  };
  // What events carry for the gateways, read at commit; a dialect that shapes a payload at commit adds its own (atCommit).
  const enrichers: Enricher[] = [];
  uow.enrichWith(eventViews({ messages, guilds: repos.guilds, users: repos.users, emojis: repos.emojis }, enrichers));
  const fileJanitor = new FileJanitor(repos.attachments, files, uow);
  fileJanitor.watch(hub);
  return {
    db,
    config,
    clock,
    hub,
    uow,
    ids,
    files,
    attachmentLinks,
    fileJanitor,
    searchIndexer,
    /** Adds what a dialect reads at commit into each write's events (before the next write; see event-views.ts). */
    atCommit: (enrich: Enricher) => void enrichers.push(enrich),
    services: { ...services, ...(await startPresenceModule({ config, clock, hub, uow, ids, repos, services })) },
  };
}

export type Core = Awaited<ReturnType<typeof createCore>>;
