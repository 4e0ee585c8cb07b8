// The ordered list of every PostgreSQL migration, with the same ids as src/db/migrations (SQLite). Adding one: a new
// file NNNN-name.ts next to these exporting a PgMigration, and its line here.
import type { PgMigration } from '../migrate.ts';
import { initial } from './0001-initial.ts';
import { presence } from './0002-presence.ts';
import { discordBridge } from './0003-discord-bridge.ts';
import { deletedAccounts } from './0004-deleted-accounts.ts';
import { presenceTokenReveals } from './0005-presence-token-reveals.ts';
import { dmPrivacy } from './0006-dm-privacy.ts';
import { richMessages } from './0007-rich-messages.ts';
import { attachments } from './0008-attachments.ts';
import { images } from './0009-images.ts';
import { webhooks } from './0010-webhooks.ts';
import { threads } from './0011-threads.ts';
import { applicationCommands } from './0012-application-commands.ts';
import { sessionRecords } from './0013-session-records.ts';
import { interactions } from './0014-interactions.ts';
import { restartState } from './0015-restart-state.ts';
import { auditLog } from './0017-audit-log.ts';
import { readStates } from './0018-read-states.ts';
import { messageSearch } from './0019-message-search.ts';
import { systemMessages } from './0020-system-messages.ts';
import { eventOutbox } from './0021-event-outbox.ts';
import { interactionFiles } from './0022-interaction-files.ts';
import { searchQueue } from './0023-search-queue.ts';
import { foreignKeyIndexes } from './0024-foreign-key-indexes.ts';
import { searchWatermark } from './0025-search-watermark.ts';

// One per line, so migrations added side by side merge without conflict.
export const PG_MIGRATIONS: PgMigration[] = [
  initial,
  presence,
  discordBridge,
  deletedAccounts,
  presenceTokenReveals,
  dmPrivacy,
  richMessages,
  attachments,
  images,
  webhooks,
  threads,
  applicationCommands,
  sessionRecords,
  interactions,
  restartState,
  auditLog,
  readStates,
  messageSearch,
  systemMessages,
  eventOutbox,
  interactionFiles,
  searchQueue,
  foreignKeyIndexes,
  searchWatermark,
];
