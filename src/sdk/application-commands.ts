// Application commands as a HarmonyClient user sees them: what the server answers is the v1 model's type (one
// contract, src/dialects/harmony/application-commands.ts; a type-only import, so nothing of it is bundled), and what
// a bot sends is Discord's command shape. Mirrored in published-declarations.d.ts.
import type { Static } from '@sinclair/typebox';
import type { ApplicationCommandModel } from '../dialects/harmony/application-commands.ts';

/** A stored command: every field present, null when unset, with the full localization dictionaries. */
export type ApplicationCommand = Static<typeof ApplicationCommandModel>;
export type ApplicationCommandOption = ApplicationCommand['options'][number];

/** A choice to offer (STRING, INTEGER and NUMBER options; at most 25). */
export interface ApplicationCommandChoiceInput {
  name: string;
  name_localizations?: Record<string, string> | null;
  value: string | number;
}

/**
 * An option to declare (Discord's shape). type: 1 SUB_COMMAND, 2 SUB_COMMAND_GROUP, 3 STRING, 4 INTEGER, 5 BOOLEAN,
 * 6 USER, 7 CHANNEL, 8 ROLE, 9 MENTIONABLE, 10 NUMBER, 11 ATTACHMENT. Required options come before optional ones.
 */
export interface ApplicationCommandOptionInput {
  type: number;
  /** 1-32 lowercase letters, digits, - _ ' (any script). */
  name: string;
  description: string;
  name_localizations?: Record<string, string> | null;
  description_localizations?: Record<string, string> | null;
  required?: boolean;
  choices?: ApplicationCommandChoiceInput[];
  /** Subcommands: their parameters; groups: their subcommands. */
  options?: ApplicationCommandOptionInput[];
  channel_types?: number[];
  min_value?: number;
  max_value?: number;
  min_length?: number;
  max_length?: number;
  autocomplete?: boolean;
}

/** A command to register: a slash command (type 1, the default) or a user (2) or message (3) context menu. */
export interface ApplicationCommandInput {
  /** With setCommands: the id of a command to keep (even under a new name). */
  id?: string;
  name: string;
  type?: 1 | 2 | 3;
  /** Slash commands: 1-100 characters; context menus have none. */
  description?: string;
  name_localizations?: Record<string, string> | null;
  description_localizations?: Record<string, string> | null;
  options?: ApplicationCommandOptionInput[];
  /** A permission bitfield as a decimal string ('0': admins only), or null for everyone. */
  default_member_permissions?: string | null;
  dm_permission?: boolean;
  contexts?: number[] | null;
  integration_types?: number[];
  nsfw?: boolean;
}

/** Which commands: your bot's global ones, or those of one guild (`guildId`). */
export interface CommandScopeOptions {
  guildId?: string;
}
