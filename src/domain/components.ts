// Message components (Discord's "v1" layout: action rows of buttons, or one select menu per row): the model,
// Discord's limits, and the one parser both bot dialects use for a body's `components` (Discord's request
// shape, which v1 accepts as is). Clicking them is an interaction, handled elsewhere; what is stored here lets
// that code find a component by message and custom_id (findComponent).
import { ChannelType, ComponentType, ButtonStyle as WireButtonStyle } from 'discord-api-types/v10';
import type { FieldPath, FormErrors } from '../http/api-error.ts';
import { FormReader } from './form-reader.ts';
import type { ActionButton, ActionRow, Button, Component, ComponentEmoji, EntityKind, EntitySelect, Select, SelectOption } from './model/component.ts';

export type {
  ActionButton,
  ActionRow,
  Button,
  Component,
  ComponentEmoji,
  EntityKind,
  EntitySelect,
  LinkButton,
  Select,
  SelectOption,
  StringSelect,
} from './model/component.ts';

export const COMPONENT_LIMITS = {
  rows: 5,
  perRow: 5,
  customId: 100,
  buttonLabel: 80,
  options: 25,
  optionText: 100,
  placeholder: 150,
  values: 25,
  emojiName: 64,
} as const;

/** The component with this custom_id on a message, for the interaction that clicks it; null if there is none. */
export function findComponent(rows: readonly ActionRow[], customId: string): ActionButton | Select | null {
  for (const row of rows) {
    for (const c of row.components) if (c.kind !== 'link' && c.customId === customId) return c;
  }
  return null;
}

const STYLES = {
  [WireButtonStyle.Primary]: 'primary',
  [WireButtonStyle.Secondary]: 'secondary',
  [WireButtonStyle.Success]: 'success',
  [WireButtonStyle.Danger]: 'danger',
} as const;

const ENTITY_SELECTS = {
  [ComponentType.UserSelect]: { kind: 'userSelect', types: ['user'] },
  [ComponentType.RoleSelect]: { kind: 'roleSelect', types: ['role'] },
  [ComponentType.MentionableSelect]: { kind: 'mentionableSelect', types: ['user', 'role'] },
  [ComponentType.ChannelSelect]: { kind: 'channelSelect', types: ['channel'] },
} as const satisfies Record<number, { kind: EntitySelect['kind']; types: readonly EntityKind[] }>;

const IN_ROW = [
  ComponentType.Button,
  ComponentType.StringSelect,
  ComponentType.UserSelect,
  ComponentType.RoleSelect,
  ComponentType.MentionableSelect,
  ComponentType.ChannelSelect,
] as const;
const CHANNEL_TYPES = Object.values(ChannelType).filter((v): v is number => typeof v === 'number');

/**
 * A body's `components` (absent or null: none). Problems go to `errors` (the caller throws once); a custom_id
 * may appear once per message, since an interaction names the component by it.
 */
