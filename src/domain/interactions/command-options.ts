// Checks the options a person sends with a command against the stored command, as Discord's client-side picker
// and server both do: the subcommand path, names, types, required options, choices, ranges and lengths, and that
// every user, role, channel and attachment named exists where the command runs. Autocomplete is the same walk,
// except that the focused option carries what was typed so far and nothing has to be complete yet.
import { ApplicationCommandOptionType as OptionType } from 'discord-api-types/v10';
import type { FieldPath, FormErrors } from '../../http/api-error.ts';
import type { CommandOption } from '../commands/command-model.ts';
import type { InvokedOption, ResolvedIds } from './interaction-model.ts';

/** What an option value may name, as seen from the channel the command runs in. */
export type OptionWorld = {
  userExists(userId: string): Promise<boolean>;
  roleExists(roleId: string): Promise<boolean>;
  /** The channel's type, or null when it is not one the invoker may pick (another guild, or hidden from them). */
  channelType(channelId: string): Promise<number | null>;
  /** The attachment id an ATTACHMENT value names (an upload of this request), or null when it names none. */
  attachment(value: string): string | null;
};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSnowflake = (v: unknown): v is string => typeof v === 'string' && /^\d{1,20}$/.test(v);

export type CheckedOptions = { options: InvokedOption[]; resolved: ResolvedIds; focused: boolean };

/**
 * `raw` is `data.options` as sent. Problems go to `errors` under `data.options...`; the caller throws once.
 * `autocomplete`: exactly one option must be focused, and required options may still be missing.
 */
