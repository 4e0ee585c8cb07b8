// The PostgreSQL engine's repositories, one per SQLite store in src/store/*.ts (same methods, async). Each is built
// over the pool or over a transaction handle: `sql.begin(async (tx) => postgresRepositories(tx).messages.insert(…))`.
import { ApplicationCommandsStore } from './application-commands-store.ts';
import { AttachmentsStore } from './attachments-store.ts';
import { AuditLogStore } from './audit-log-store.ts';
import { ChannelsStore } from './channels-store.ts';
import { EmojisStore } from './emojis-store.ts';
import { GuildsStore } from './guilds-store.ts';
import { ImagesStore } from './images-store.ts';
import { InteractionsStore } from './interactions-store.ts';
import { InvitesStore } from './invites-store.ts';
import { MessagesStore } from './messages-store.ts';
import { PresenceStateStore } from './presence-state-store.ts';
import { PresenceStore } from './presence-store.ts';
import { type AfterCommit, ReadStatesStore } from './read-states-store.ts';
import { ResumeSnapshotStore } from './resume-snapshot-store.ts';
import { SessionsStore } from './sessions-store.ts';
import { SettingsStore } from './settings-store.ts';
import type { Db } from './sql.ts';
import { ThreadsStore } from './threads-store.ts';
import { TokenRevealsStore } from './token-reveals-store.ts';
import { UsersStore } from './users-store.ts';
import { WebhooksStore } from './webhooks-store.ts';

export { ApplicationCommandsStore } from './application-commands-store.ts';
export { AttachmentsStore } from './attachments-store.ts';
export { AuditLogStore } from './audit-log-store.ts';
export { ChannelsStore } from './channels-store.ts';
export { EmojisStore } from './emojis-store.ts';
export { GuildsStore } from './guilds-store.ts';
export { ImagesStore } from './images-store.ts';
export { InteractionsStore } from './interactions-store.ts';
export { InvitesStore } from './invites-store.ts';
export { MessagesStore } from './messages-store.ts';
export { PresenceStateStore } from './presence-state-store.ts';
export { PresenceStore } from './presence-store.ts';
export { ReadStatesStore } from './read-states-store.ts';
export { ResumeSnapshotStore } from './resume-snapshot-store.ts';
export { SessionsStore } from './sessions-store.ts';
export { SettingsStore } from './settings-store.ts';
export { ThreadsStore } from './threads-store.ts';
export { TokenRevealsStore } from './token-reveals-store.ts';
export { UsersStore } from './users-store.ts';
export { WebhooksStore } from './webhooks-store.ts';

/**
 * Every repository over one client: the pool, or the handle of the unit of work's transaction (with `afterCommit`,
 * where the stores leave what runs just after it commits).
 */
export function postgresRepositories(sql: Db, afterCommit?: AfterCommit) {
  return {
    users: new UsersStore(sql),
    sessions: new SessionsStore(sql),
    settings: new SettingsStore(sql),
    guilds: new GuildsStore(sql),
    channels: new ChannelsStore(sql),
    invites: new InvitesStore(sql),
    messages: new MessagesStore(sql),
    applicationCommands: new ApplicationCommandsStore(sql),
    webhooks: new WebhooksStore(sql),
    threads: new ThreadsStore(sql),
    attachments: new AttachmentsStore(sql),
    images: new ImagesStore(sql),
    emojis: new EmojisStore(sql),
    auditLog: new AuditLogStore(sql),
    interactions: new InteractionsStore(sql),
    readStates: new ReadStatesStore(sql, afterCommit),
    presence: new PresenceStore(sql),
    presenceState: new PresenceStateStore(sql),
    tokenReveals: new TokenRevealsStore(sql),
    resumeSnapshot: new ResumeSnapshotStore(sql),
  };
}

export type PostgresRepositories = ReturnType<typeof postgresRepositories>;
