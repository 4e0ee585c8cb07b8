// Interactions as Harmony keeps them: what a person did (ran a command, clicked a component, submitted a modal, typed
// into an autocompleted option), where, and how far the application's answer has got. Everything a dialect needs to
// show the interaction to the bot, and everything a later callback or follow-up needs to check, is here, so the
// record can be persisted whole and survive a restart inside its window.
import type { Attachment } from '../model/attachment.ts';
import type { ActionRow, ComponentEmoji } from '../model/component.ts';
import type { Message } from '../model/message.ts';

export { InteractionResponseType as CallbackType, InteractionType } from 'discord-api-types/v10';

/** The first answer must come within 3 s, follow-ups within 15 min, as on Discord. */
export const ANSWER_WINDOW_MS = 3_000;
export const FOLLOW_UP_WINDOW_MS = 15 * 60_000;

/** One option as the person filled it in; subcommands and groups carry `options`, values `value`. */
export type InvokedOption = {
  name: string;
  type: number;
  value: string | number | boolean | null;
  options: InvokedOption[] | null;
  /** Autocomplete: the option being typed. */
  focused: boolean;
};

/** Ids the options (or an entity select) refer to; dialects show them as Discord's `resolved`. */
export type ResolvedIds = { users: string[]; roles: string[]; channels: string[]; messages: string[]; attachments: string[] };

export const emptyResolved = (): ResolvedIds => ({ users: [], roles: [], channels: [], messages: [], attachments: [] });

export type CommandData = {
  kind: 'command';
  commandId: string;
  name: string;
  /** ApplicationCommandType. */
  commandType: number;
  /** The command's guild (null: global). */
  commandGuildId: string | null;
  options: InvokedOption[];
  resolved: ResolvedIds;
  /** Context menus: the user or message picked. */
  targetId: string | null;
};

export type ComponentData = {
  kind: 'component';
  customId: string;
  /** ComponentType of the clicked component. */
  componentType: number;
  /** Select menus: the values picked (ids for entity selects). */
  values: string[] | null;
  resolved: ResolvedIds;
};

/** A text input of a modal as submitted. */
export type SubmittedInput = { customId: string; value: string };

export type ModalData = { kind: 'modal'; customId: string; inputs: SubmittedInput[] /** Legacy action rows or label layout. */; layout: 'rows' | 'labels' };

export type InteractionData = CommandData | ComponentData | ModalData;

/** A text input of a modal the application shows. */
export type TextInput = {
  customId: string;
  /** 1 short, 2 paragraph. */
  style: number;
  label: string;
  description: string | null;
  placeholder: string | null;
  value: string | null;
  required: boolean;
  minLength: number | null;
  maxLength: number | null;
};

/** A modal an application asked the person's client to show (callback type 9). */
export type Modal = { customId: string; title: string; inputs: TextInput[]; layout: 'rows' | 'labels' };

export type InteractionState = 'pending' | 'answered' | 'failed';

export type Interaction = {
  id: string;
  /** InteractionType: 2 command, 3 component, 4 autocomplete, 5 modal submit. */
  type: number;
  applicationId: string;
  userId: string;
  guildId: string | null;
  channelId: string;
  /** The message whose component was used (components), or that showed the modal. */
  messageId: string | null;
  /** Whether that message is ephemeral (kept in an interaction record, not in `messages`). */
  messageEphemeral: boolean;
  nonce: string | null;
  sessionId: string | null;
  data: InteractionData;
  /** The application's permissions in the channel, when invoked. */
  appPermissions: string;
  /** The invoker's permissions in the channel, when invoked. */
  memberPermissions: string;
  createdAt: number;
  answerBy: number;
  expiresAt: number;
  state: InteractionState;
  /** The callback type of the first answer. */
  responseType: number | null;
  /** The first answer's message (types 4 and 5); for 6 and 7, the component's message. */
  originalMessageId: string | null;
  /** Ephemeral messages this interaction produced (its answer and follow-ups): never stored in `messages`. */
  ephemeral: Message[];
  /** The modal shown (callback type 9), which a modal submit must match. */
  modal: Modal | null;
  /** For a modal submit: the interaction that showed the modal. */
  parentId: string | null;
  /**
   * Files this record holds (ATTACHMENT options' uploads, ephemeral answers' files): in the FileStore until the
   * interaction expires, when they are dropped (absent on records made before files existed).
   */
  files?: Attachment[];
};

export type { ActionRow, ComponentEmoji };
