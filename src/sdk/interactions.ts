// Interactions as a HarmonyClient bot sees them: INTERACTION_CREATE's v1 payload (with the token it answers with),
// the answers it gives (Discord's callback types and body), and what the person's own sessions hear. Mirrored in
// published-declarations.d.ts.
import type { ActionRowInput, Attachment, EmbedInput, FileInput, User } from './events.ts';

/** An option as the person filled it in; subcommands and groups carry `options`. */
export interface InteractionOption {
  name: string;
  /** 1 SUB_COMMAND ... 11 ATTACHMENT, as in ApplicationCommandOption. */
  type: number;
  value?: string | number | boolean | null;
  options?: InteractionOption[];
  /** Autocomplete: the option being typed (its value is what was typed so far). */
  focused?: boolean;
}

/** Ids the options (or an entity select) name. */
export interface InteractionResolved {
  users: string[];
  roles: string[];
  channels: string[];
  messages: string[];
  attachments: string[];
}

export type InteractionData =
  | {
      kind: 'command';
      command_id: string;
      name: string;
      /** 1 slash command, 2 user menu, 3 message menu. */
      command_type: number;
      /** The command's guild; null for a global command. */
      command_guild_id: string | null;
      options: InteractionOption[];
      resolved: InteractionResolved;
      /** Context menus: the user or message picked. */
      target_id: string | null;
      /** The files the person uploaded for ATTACHMENT options (an option's value is one's id); links are signed. */
      attachments: Attachment[];
    }
  | { kind: 'component'; custom_id: string; component_type: number; values: string[] | null; resolved: InteractionResolved }
  | { kind: 'modal'; custom_id: string; fields: { custom_id: string; value: string }[] };

/** INTERACTION_CREATE as the application receives it. Answer within 3 s (respond), follow up for 15 min. */
export interface Interaction {
  id: string;
  application_id: string;
  /** 2 command, 3 component, 4 autocomplete, 5 modal submit. */
  type: number;
  token: string;
  guild_id: string | null;
  channel_id: string;
  /** Components: the message the component is on. */
  message_id: string | null;
  user: User;
  data: InteractionData;
  app_permissions: string;
  member_permissions: string;
  /** ISO 8601. */
  created_at: string;
  answer_by: string;
  expires_at: string;
}

/** What the invoking person's own sessions get for INTERACTION_CREATE, SUCCESS and FAILURE (reason 2: no answer in time). */
export interface InteractionAck {
  id: string;
  nonce: string | null;
  reason?: number;
}

/** A message an interaction posts or edits. `flags`: 64 EPHEMERAL (only the invoker sees it), 4 SUPPRESS_EMBEDS. */
export interface InteractionMessageInput {
  content?: string | null;
  embeds?: EmbedInput[];
  components?: ActionRowInput[];
  /** Files to post with it (sent as multipart/form-data); on an ephemeral answer only the invoker can fetch them. */
  files?: FileInput[];
  flags?: number;
}

/** A text input of a modal (legacy layout: an action row around each). */
export interface ModalInput {
  custom_id: string;
  title: string;
  components: {
    type: 1;
    components: {
      type: 4;
      custom_id: string;
      label: string;
      style: 1 | 2;
      required?: boolean;
      value?: string;
      placeholder?: string;
      min_length?: number;
      max_length?: number;
    }[];
  }[];
}

/** The first answer, in Discord's callback shape. */
export type InteractionResponse =
  /** A message (4), or "thinking" now and the message later with editReply (5). */
  | { type: 4; data: InteractionMessageInput }
  | { type: 5; data?: { flags?: number } }
  /** Components: acknowledge now and edit later (6), or edit the clicked message now (7). */
  | { type: 6 }
  | { type: 7; data: InteractionMessageInput }
  /** Autocomplete: up to 25 suggestions. */
  | { type: 8; data: { choices: { name: string; value: string | number }[] } }
  | { type: 9; data: ModalInput };
