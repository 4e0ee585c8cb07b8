// The PostgreSQL engine's repositories, one per SQLite store in src/store/*.ts (same methods, async). Each is built
// over the pool or over a transaction handle: `sql.begin(async (tx) => { const m = new MessagesStore(tx); … })`.
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
