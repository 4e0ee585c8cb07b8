// Messages as the domain and every store know them.
import type { Attachment, AttachmentView } from './attachment.ts';
import type { Channel } from './channel.ts';
import type { ActionRow } from './component.ts';
import type { Embed } from './embed.ts';
import type { User } from './user.ts';

export type Message = {
  id: string;
  channelId: string;
  guildId: string | null;
  authorId: string;
  content: string;
  replyTo: string | null;
  mentionEveryone: boolean;
  /** Mentioned user ids, in order of appearance. */
  mentions: string[];
  /** Mentioned role ids (mentionable roles, or any role when the author may mention everyone); absent: none. */
  mentionRoles?: string[];
  pinned: boolean;
  nonce: string | null;
  /** Rich embeds, stored even while suppressed. */
  embeds: Embed[];
  components: ActionRow[];
  /** Discord's SUPPRESS_EMBEDS flag: the embeds are kept but not shown. */
  suppressEmbeds: boolean;
  editedAt: number | null;
  createdAt: number;
  /** Set when a webhook posted it; `authorId` is then the webhook's id (no user has it), as on Discord. */
  webhook: WebhookAuthor | null;
  /** Set when the message answers an interaction (its response or a follow-up); absent or null otherwise. */
  interaction?: MessageInteraction | null;
  /** An ephemeral message's files, which its interaction record holds (a stored message's are attachment rows). */
  files?: Attachment[];
  /** Written by the server, not typed by its author: 'join' announces that the author joined the guild. Absent: none. */
  system?: SystemMessageKind | null;
};

/** The messages the server writes itself; a dialect names each its own way (Discord: USER_JOIN, type 7). */
export type SystemMessageKind = 'join';

/** The interaction a message answers, frozen when it is sent (Discord's interaction_metadata). */
export type MessageInteraction = {
  id: string;
  /** Discord's InteractionType: 2 command, 3 component, 5 modal submit. */
  type: number;
  applicationId: string;
  userId: string;
  guildId: string | null;
  /** The command's name (commands only). */
  name: string | null;
  /** ApplicationCommandType (commands only): 1 slash, 2 user menu, 3 message menu. */
  commandType: number | null;
  targetId: string | null;
  /** Components: the message whose component was used (the answer replies to it). */
  interactedMessageId: string | null;
  /** Follow-ups: the interaction's first answer. */
  originalResponseMessageId: string | null;
  /** A deferred answer not given yet: Discord's LOADING flag ("is thinking..."). */
  loading: boolean;
  /** Only the invoker sees it (EPHEMERAL): kept in the interaction record, never in `messages`. */
  ephemeral?: boolean;
};

/** How a webhook message shows its author, frozen when it is sent (renaming the webhook later changes nothing). */
export type WebhookAuthor = { id: string; name: string; avatar: string | null; avatarUrl: string | null };

export type ReactionCount = { emoji: string; count: number; me: boolean };

/**
 * A message with what every dialect needs to show it. `attachments` carry freshly signed URLs, and the embeds of
 * `message` have their `attachment://name` pictures resolved to them.
 */
export type MessageView = {
  message: Message;
  author: User;
  mentions: User[];
  reactions: ReactionCount[];
  attachments: AttachmentView[];
  referenced: MessageView | null;
  /** The thread started from this message, if any (it has the message's id); absent counts as none. */
  thread?: Channel | null;
  /** Who ran the interaction the message answers (absent when it answers none). */
  interactionUser?: User;
};