export async function checkOptions(
  declared: readonly CommandOption[],
  raw: unknown,
  world: OptionWorld,
  errors: FormErrors,
  autocomplete: boolean,
): Promise<CheckedOptions> {
  const resolved: ResolvedIds = { users: [], roles: [], channels: [], messages: [], attachments: [] };
  let focusedCount = 0;
  const add = (list: string[], id: string) => {
    if (!list.includes(id)) list.push(id);
  };

  async function walk(options: readonly CommandOption[], value: unknown, path: FieldPath): Promise<InvokedOption[]> {
    const given = value === undefined || value === null ? [] : value;
    if (!Array.isArray(given)) {
      errors.add(path, 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
      return [];
    }
    const branches = options.filter((o) => o.type === OptionType.Subcommand || o.type === OptionType.SubcommandGroup);
    if (branches.length > 0) {
      const [only, ...rest] = given;
      if (!isObject(only) || rest.length > 0) {
        errors.add(path, 'APPLICATION_COMMAND_OPTIONS_SUBCOMMAND_REQUIRED', 'Exactly one subcommand or group is required');
        return [];
      }
      const branch = branches.find((o) => o.name === only.name && o.type === only.type);
      if (!branch) {
        errors.add([...path, 0, 'name'], 'APPLICATION_COMMAND_OPTION_UNKNOWN', 'Unknown subcommand');
        return [];
      }
      const children = await walk(branch.options ?? [], only.options, [...path, 0, 'options']);
      return [{ name: branch.name, type: branch.type, value: null, options: children, focused: false }];
    }
    const out: InvokedOption[] = [];
    const seen = new Set<string>();
    for (const [i, item] of given.entries()) {
      const at = [...path, i];
      if (!isObject(item)) {
        errors.add(at, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
        continue;
      }
      const option = options.find((o) => o.name === item.name);
      if (!option) {
        errors.add([...at, 'name'], 'APPLICATION_COMMAND_OPTION_UNKNOWN', 'Unknown option');
        continue;
      }
      if (seen.has(option.name)) {
        errors.add([...at, 'name'], 'APPLICATION_COMMAND_OPTION_DUPLICATED', 'Option given twice');
        continue;
      }
      // Given, if wrongly: one error for it, not a second one saying a required option is missing.
      seen.add(option.name);
      if (item.type !== option.type) {
        errors.add([...at, 'type'], 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', `Option type must be ${option.type}`);
        continue;
      }
      const focused = item.focused === true;
      if (focused) {
        focusedCount++;
        if (!autocomplete || !option.autocomplete)
          errors.add([...at, 'focused'], 'APPLICATION_COMMAND_OPTION_FOCUSED_INVALID', 'Only an autocompleted option may be focused, in an autocomplete');
        // What the person typed so far, unchecked: the application suggests from it.
        if (typeof item.value !== 'string' && typeof item.value !== 'number') errors.add([...at, 'value'], 'BASE_TYPE_STRING', 'Must be a string.');
        out.push({
          name: option.name,
          type: option.type,
          value: typeof item.value === 'number' ? String(item.value) : String(item.value ?? ''),
          options: null,
          focused: true,
        });
        continue;
      }
      const checked = await checkValue(option, item.value, [...at, 'value']);
      if (checked !== undefined) out.push({ name: option.name, type: option.type, value: checked, options: null, focused: false });
    }
    if (!autocomplete) {
      for (const o of options) if (o.required && !seen.has(o.name)) errors.add(path, 'APPLICATION_COMMAND_OPTION_REQUIRED', `Option "${o.name}" is required`);
    }
    return out;
  }

  async function checkValue(option: CommandOption, value: unknown, path: FieldPath): Promise<string | number | boolean | undefined> {
    const fail = (code: string, message: string) => {
      errors.add(path, code, message);
      return undefined;
    };
    const inChoices = (v: string | number) => !option.choices || option.choices.some((c) => c.value === v);
    switch (option.type) {
      case OptionType.String: {
        if (typeof value !== 'string') return fail('BASE_TYPE_STRING', 'Must be a string.');
        const length = [...value].length;
        if (option.minLength !== null && length < option.minLength) return fail('BASE_TYPE_MIN_LENGTH', `Must be ${option.minLength} or more in length.`);
        if (option.maxLength !== null && length > option.maxLength) return fail('BASE_TYPE_MAX_LENGTH', `Must be ${option.maxLength} or fewer in length.`);
        if (!inChoices(value)) return fail('APPLICATION_COMMAND_OPTION_CHOICE_INVALID', 'Value must be one of the choices');
        return value;
      }
      case OptionType.Integer:
      case OptionType.Number: {
        const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
        if (typeof n !== 'number' || !Number.isFinite(n)) return fail('NUMBER_TYPE_COERCE', `Value "${String(value)}" is not a number.`);
        if (option.type === OptionType.Integer && !Number.isSafeInteger(n)) return fail('NUMBER_TYPE_COERCE', `Value "${String(value)}" is not int.`);
        if (option.minValue !== null && n < option.minValue) return fail('NUMBER_TYPE_MIN', `Number must be greater than or equal to ${option.minValue}.`);
        if (option.maxValue !== null && n > option.maxValue) return fail('NUMBER_TYPE_MAX', `Number must be less than or equal to ${option.maxValue}.`);
        if (!inChoices(n)) return fail('APPLICATION_COMMAND_OPTION_CHOICE_INVALID', 'Value must be one of the choices');
        return n;
      }
      case OptionType.Boolean:
        return typeof value === 'boolean' ? value : fail('BASE_TYPE_BOOLEAN', 'Must be either true or false.');
      case OptionType.User:
        if (!isSnowflake(value) || !(await world.userExists(value))) return fail('APPLICATION_COMMAND_OPTION_USER_INVALID', 'Unknown user');
        add(resolved.users, value);
        return value;
      case OptionType.Role:
        if (!isSnowflake(value) || !(await world.roleExists(value))) return fail('APPLICATION_COMMAND_OPTION_ROLE_INVALID', 'Unknown role');
        add(resolved.roles, value);
        return value;
      case OptionType.Mentionable:
        if (isSnowflake(value) && (await world.userExists(value))) {
          add(resolved.users, value);
          return value;
        }
        if (isSnowflake(value) && (await world.roleExists(value))) {
          add(resolved.roles, value);
          return value;
        }
        return fail('APPLICATION_COMMAND_OPTION_MENTIONABLE_INVALID', 'Unknown user or role');
      case OptionType.Channel: {
        const type = isSnowflake(value) ? await world.channelType(value) : null;
        if (type === null) return fail('APPLICATION_COMMAND_OPTION_CHANNEL_INVALID', 'Unknown channel');
        if (option.channelTypes && option.channelTypes.length > 0 && !option.channelTypes.includes(type))
          return fail('APPLICATION_COMMAND_OPTION_CHANNEL_TYPE_INVALID', `Channel type must be one of ${option.channelTypes.join(', ')}`);
        add(resolved.channels, value as string);
        return value as string;
      }
      case OptionType.Attachment: {
        const id = typeof value === 'string' || typeof value === 'number' ? world.attachment(String(value)) : null;
        if (id === null) return fail('APPLICATION_COMMAND_OPTION_ATTACHMENT_INVALID', 'Unknown attachment: upload it in the same request (multipart)');
        add(resolved.attachments, id);
        return id;
      }
      default:
        return fail('APPLICATION_COMMAND_OPTION_TYPE_INVALID', 'Unsupported option type');
    }
  }

  const options = await walk(declared, raw, ['data', 'options']);
  if (autocomplete && focusedCount !== 1) errors.add(['data', 'options'], 'APPLICATION_COMMAND_OPTION_FOCUSED_INVALID', 'Exactly one option must be focused');
  return { options, resolved, focused: focusedCount > 0 };
}
