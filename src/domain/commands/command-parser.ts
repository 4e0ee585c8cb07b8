// Reads a command definition from Discord's request shape (both bot dialects take it as is) and checks it with
// Discord's rules: names, descriptions, localizations, the option tree (subcommands and groups, required before
// optional, unique names), choices, ranges, lengths and channel types, and the 4000-character total. Every
// problem is one entry of the 50035 naming its field (`options.0.choices.2.value`), with Discord's code where
// Discord documents or is known to use one.
import { ApplicationCommandOptionType, ApplicationCommandType, ChannelType, Locale } from 'discord-api-types/v10';
import type { FieldPath, FormErrors } from '../../http/api-error.ts';
import { FormReader, type Json } from '../form-reader.ts';
import { parsePermissions } from '../permissions.ts';
import {
  COMMAND_LIMITS,
  type CommandChoice,
  type CommandDefinition,
  type CommandKind,
  type CommandOption,
  commandChars,
  isValueOption,
  type Localizations,
  OPTION_NUMBER_MAX,
  takesChoices,
} from './command-model.ts';

/** Slash command and option names: Discord's pattern, with the unicode flag. */
const CHAT_INPUT_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

const COMMAND_TYPES: readonly CommandKind[] = [ApplicationCommandType.ChatInput, ApplicationCommandType.User, ApplicationCommandType.Message];
const OPTION_TYPES = Object.values(ApplicationCommandOptionType).filter((v): v is ApplicationCommandOptionType => typeof v === 'number');
const CHANNEL_TYPES = Object.values(ChannelType).filter((v): v is ChannelType => typeof v === 'number');
const LOCALES = new Set<string>(Object.values(Locale));
const INTERACTION_CONTEXTS = [0, 1, 2] as const;
const INTEGRATION_TYPES = [0, 1] as const;

