// Message components in Discord's shape: action rows of buttons or one select. Optional keys appear only
// when set (`disabled` only when true, `default` only on default options); min/max_values always, as Discord
// answers them.
import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIMessageComponentEmoji,
  type APISelectMenuComponent,
  ButtonStyle,
  type ChannelType,
  ComponentType,
  SelectMenuDefaultValueType,
} from 'discord-api-types/v10';
import type { ActionRow, Button, ComponentEmoji, Select } from '../../../domain/components.ts';

const STYLES = {
  primary: ButtonStyle.Primary,
  secondary: ButtonStyle.Secondary,
  success: ButtonStyle.Success,
  danger: ButtonStyle.Danger,
} as const;

const DEFAULT_TYPES = { user: SelectMenuDefaultValueType.User, role: SelectMenuDefaultValueType.Role, channel: SelectMenuDefaultValueType.Channel } as const;

export function actionRow(row: ActionRow): APIActionRowComponent<APIComponentInMessageActionRow> {
  return { type: ComponentType.ActionRow, components: row.components.map((c) => (c.kind === 'button' || c.kind === 'link' ? button(c) : select(c))) };
}

function emoji(e: ComponentEmoji): APIMessageComponentEmoji {
  return { ...(e.id !== null ? { id: e.id } : {}), ...(e.name !== null ? { name: e.name } : {}), ...(e.animated ? { animated: true } : {}) };
}

function button(b: Button): APIButtonComponent {
  const common = {
    type: ComponentType.Button as const,
    ...(b.label !== null ? { label: b.label } : {}),
    ...(b.emoji ? { emoji: emoji(b.emoji) } : {}),
    ...(b.disabled ? { disabled: true } : {}),
  };
  return b.kind === 'link' ? { ...common, style: ButtonStyle.Link, url: b.url } : { ...common, style: STYLES[b.style], custom_id: b.customId };
}

function select(s: Select): APISelectMenuComponent {
  const common = {
    custom_id: s.customId,
    ...(s.placeholder !== null ? { placeholder: s.placeholder } : {}),
    min_values: s.minValues,
    max_values: s.maxValues,
    ...(s.disabled ? { disabled: true } : {}),
  };
  const defaults = <T extends SelectMenuDefaultValueType>() =>
    s.kind === 'stringSelect' || s.defaultValues.length === 0
      ? {}
      : { default_values: s.defaultValues.map((d) => ({ id: d.id, type: DEFAULT_TYPES[d.type] as T })) };
  switch (s.kind) {
    case 'stringSelect':
      return {
        type: ComponentType.StringSelect,
        ...common,
        options: s.options.map((o) => ({
          label: o.label,
          value: o.value,
          ...(o.description !== null ? { description: o.description } : {}),
          ...(o.emoji ? { emoji: emoji(o.emoji) } : {}),
          ...(o.isDefault ? { default: true } : {}),
        })),
      };
    case 'userSelect':
      return { type: ComponentType.UserSelect, ...common, ...defaults<SelectMenuDefaultValueType.User>() };
    case 'roleSelect':
      return { type: ComponentType.RoleSelect, ...common, ...defaults<SelectMenuDefaultValueType.Role>() };
    case 'mentionableSelect':
      return { type: ComponentType.MentionableSelect, ...common, ...defaults<SelectMenuDefaultValueType.User | SelectMenuDefaultValueType.Role>() };
    case 'channelSelect':
      return {
        type: ComponentType.ChannelSelect,
        ...common,
        ...(s.channelTypes.length > 0 ? { channel_types: s.channelTypes as ChannelType[] } : {}),
        ...defaults<SelectMenuDefaultValueType.Channel>(),
      };
  }
}
