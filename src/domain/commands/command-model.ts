// Application commands (slash commands and context menus) as Harmony stores them: one row per command of an
// application (the bot's user id) in a scope (global, or one guild). The option tree keeps everything invoking a
// command will check against (types, required, choices, ranges, lengths, channel types), so the interaction
// service can validate what a person sends with this same model.
import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord-api-types/v10';

export { ApplicationCommandOptionType as OptionType, ApplicationCommandType as CommandType };

/** The command kinds Harmony stores: slash commands, and the user and message context menus. */
export type CommandKind = ApplicationCommandType.ChatInput | ApplicationCommandType.User | ApplicationCommandType.Message;

/** Locale -> text, as Discord's localization dictionaries. */
export type Localizations = Record<string, string>;

export type CommandChoice = { name: string; nameLocalizations: Localizations | null; value: string | number };

/**
 * One option of a slash command. Subcommands and groups carry `options`; the value types carry the rest
 * (what does not apply to a type is null).
 */
export type CommandOption = {
  type: ApplicationCommandOptionType;
  name: string;
  nameLocalizations: Localizations | null;
  description: string;
  descriptionLocalizations: Localizations | null;
  required: boolean;
  /** STRING, INTEGER, NUMBER: the only values a person may pick. */
  choices: CommandChoice[] | null;
  /** SUB_COMMAND: its parameters; SUB_COMMAND_GROUP: its subcommands. */
  options: CommandOption[] | null;
  /** CHANNEL: the channel types a person may pick. */
  channelTypes: number[] | null;
  /** INTEGER, NUMBER. */
  minValue: number | null;
  maxValue: number | null;
  /** STRING. */
  minLength: number | null;
  maxLength: number | null;
  /** STRING, INTEGER, NUMBER: the app suggests values as the person types. */
  autocomplete: boolean;
};

/** What a bot defines; the server adds the id, application, scope and version. */
export type CommandDefinition = {
  type: CommandKind;
  name: string;
  nameLocalizations: Localizations | null;
  /** '' for context menus. */
  description: string;
  descriptionLocalizations: Localizations | null;
  options: CommandOption[];
  /** A permission bitfield a member needs to see the command; null: everyone. */
  defaultMemberPermissions: bigint | null;
  /** Deprecated by Discord in favour of `contexts`; kept because older libraries send and read it. */
  dmPermission: boolean;
  /** Interaction contexts (0 guild, 1 bot DM, 2 private channel); null: Discord's default, all of them. */
  contexts: number[] | null;
  /** Installation contexts (0 guild install, 1 user install). */
  integrationTypes: number[];
  nsfw: boolean;
};

export type ApplicationCommand = CommandDefinition & {
  id: string;
  applicationId: string;
  /** null for a global command. */
  guildId: string | null;
  /** A snowflake that changes whenever the definition does. */
  version: string;
};

/** Discord's limits. `perScope` counts commands of each type in one scope (global, or one guild). */
export const COMMAND_LIMITS = {
  name: 32,
  description: 100,
  options: 25,
  choices: 25,
  choiceName: 100,
  choiceString: 100,
  stringLength: 6000,
  /** Names, descriptions and choice names and values of a command and all its options. */
  totalChars: 4000,
  perScope: {
    [ApplicationCommandType.ChatInput]: 100,
    [ApplicationCommandType.User]: 15,
    [ApplicationCommandType.Message]: 15,
  } as Record<CommandKind, number>,
} as const;

/** The largest integer a command option takes (Discord: ±(2^53 - 1)). */
export const OPTION_NUMBER_MAX = Number.MAX_SAFE_INTEGER;

/** Option types whose values a person types or picks (everything but subcommands and groups). */
export const isValueOption = (type: ApplicationCommandOptionType): boolean =>
  type !== ApplicationCommandOptionType.Subcommand && type !== ApplicationCommandOptionType.SubcommandGroup;

/** Option types that may have choices or autocomplete. */
export const takesChoices = (type: ApplicationCommandOptionType): boolean =>
  type === ApplicationCommandOptionType.String || type === ApplicationCommandOptionType.Integer || type === ApplicationCommandOptionType.Number;

/** The characters of a command that count towards COMMAND_LIMITS.totalChars. */
export function commandChars(definition: Pick<CommandDefinition, 'name' | 'description' | 'options'>): number {
  const chars = (s: string) => [...s].length;
  const ofOption = (o: CommandOption): number =>
    chars(o.name) +
    chars(o.description) +
    (o.choices ?? []).reduce((n, c) => n + chars(c.name) + chars(String(c.value)), 0) +
    (o.options ?? []).reduce((n, child) => n + ofOption(child), 0);
  return chars(definition.name) + chars(definition.description) + definition.options.reduce((n, o) => n + ofOption(o), 0);
}
