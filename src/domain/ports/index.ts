// The storage ports: what the domain needs from a database, declared by the domain and implemented by each engine
// (src/store/sqlite with bun:sqlite, src/store/postgres with Bun's SQL client). The domain imports these interfaces
// and the entity types of ../model/, never a concrete store; src/store/sqlite/index.ts (or the Postgres twin) builds
// a `Repositories` over one connection and src/core.ts hands it to the services.
//
// Every method returns a Promise: an engine on the network (PostgreSQL) cannot answer synchronously. The method
// names and parameter lists are those the SQLite stores had, so both engines implement one contract and the
// repository contract tests run against both.
//
// Migration state (issue 13 item 1): the SQLite stores still answer synchronously, and the services still call
// them synchronously inside `UnitOfWork.write` (which cannot await yet). Until a service is converted it declares
// its dependency as `Immediate<XRepo>`: the same method set, answering at once. Converting a service means:
// declare `XRepo` instead, `await` every call (watch `if (repo.x())`, `?? `, `!== null`, `.some(` on results,
// which tsc does not flag), and run its writes in the awaiting unit of work. New code should call repositories as
// if they were async (one call per line, results named), so that conversion is mechanical.
import type { ApplicationCommandsRepo } from './application-commands.ts';
import type { AttachmentsRepo } from './attachments.ts';
import type { AuditLogRepo } from './audit-log.ts';
import type { ChannelsRepo } from './channels.ts';
import type { EmojisRepo } from './emojis.ts';
import type { GuildsRepo } from './guilds.ts';
import type { ImagesRepo } from './images.ts';
import type { InteractionsRepo } from './interactions.ts';
import type { InvitesRepo } from './invites.ts';
import type { MessagesRepo } from './messages.ts';
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

/**
 * A port's method set answering at once instead of through a Promise: what an engine that runs in process
 * (SQLite) provides, and what a service not yet converted to await still takes. Goes away with the last one.
 */
export type Immediate<Port> = {
  [K in keyof Port]: Port[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : Port[K];
};

/** An engine whose calls answer at once: every port in its immediate form. */
export type ImmediateRepositories = { [K in keyof Repositories]: Immediate<Repositories[K]> };

/**
 * The async form of an immediate repository: what an in-process engine hands to code that awaits. `before`, when
 * given, is awaited ahead of each call (a read that must wait for an open write, see src/db/unit-of-work.ts).
 */
export function awaitable<Port extends object>(immediate: Immediate<Port>, before?: () => Promise<void>): Port {
  return new Proxy(immediate, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      const call = (args: unknown[]) => value.apply(target, args);
      if (before)
        return async (...args: unknown[]) => {
          await before();
          return call(args);
        };
      return (...args: unknown[]) => {
        try {
          return Promise.resolve(call(args));
        } catch (error) {
          return Promise.reject(error);
        }
      };
    },
  }) as unknown as Port;
}