export function parseComponents(raw: unknown, errors: FormErrors): ActionRow[] {
  const read = new FormReader(errors);
  const rows: ActionRow[] = [];
  const seen = new Set<string>();
  read.list(raw, ['components'], { max: COMPONENT_LIMITS.rows }).forEach((item, i) => {
    const row = parseRow(read, item, ['components', i]);
    if (!row) return;
    row.components.forEach((c, j) => {
      if (c.kind === 'link') return;
      if (seen.has(c.customId))
        read.fail(['components', i, 'components', j, 'custom_id'], 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
      seen.add(c.customId);
    });
    rows.push(row);
  });
  return rows;
}

function parseRow(read: FormReader, value: unknown, path: FieldPath): ActionRow | null {
  const o = read.object(value, path, true);
  if (!o) return null;
  if (o.type !== ComponentType.ActionRow) {
    if (typeof o.type === 'number' && o.type > ComponentType.ChannelSelect)
      return read.fail(
        [...path, 'type'],
        'UNSUPPORTED_BY_SERVER',
        'Only action rows (type 1) are supported at the top level; layout components need Components V2, which this server does not support',
      );
    read.choice(o.type, [...path, 'type'], [ComponentType.ActionRow]);
    return null;
  }
  const children = read.list(o.components, [...path, 'components'], { min: 1, max: COMPONENT_LIMITS.perRow });
  const parsed = children.map((child, j) => parseChild(read, child, [...path, 'components', j]));
  if (parsed.some((c) => c === null)) return null;
  const items = parsed as Component[];
  if (items.length > 1 && items.some((c) => c.kind !== 'button' && c.kind !== 'link')) {
    return read.fail(
      [...path, 'components'],
      'COMPONENT_LAYOUT_WIDTH_EXCEEDED',
      'The specified component exceeds the maximum width: a select menu fills its row alone',
    );
  }
  return { components: items } as ActionRow;
}

function parseChild(read: FormReader, value: unknown, path: FieldPath): Component | null {
  const o = read.object(value, path, true);
  if (!o) return null;
  const type = read.choice(o.type, [...path, 'type'], IN_ROW);
  if (type === null) return null;
  if (type === ComponentType.Button) return parseButton(read, o, path);
  const customId = read.string(o.custom_id, [...path, 'custom_id'], COMPONENT_LIMITS.customId, true);
  const placeholder = read.string(o.placeholder, [...path, 'placeholder'], COMPONENT_LIMITS.placeholder);
  const minValues = read.integer(o.min_values, [...path, 'min_values'], { min: 0, max: COMPONENT_LIMITS.values }) ?? 1;
  const maxValues = read.integer(o.max_values, [...path, 'max_values'], { min: 1, max: COMPONENT_LIMITS.values }) ?? 1;
  const disabled = read.boolean(o.disabled, [...path, 'disabled']) ?? false;
  if (minValues > maxValues) read.fail([...path, 'min_values'], 'NUMBER_TYPE_MAX', `int value should be less than or equal to max_values (${maxValues}).`);
  if (customId === null) return null;
  const base = { customId, placeholder, minValues, maxValues, disabled };
  if (type === ComponentType.StringSelect) {
    const options = parseOptions(read, o.options, [...path, 'options']);
    if (options.length > 0 && maxValues > options.length)
      read.fail([...path, 'max_values'], 'NUMBER_TYPE_MAX', `int value should be less than or equal to the number of options (${options.length}).`);
    if (options.filter((opt) => opt.isDefault).length > maxValues)
      read.fail([...path, 'options'], 'SELECT_COMPONENT_TOO_MANY_DEFAULTS', `At most max_values (${maxValues}) options can be default.`);
    return { kind: 'stringSelect', ...base, options };
  }
  const entity = ENTITY_SELECTS[type];
  const channelTypes: number[] = [];
  if (entity.kind === 'channelSelect') {
    read.list(o.channel_types, [...path, 'channel_types'], { max: CHANNEL_TYPES.length }).forEach((t, k) => {
      const channelType = read.choice(t, [...path, 'channel_types', k], CHANNEL_TYPES);
      if (channelType !== null && !channelTypes.includes(channelType)) channelTypes.push(channelType);
    });
  }
  const defaultValues: EntitySelect['defaultValues'] = [];
  const defaults = read.list(o.default_values, [...path, 'default_values'], { max: COMPONENT_LIMITS.values });
  defaults.forEach((d, k) => {
    const at = [...path, 'default_values', k];
    const dv = read.object(d, at, true);
    if (!dv) return;
    const id = read.snowflake(dv.id, [...at, 'id'], true);
    const kind = read.choice(dv.type, [...at, 'type'], entity.types as readonly EntityKind[]);
    if (id !== null && kind !== null) defaultValues.push({ id, type: kind });
  });
  if (defaults.length > 0 && (defaults.length < minValues || defaults.length > maxValues))
    read.fail([...path, 'default_values'], 'BASE_TYPE_BAD_LENGTH', `Must be between ${minValues} and ${maxValues} in length.`);
  return { kind: entity.kind, ...base, channelTypes, defaultValues };
}

function parseButton(read: FormReader, o: Record<string, unknown>, path: FieldPath): Button | null {
  const style = read.choice(o.style, [...path, 'style'], [1, 2, 3, 4, 5, 6] as const);
  if (style === WireButtonStyle.Premium)
    return read.fail([...path, 'style'], 'UNSUPPORTED_BY_SERVER', 'Premium buttons (style 6) need SKUs, which this server does not have');
  const label = read.string(o.label, [...path, 'label'], COMPONENT_LIMITS.buttonLabel);
  const emoji = parseEmoji(read, o.emoji, [...path, 'emoji']);
  const disabled = read.boolean(o.disabled, [...path, 'disabled']) ?? false;
  if (style === null) return null;
  // Judged on what was sent, so an over-long label is one error, not two.
  const blank = (v: unknown) => v === undefined || v === null || v === '';
  if (blank(o.label) && blank(o.emoji)) read.fail([...path, 'label'], 'BASE_TYPE_REQUIRED', 'A button needs a label or an emoji');
  if (style === WireButtonStyle.Link) {
    if (o.custom_id !== undefined && o.custom_id !== null)
      read.fail([...path, 'custom_id'], 'BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED', 'Link buttons cannot have a custom_id');
    const url = read.webUrl(o.url, [...path, 'url'], true);
    return url === null ? null : { kind: 'link', url, label, emoji, disabled };
  }
  if (o.url !== undefined && o.url !== null) read.fail([...path, 'url'], 'BUTTON_COMPONENT_URL_NOT_ALLOWED', 'Only link buttons (style 5) can have a url');
  const customId = read.string(o.custom_id, [...path, 'custom_id'], COMPONENT_LIMITS.customId, true);
  return customId === null ? null : { kind: 'button', style: STYLES[style], customId, label, emoji, disabled };
}

function parseOptions(read: FormReader, raw: unknown, path: FieldPath): SelectOption[] {
  const options: SelectOption[] = [];
  const values = new Set<string>();
  read.list(raw, path, { min: 1, max: COMPONENT_LIMITS.options }).forEach((item, k) => {
    const at = [...path, k];
    const o = read.object(item, at, true);
    if (!o) return;
    const label = read.string(o.label, [...at, 'label'], COMPONENT_LIMITS.optionText, true);
    const value = read.string(o.value, [...at, 'value'], COMPONENT_LIMITS.optionText, true);
    const description = read.string(o.description, [...at, 'description'], COMPONENT_LIMITS.optionText);
    const emoji = parseEmoji(read, o.emoji, [...at, 'emoji']);
    const isDefault = read.boolean(o.default, [...at, 'default']) ?? false;
    if (value !== null && values.has(value))
      read.fail([...at, 'value'], 'SELECT_COMPONENT_OPTION_VALUE_DUPLICATED', 'The specified option value is already used');
    if (label === null || value === null) return;
    values.add(value);
    options.push({ label, value, description, emoji, isDefault });
  });
  return options;
}

/** `{name}` for a Unicode emoji, `{id, name?, animated?}` for a custom one. */
function parseEmoji(read: FormReader, raw: unknown, path: FieldPath): ComponentEmoji | null {
  const o = read.object(raw, path);
  if (!o) return null;
  const id = read.snowflake(o.id, [...path, 'id']);
  const name = read.string(o.name, [...path, 'name'], COMPONENT_LIMITS.emojiName, id === null);
  const animated = read.boolean(o.animated, [...path, 'animated']) ?? false;
  if (id === null && name === null) return null;
  return { id, name, animated };
}
