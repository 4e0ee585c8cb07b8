// Builds the domain: repositories (the SQLite engine, src/store/sqlite) over one database, services over the stores, one event hub.
// Dialects, gateways and the CLI all reach the domain through this object.
import type { Database } from 'bun:sqlite';
import type { Config } from './config.ts';
import { migrate } from './db/migrate.ts';
import { UnitOfWork } from './db/unit-of-work.ts';
import { AccessService } from './domain/access.ts';
import { AuditLog } from './domain/audit-log.ts';
import { ChannelService } from './domain/channels.ts';
import type { Clock } from './domain/clock.ts';
import { ApplicationCommandService } from './domain/commands/application-commands.ts';
import { EmojiService } from './domain/custom-emoji.ts';
import { DmPolicy } from './domain/dm-policy.ts';
import { eventViews } from './domain/event-views.ts';
import { GroupDmService } from './domain/group-dms.ts';
import { GuildBotService } from './domain/guild-bots.ts';
import { GuildService } from './domain/guilds.ts';
import { InteractionService } from './domain/interactions/interaction-service.ts';
import { InviteService } from './domain/invites.ts';
import { MemberService } from './domain/members.ts';
import { MessageSearchService } from './domain/message-search.ts';
import { MessageService } from './domain/messages.ts';
import { startPresenceModule } from './domain/presence/presence-module.ts';
import { PresenceService } from './domain/presence/presence-service.ts';
import { ReadStateService } from './domain/read-states.ts';
import { RoleService } from './domain/roles.ts';
import { SessionService } from './domain/sessions.ts';
import { SnowflakeGenerator } from './domain/snowflake.ts';
import { ThreadService } from './domain/threads.ts';
import { UserService } from './domain/users.ts';
import { WebhookService } from './domain/webhooks.ts';
import { EventHub } from './events/event-hub.ts';
import { AttachmentLinks } from './files/attachment-links.ts';
import { configuredFileStore } from './files/configured-file-store.ts';
import { FileJanitor } from './files/file-janitor.ts';
import type { FileStore } from './files/file-store.ts';
import { sqliteRepositories } from './store/sqlite/index.ts';

/**
 * `files` defaults to the configured bucket, or a folder `files/` in the data directory (created when the first file
 * arrives). A node of a cluster (cluster/cluster.ts) passes its shared `hub` and its leased `workerId`; one node uses
 * its own hub and 0.
 */
export type CoreDeps = { db: Database; config: Config; clock: Clock; files?: FileStore; hub?: EventHub; workerId?: () => number };

export function createCore({ db, config, clock, files = configuredFileStore(config), hub = new EventHub(), workerId }: CoreDeps) {
  migrate(db);
  const uow = new UnitOfWork(db, hub, sqliteRepositories);
  const ids = new SnowflakeGenerator(clock, workerId ?? 0n);
  const stores = sqliteRepositories(db);
  const attachmentLinks = new AttachmentLinks(stores.settings, clock, config);
  const attachmentFiles = {
    attachments: stores.attachments,
    store: files,
    urls: attachmentLinks,
    limits: { maxBytes: config.maxAttachmentBytes, maxCount: config.maxAttachments },
  };
  const access = new AccessService(stores.guilds, stores.channels, stores.threads, hub);
  const auditLog = new AuditLog(stores.auditLog, access, ids);
  const sessions = new SessionService(uow, stores.sessions, ids, clock, { idleDays: config.sessionIdleDays, lifetimeDays: config.sessionLifetimeDays });
  const users = new UserService(uow, stores.users, sessions, stores.guilds, stores.settings, stores.images, files, ids, clock, config.registration);
  const guilds = new GuildService(uow, stores.guilds, stores.channels, stores.images, files, access, ids, clock, auditLog);
  const dmPolicy = new DmPolicy(stores.users, stores.guilds);
  const readStates = new ReadStateService(uow, stores.readStates, stores.messages, access);
  const threads = new ThreadService(uow, stores.channels, stores.threads, stores.messages, stores.guilds, access, ids, clock, hub, auditLog);
  const messages = new MessageService(
    uow,
    stores.messages,
    stores.channels,
    stores.guilds,
    stores.users,
    stores.emojis,
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
    stores.interactions,
    stores.applicationCommands,
    {
      user: (userId) => stores.users.byId(userId),
      isMember: (guildId, userId) => stores.guilds.member(guildId, userId) !== null,
      roleExists: (guildId, roleId) => stores.guilds.roles(guildId).some((r) => r.id === roleId),
      channel: (channelId) => stores.channels.byId(channelId),
      message: (messageId) => stores.messages.byId(messageId),
    },
    access,
    messages,
    ids,
    clock,
    // The janitor (made below) deletes the files of expired interactions once their write has committed.
    { store: files, limits: attachmentFiles.limits, dropped: () => void fileJanitor.sweep() },
  );
  const services = {
    access,
    auditLog,
    interactions,
    dmPolicy,
    sessions,
    users,
    guilds,
    members: new MemberService(uow, stores.guilds, stores.users, access, clock, auditLog),
    roles: new RoleService(uow, stores.guilds, access, ids, stores.emojis, auditLog),
    channels: new ChannelService(uow, stores.channels, stores.guilds, stores.users, access, dmPolicy, ids, clock, auditLog),
    groupDms: new GroupDmService(uow, stores.channels, stores.users, access, dmPolicy, ids, clock),
    invites: new InviteService(uow, stores.invites, stores.guilds, stores.channels, guilds, access, clock, auditLog, messages),
    guildBots: new GuildBotService(uow, stores.guilds, stores.users, guilds, access, ids, auditLog),
    threads,
    messages,
    messageSearch: new MessageSearchService(stores.messages, stores.channels, access),
    readStates,
    webhooks: new WebhookService(uow, stores.webhooks, stores.channels, access, messages, files, stores.images, ids, clock, auditLog),
    presence: new PresenceService(hub, clock),
    commands: new ApplicationCommandService(
      uow,
      stores.applicationCommands,
      { user: (userId) => stores.users.byId(userId), isMember: (guildId, userId) => stores.guilds.member(guildId, userId) !== null },
      ids,
    ),
    emojis: new EmojiService(uow, stores.emojis, stores.guilds, access, files, ids),
  };
  uow.enrichWith(eventViews(messages, stores.guilds));
  const fileJanitor = new FileJanitor(stores.attachments, files);
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
    stores,
    services: { ...services, ...startPresenceModule({ config, clock, hub, uow, ids, stores, services }) },
  };
}

export type Core = ReturnType<typeof createCore>;
