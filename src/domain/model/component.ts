// Message components: action rows of buttons, or one select menu per row (parsed in ../components.ts).

export type ComponentEmoji = { name: string | null; id: string | null; animated: boolean };

type ButtonBase = { label: string | null; emoji: ComponentEmoji | null; disabled: boolean };

/** A button that sends an interaction with its customId when clicked. */
export type ActionButton = ButtonBase & { kind: 'button'; style: 'primary' | 'secondary' | 'success' | 'danger'; customId: string };

/** A button that opens a URL; it has no customId and never reaches the bot. */
export type LinkButton = ButtonBase & { kind: 'link'; url: string };

export type Button = ActionButton | LinkButton;

export type SelectOption = { label: string; value: string; description: string | null; emoji: ComponentEmoji | null; isDefault: boolean };

type SelectBase = { customId: string; placeholder: string | null; minValues: number; maxValues: number; disabled: boolean };

export type StringSelect = SelectBase & { kind: 'stringSelect'; options: SelectOption[] };

export type EntityKind = 'user' | 'role' | 'channel';

/** Selects whose options are the guild's users, roles, both ("mentionable"), or channels. */
export type EntitySelect = SelectBase & {
  kind: 'userSelect' | 'roleSelect' | 'mentionableSelect' | 'channelSelect';
  /** Channel types a channel select offers (empty: all). */
  channelTypes: number[];
  defaultValues: { id: string; type: EntityKind }[];
};

export type Select = StringSelect | EntitySelect;

/** Up to five buttons, or exactly one select. */
export type ActionRow = { components: Button[] } | { components: [Select] };

export type Component = Button | Select;
