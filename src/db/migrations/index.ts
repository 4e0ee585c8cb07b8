// The ordered list of every migration; add a new file and append it here.
import type { Migration } from '../migrate.ts';
import { initial } from './0001-initial.ts';
import { presence } from './0002-presence.ts';
import { discordBridge } from './0003-discord-bridge.ts';
import { deletedAccounts } from './0004-deleted-accounts.ts';
import { presenceTokenReveals } from './0005-presence-token-reveals.ts';
import { dmPrivacy } from './0006-dm-privacy.ts';
import { richMessages } from './0007-rich-messages.ts';
import { attachments } from './0008-attachments.ts';
import { webhooks } from './0010-webhooks.ts';
import { threads } from './0011-threads.ts';
import { applicationCommands } from './0012-application-commands.ts';
import { sessionRecords } from './0013-session-records.ts';
import { readStates } from './0018-read-states.ts';

// One per line, so migrations added side by side merge without conflict.
export const MIGRATIONS: Migration[] = [
  initial,
  presence,
  discordBridge,
  deletedAccounts,
  presenceTokenReveals,
  dmPrivacy,
  richMessages,
  attachments,
  webhooks,
  threads,
  applicationCommands,
  sessionRecords,
  readStates,
];