/** Codes Discord answers with for these rules. */
export const COMMAND_ERRORS = {
  invalidName: ['APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid'],
  contextMenuDescription: ['APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION_INVALID', 'Context menu commands cannot have description'],
  requiredOrder: ['APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options'],
  mixedSubcommands: ['APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'Sub-command and sub-command group option types are mutually exclusive to all other types'],
  duplicateOption: ['APPLICATION_COMMAND_OPTIONS_DUPLICATE_NAME', 'Command option names must be unique'],
  duplicateCommand: ['APPLICATION_COMMANDS_DUPLICATE_NAME', 'Application command names must be unique'],
  tooLarge: ['APPLICATION_COMMAND_TOO_LARGE', `Command exceeds maximum size (${COMMAND_LIMITS.totalChars})`],
  typeImmutable: ['APPLICATION_COMMAND_TYPE_IMMUTABLE', 'Application command types are immutable'],
  /** Harmony's code for a field set on an option type it does not apply to (Discord documents the rule, not a code). */
  fieldNotForType: 'APPLICATION_COMMAND_OPTION_FIELD_INVALID',
} as const;

/** Where an option list sits: on the command, in a subcommand group, or in a subcommand. */
type Level = 'command' | 'group' | 'subcommand';

export type ParsedCommand = { definition: CommandDefinition; tooLarge: boolean };

/**
 * A command definition from `value` (the body of POST, one item of PUT). With `current` (PATCH), absent fields
 * keep their current values and `type` may not change. Problems go to `errors` under `path`; the result is null
 * when the body is unusable. `tooLarge` is reported apart: Discord names it on the command, not a field.
 */
export function parseCommand(value: unknown, errors: FormErrors, path: FieldPath, current?: CommandDefinition): ParsedCommand | null {
  const read = new CommandReader(errors);
  const body = read.object(value, path, true);
  if (!body) return null;
  const given = (key: string) => body[key] !== undefined && (current === undefined || body[key] !== null || NULLABLE.has(key));
  const at = (key: string): FieldPath => [...path, key];

  let type: CommandKind | null = current?.type ?? ApplicationCommandType.ChatInput;
  if (body.type !== undefined && body.type !== null) {
    type = read.choice(body.type, at('type'), COMMAND_TYPES);
    if (current && type !== null && type !== current.type) read.fail(at('type'), ...COMMAND_ERRORS.typeImmutable);
  }
  if (type === null) return null;
  const chatInput = type === ApplicationCommandType.ChatInput;
  const nameOf = (v: unknown, p: FieldPath) => (chatInput ? read.chatInputName(v, p) : read.sized(v, p, 1, COMMAND_LIMITS.name));

  const name = given('name') || !current ? nameOf(body.name, at('name')) : current.name;
  const nameLocalizations = given('name_localizations')
    ? read.localizations(body.name_localizations, at('name_localizations'), nameOf)
    : (current?.nameLocalizations ?? null);
  let description = current?.description ?? '';
  let descriptionLocalizations = current?.descriptionLocalizations ?? null;
  if (chatInput) {
    if (given('description') || !current) description = read.sized(body.description, at('description'), 1, COMMAND_LIMITS.description) ?? '';
    if (given('description_localizations')) {
      descriptionLocalizations = read.localizations(body.description_localizations, at('description_localizations'), (v, p) =>
        read.sized(v, p, 1, COMMAND_LIMITS.description),
      );
    }
  } else {
    // Context menus show their name only: an empty description is what Discord stores for them.
    if (body.description !== undefined && body.description !== null && body.description !== '')
      read.fail(at('description'), ...COMMAND_ERRORS.contextMenuDescription);
    const localized = body.description_localizations;
    if (localized !== undefined && localized !== null && !(typeof localized === 'object' && Object.keys(localized).length === 0)) {
      read.fail(at('description_localizations'), ...COMMAND_ERRORS.contextMenuDescription);
    }
  }

  let options = current?.options ?? [];
  if (given('options') || !current) {
    if (chatInput) options = read.options(body.options, at('options'), 'command');
    else if (Array.isArray(body.options) && body.options.length > 0)
      read.fail(at('options'), COMMAND_ERRORS.fieldNotForType, 'Only CHAT_INPUT commands can have options');
  }

  const definition: CommandDefinition = {
    type,
    name: name ?? '',
    nameLocalizations,
    description,
    descriptionLocalizations,
    options,
    defaultMemberPermissions: given('default_member_permissions')
      ? read.permissions(body.default_member_permissions, at('default_member_permissions'))
      : (current?.defaultMemberPermissions ?? null),
    dmPermission: given('dm_permission') ? (read.boolean(body.dm_permission, at('dm_permission')) ?? true) : (current?.dmPermission ?? true),
    contexts: given('contexts') ? read.enumList(body.contexts, at('contexts'), INTERACTION_CONTEXTS) : (current?.contexts ?? null),
    integrationTypes: given('integration_types')
      ? (read.enumList(body.integration_types, at('integration_types'), INTEGRATION_TYPES) ?? [0])
      : (current?.integrationTypes ?? [0]),
    nsfw: given('nsfw') ? (read.boolean(body.nsfw, at('nsfw')) ?? false) : (current?.nsfw ?? false),
  };
  return { definition, tooLarge: commandChars(definition) > COMMAND_LIMITS.totalChars };
}

/** Fields for which an explicit null in a PATCH means "set to null" rather than "leave as is". */
const NULLABLE = new Set(['default_member_permissions', 'name_localizations', 'description_localizations', 'contexts']);

class CommandReader extends FormReader {
  /** A string of `min`..`max` code points (Discord's BASE_TYPE_BAD_LENGTH), required when `min` > 0. */
  sized(value: unknown, path: FieldPath, min: number, max: number): string | null {
    if (value === undefined || value === null) return min > 0 ? this.fail(path, 'BASE_TYPE_REQUIRED', 'This field is required') : null;
    if (typeof value !== 'string') return this.fail(path, 'BASE_TYPE_STRING', 'Must be a string.');
    const length = [...value].length;
    if (length < min || length > max) return this.fail(path, 'BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${max} in length.`);
    return value;
  }

  /** A slash command or option name: 1-32 characters of Discord's pattern, lowercase wherever the script has case. */
  chatInputName(value: unknown, path: FieldPath): string | null {
    const name = this.sized(value, path, 1, COMMAND_LIMITS.name);
    if (name === null) return null;
    if (!CHAT_INPUT_NAME.test(name) || name.toLowerCase() !== name) return this.fail(path, ...COMMAND_ERRORS.invalidName);
    return name;
  }

  /** A localization dictionary: keys are Discord's locales, values follow `check`. Empty or null: null. */
  localizations(value: unknown, path: FieldPath, check: (v: unknown, p: FieldPath) => string | null): Localizations | null {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'object' || Array.isArray(value)) return this.fail(path, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
    const out: Localizations = {};
    for (const [locale, text] of Object.entries(value as Json)) {
      if (!LOCALES.has(locale)) {
        this.fail([...path, locale], 'ENUM_TYPE_COERCE', `Value "${locale.slice(0, 32)}" is not a valid enum value.`);
        continue;
      }
      const checked = check(text, [...path, locale]);
      if (checked !== null) out[locale] = checked;
    }
    return Object.keys(out).length > 0 ? out : null;
  }

  /** A permission bitfield as a decimal string or an integer; null clears it. */
  permissions(value: unknown, path: FieldPath): bigint | null {
    if (value === undefined || value === null) return null;
    const text = typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? String(value) : value;
    const bits = typeof text === 'string' ? parsePermissions(text) : null;
    if (bits === null) return this.fail(path, 'PERMISSIONS_INVALID', 'Invalid permission bitfield');
    return bits;
  }

  /** A list of distinct values out of `allowed`; null or absent: null. */
  enumList(value: unknown, path: FieldPath, allowed: readonly number[]): number[] | null {
    if (value === undefined || value === null) return null;
    const out: number[] = [];
    this.list(value, path, { max: allowed.length * 4 }).forEach((item, i) => {
      const picked = this.choice(item, [...path, i], allowed);
      if (picked !== null && !out.includes(picked)) out.push(picked);
    });
    return out;
  }

  /** An option list and the rules that tie its items together (structure, unique names, required first). */
  options(value: unknown, path: FieldPath, level: Level): CommandOption[] {
    const parsed: { index: number; option: CommandOption }[] = [];
    this.list(value, path, { max: COMMAND_LIMITS.options }).forEach((item, index) => {
      const option = this.option(item, [...path, index]);
      if (option) parsed.push({ index, option });
    });
    const groups = parsed.filter(({ option }) => !isValueOption(option.type));
    if (level === 'command' && groups.length > 0 && groups.length < parsed.length) this.fail(path, ...COMMAND_ERRORS.mixedSubcommands);
    for (const { index, option } of parsed) {
      if (level === 'group' && option.type !== ApplicationCommandOptionType.Subcommand) {
        this.fail([...path, index, 'type'], COMMAND_ERRORS.mixedSubcommands[0], 'A sub-command group can only contain sub-commands');
      }
      if (level === 'subcommand' && !isValueOption(option.type)) {
        this.fail([...path, index, 'type'], COMMAND_ERRORS.mixedSubcommands[0], 'A sub-command cannot contain sub-commands or sub-command groups');
      }
    }
    const seen = new Set<string>();
    for (const { index, option } of parsed) {
      if (seen.has(option.name)) this.fail([...path, index, 'name'], ...COMMAND_ERRORS.duplicateOption);
      seen.add(option.name);
    }
    let optionalSeen = false;
    for (const { index, option } of parsed) {
      if (!isValueOption(option.type)) continue;
      if (option.required && optionalSeen) this.fail([...path, index], ...COMMAND_ERRORS.requiredOrder);
      if (!option.required) optionalSeen = true;
    }
    return parsed.map(({ option }) => option);
  }

  private option(value: unknown, path: FieldPath): CommandOption | null {
    const o = this.object(value, path, true);
    if (!o) return null;
    const at = (key: string): FieldPath => [...path, key];
    const type = this.choice(o.type, at('type'), OPTION_TYPES);
    const name = this.chatInputName(o.name, at('name'));
    const nameLocalizations = this.localizations(o.name_localizations, at('name_localizations'), (v, p) => this.chatInputName(v, p));
    const description = this.sized(o.description, at('description'), 1, COMMAND_LIMITS.description);
    const descriptionLocalizations = this.localizations(o.description_localizations, at('description_localizations'), (v, p) =>
      this.sized(v, p, 1, COMMAND_LIMITS.description),
    );
    if (type === null || name === null || description === null) return null;

    const valueOption = isValueOption(type);
    const numeric = type === ApplicationCommandOptionType.Integer || type === ApplicationCommandOptionType.Number;
    const string = type === ApplicationCommandOptionType.String;
    /** A field that is set (not null, not an empty list, not false) on a type it does not apply to. */
    const misplaced = (key: string, applies: boolean, which: string): boolean => {
      const v = o[key];
      const set = v !== undefined && v !== null && v !== false && !(Array.isArray(v) && v.length === 0);
      if (set && !applies) this.fail(at(key), COMMAND_ERRORS.fieldNotForType, `Only ${which} options can have ${key}`);
      return set && applies;
    };

    const choices = misplaced('choices', takesChoices(type), 'STRING, INTEGER and NUMBER') ? this.choices(o.choices, at('choices'), type) : null;
    const autocomplete = misplaced('autocomplete', takesChoices(type), 'STRING, INTEGER and NUMBER')
      ? this.boolean(o.autocomplete, at('autocomplete')) === true
      : false;
    if (autocomplete && choices && choices.length > 0) {
      this.fail(at('autocomplete'), COMMAND_ERRORS.fieldNotForType, 'Autocomplete and choices are mutually exclusive');
    }
    const minValue = misplaced('min_value', numeric, 'INTEGER and NUMBER') ? this.bound(o.min_value, at('min_value'), type) : null;
    const maxValue = misplaced('max_value', numeric, 'INTEGER and NUMBER') ? this.bound(o.max_value, at('max_value'), type) : null;
    if (minValue !== null && maxValue !== null && minValue > maxValue) {
      this.fail(at('max_value'), 'NUMBER_TYPE_MIN', `Value should be greater than or equal to ${minValue}.`);
    }
    const minLength = misplaced('min_length', string, 'STRING')
      ? this.integer(o.min_length, at('min_length'), { min: 0, max: COMMAND_LIMITS.stringLength })
      : null;
    const maxLength = misplaced('max_length', string, 'STRING')
      ? this.integer(o.max_length, at('max_length'), { min: 1, max: COMMAND_LIMITS.stringLength })
      : null;
    if (minLength !== null && maxLength !== null && minLength > maxLength) {
      this.fail(at('max_length'), 'NUMBER_TYPE_MIN', `int value should be greater than or equal to ${minLength}.`);
    }
    const channelTypes = misplaced('channel_types', type === ApplicationCommandOptionType.Channel, 'CHANNEL')
      ? this.enumList(o.channel_types, at('channel_types'), CHANNEL_TYPES)
      : null;
    let options: CommandOption[] | null = null;
    if (type === ApplicationCommandOptionType.Subcommand) options = this.options(o.options, at('options'), 'subcommand');
    else if (type === ApplicationCommandOptionType.SubcommandGroup) options = this.options(o.options, at('options'), 'group');
    else misplaced('options', false, 'SUB_COMMAND and SUB_COMMAND_GROUP');

    return {
      type,
      name,
      nameLocalizations,
      description,
      descriptionLocalizations,
      required: valueOption ? this.boolean(o.required, at('required')) === true : false,
      choices,
      options,
      channelTypes,
      minValue,
      maxValue,
      minLength,
      maxLength,
      autocomplete,
    };
  }

  /** Choices whose values have the option's type: strings up to 100 characters, integers, or numbers. */
  private choices(value: unknown, path: FieldPath, type: ApplicationCommandOptionType): CommandChoice[] {
    const out: CommandChoice[] = [];
    this.list(value, path, { max: COMMAND_LIMITS.choices }).forEach((item, i) => {
      const c = this.object(item, [...path, i], true);
      if (!c) return;
      const name = this.sized(c.name, [...path, i, 'name'], 1, COMMAND_LIMITS.choiceName);
      const nameLocalizations = this.localizations(c.name_localizations, [...path, i, 'name_localizations'], (v, p) =>
        this.sized(v, p, 1, COMMAND_LIMITS.choiceName),
      );
      const choiceValue =
        type === ApplicationCommandOptionType.String
          ? this.sized(c.value, [...path, i, 'value'], 1, COMMAND_LIMITS.choiceString)
          : this.bound(c.value, [...path, i, 'value'], type, true);
      if (name !== null && choiceValue !== null) out.push({ name, nameLocalizations, value: choiceValue });
    });
    return out;
  }

  /** An INTEGER (whole) or NUMBER (any finite) value within ±(2^53 - 1). */
  private bound(value: unknown, path: FieldPath, type: ApplicationCommandOptionType, required = false): number | null {
    if (value === undefined || value === null) return required ? this.fail(path, 'BASE_TYPE_REQUIRED', 'This field is required') : null;
    const integer = type === ApplicationCommandOptionType.Integer;
    if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
      return this.fail(path, 'NUMBER_TYPE_COERCE', integer ? 'Value is not int.' : 'Value is not float.');
    }
    if (value < -OPTION_NUMBER_MAX) return this.fail(path, 'NUMBER_TYPE_MIN', `Value should be greater than or equal to ${-OPTION_NUMBER_MAX}.`);
    if (value > OPTION_NUMBER_MAX) return this.fail(path, 'NUMBER_TYPE_MAX', `Value should be less than or equal to ${OPTION_NUMBER_MAX}.`);
    return value;
  }
}
