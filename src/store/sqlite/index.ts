// The SQLite engine: every repository of ../../domain/ports over one bun:sqlite connection (prepared statements,
// answering at once). src/core.ts builds the domain over what this returns; the PostgreSQL twin is ../postgres.
import type { Database } from 'bun:sqlite';
import { ApplicationCommandsStore } from './application-commands-store.ts';
import { AttachmentsStore } from './attachments-store.ts';
import { AuditLogStore } from './audit-log-store.ts';
import { ChannelsStore } from './channels-store.ts';
import { EmojisStore } from './emojis-store.ts';
import { GuildsStore } from './guilds-store.ts';
import { ImagesStore } from './images-store.ts';
import type { ImmediateRepositories } from './immediate.ts';
import { InteractionsStore } from './interactions-store.ts';
import { InvitesStore } from './invites-store.ts';
import { MessagesStore } from './messages-store.ts';
import { PresenceStore } from './presence-store.ts';
import { ReadStatesStore } from './read-states-store.ts';
import { SessionsStore } from './sessions-store.ts';
import { SettingsStore } from './settings-store.ts';
import { ThreadsStore } from './threads-store.ts';
import { TokenRevealsStore } from './token-reveals-store.ts';
import { UsersStore } from './users-store.ts';
import { WebhooksStore } from './webhooks-store.ts';

export function sqliteRepositories(db: Database): ImmediateRepositories {
  return {
    users: new UsersStore(db),
    sessions: new SessionsStore(db),
    settings: new SettingsStore(db),
    guilds: new GuildsStore(db),
    channels: new ChannelsStore(db),
    invites: new InvitesStore(db),
    messages: new MessagesStore(db),
    applicationCommands: new ApplicationCommandsStore(db),
    webhooks: new WebhooksStore(db),
    threads: new ThreadsStore(db),
    attachments: new AttachmentsStore(db),
    images: new ImagesStore(db),
    emojis: new EmojisStore(db),
    auditLog: new AuditLogStore(db),
    interactions: new InteractionsStore(db),
    readStates: new ReadStatesStore(db),
    presence: new PresenceStore(db),
    tokenReveals: new TokenRevealsStore(db),
  };
}
