// The storage ports: what the domain needs from a database, declared by the domain and implemented by each engine
// (src/store/sqlite with bun:sqlite, src/store/postgres with Bun's SQL client). The domain imports these interfaces
// and the entity types of ../model/, never a concrete store; src/store/sqlite/index.ts (or the Postgres twin) builds
// a `Repositories` over one connection and src/core.ts hands it to the services.
//
// Every method returns a Promise: an engine on the network (PostgreSQL) cannot answer synchronously. The method
// names and parameter lists are those the SQLite stores had, so both engines implement one contract and the
// repository contract tests run against both.
//
// Services take their repositories from the unit of work (./unit-of-work.ts: `uow.repos`), await every call,
// and run their writes in `uow.write(async (emit) => ...)`. An engine that answers in process (the SQLite stores)
// implements `XRepo` (../../store/sqlite/immediate.ts) and its unit of work adapts it.
import type { ApplicationCommandsRepo } from './application-commands.ts';
import type { AttachmentsRepo } from './attachments.ts';
import type { AuditLogRepo } from './audit-log.ts';
import type { ChannelsRepo } from './channels.ts';
import type { EmojisRepo } from './emojis.ts';
import type { GuildsRepo } from './guilds.ts';
import type { ImagesRepo } from './images.ts';
import type { InteractionsRepo } from './interactions.ts';
import type { InvitesRepo } from './invites.ts';
import type { MessageLinks, MessagesRepo } from './messages.ts';
import type { PresenceRepo } from './presence.ts';
import type { ReadStatesRepo } from './read-states.ts';
import type { SessionsRepo } from './sessions.ts';
import type { SettingsRepo } from './settings.ts';
import type { ThreadsRepo } from './threads.ts';
import type { TokenRevealsRepo } from './token-reveals.ts';
import type { UsersRepo } from './users.ts';
import type { WebhooksRepo } from './webhooks.ts';

export type {
  ApplicationCommandsRepo,
  AttachmentsRepo,
  AuditLogRepo,
  ChannelsRepo,
  EmojisRepo,
  GuildsRepo,
  ImagesRepo,
  InteractionsRepo,
  InvitesRepo,
  MessageLinks,
  MessagesRepo,
  PresenceRepo,
  ReadStatesRepo,
  SessionsRepo,
  SettingsRepo,
  ThreadsRepo,
  TokenRevealsRepo,
  UsersRepo,
  WebhooksRepo,
};

/** Every repository of one engine over one connection (inside a write: the transaction's connection). */
export type Repositories = {
  users: UsersRepo;
  sessions: SessionsRepo;
  settings: SettingsRepo;
  guilds: GuildsRepo;
  channels: ChannelsRepo;
  invites: InvitesRepo;
  messages: MessagesRepo;
  applicationCommands: ApplicationCommandsRepo;
  webhooks: WebhooksRepo;
  threads: ThreadsRepo;
  attachments: AttachmentsRepo;
  images: ImagesRepo;
  emojis: EmojisRepo;
  auditLog: AuditLogRepo;
  interactions: InteractionsRepo;
  readStates: ReadStatesRepo;
  presence: PresenceRepo;
  tokenReveals: TokenRevealsRepo;
};
