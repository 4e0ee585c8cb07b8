// Messages in Discord's shape, as REST returns them and MESSAGE_CREATE/UPDATE carry them: author and
// mentions as user objects (with `member` in guilds), replies as type 19 with message_reference and
// referenced_message; embeds (none while SUPPRESS_EMBEDS is set, as Discord serializes it), components and
// attachments (with the signed links the view carries). Harmony has no role mentions: always an empty list.
import {
  type APIMessageInteraction,
  type APIMessageInteractionMetadata,
  type APIReaction,
  type APIUser,
  type APIUserWithMember,
  ApplicationCommandType,
  ApplicationIntegrationType,
  type GatewayMessageCreateDispatchData,
  MessageFlags,
  MessageReferenceType,
  MessageType,
} from 'discord-api-types/v10';
import { emojiFromKey } from '../../../domain/emoji.ts';
import type { Member } from '../../../domain/members.ts';
import type { MessageView, ReactionCount } from '../../../domain/messages.ts';
import { attachment } from './attachment.ts';
import { threadChannel } from './channel.ts';
import { actionRow } from './component.ts';
import { embed } from './embed.ts';
import { memberWithoutUser } from './member.ts';
import { user } from './user.ts';

/** Finds a guild member (null when the user left); messages carry the author's and each mention's membership. */
export type MemberLookup = (guildId: string, userId: string) => Member | null;

const iso = (ms: number) => new Date(ms).toISOString();

export function reaction(r: ReactionCount): APIReaction {
  const emoji = emojiFromKey(r.emoji);
  return {
    count: r.count,
    count_details: { burst: 0, normal: r.count },
    me: r.me,
    me_burst: false,
    emoji: { id: emoji.id, name: emoji.name, ...(emoji.id ? { animated: emoji.animated } : {}) },
    burst_colors: [],
  };
}

/** A webhook message's author as Discord shows it: the webhook's id, the name it posted under, discriminator "0000". */
function webhookAuthor(v: MessageView): APIUser {
  return { ...user(v.author), discriminator: '0000', avatar: v.message.webhook?.avatar ?? null, global_name: null, bot: true };
}

/**
 * What a message answering an interaction adds (Discord's shape): the application as `application_id` and
 * `webhook_id`, type 20 (slash command) or 23 (context menu) unless it replies to a clicked message (19),
 * `interaction_metadata` and the older `interaction`, and the EPHEMERAL and LOADING flags.
 */
function interactionFields(v: MessageView, memberFor: (userId: string) => Member | null) {
  const m = v.message;
  const i = m.interaction;
  if (!i) return {};
  const invoker = v.interactionUser ? user(v.interactionUser) : { id: i.userId, username: 'Deleted User', discriminator: '0', global_name: null, avatar: null };
  const invokerMember = memberFor(i.userId);
  const type = m.replyTo
    ? MessageType.Reply
    : i.commandType === null || i.commandType === ApplicationCommandType.ChatInput
      ? MessageType.ChatInputCommand
      : MessageType.ContextMenuCommand;
  let flags = m.suppressEmbeds ? MessageFlags.SuppressEmbeds : 0;
  if (i.ephemeral) flags |= MessageFlags.Ephemeral;
  if (i.loading) flags |= MessageFlags.Loading;
  const owners = i.guildId !== null ? { [ApplicationIntegrationType.GuildInstall]: i.guildId } : { [ApplicationIntegrationType.UserInstall]: i.userId };
  const metadata = {
    id: i.id,
    type: i.type,
    user: invoker,
    authorizing_integration_owners: owners,
    ...(i.name !== null ? { name: i.name, command_type: i.commandType } : {}),
    ...(i.originalResponseMessageId !== null ? { original_response_message_id: i.originalResponseMessageId } : {}),
    ...(i.interactedMessageId !== null ? { interacted_message_id: i.interactedMessageId } : {}),
    ...(i.commandType === ApplicationCommandType.Message && i.targetId !== null ? { target_message_id: i.targetId } : {}),
  } as APIMessageInteractionMetadata;
  return {
    type,
    flags: flags as MessageFlags,
    application_id: i.applicationId,
    webhook_id: i.applicationId,
    interaction_metadata: metadata,
    interaction: {
      id: i.id,
      type: i.type,
      name: i.name ?? '',
      user: invoker,
      ...(invokerMember ? { member: memberWithoutUser(invokerMember) } : {}),
    } as APIMessageInteraction,
  };
}

/**
 * One message. `reactions` appears only when there are some (as on Discord); `me` in each is the viewer's, so
 * serialize per viewer when it matters. `referenced_message` is null when the replied-to message was deleted.
 */
export function message(v: MessageView, memberOf: MemberLookup): GatewayMessageCreateDispatchData {
  const m = v.message;
  const guildId = m.guildId;
  const memberFor = (userId: string) => (guildId === null ? null : memberOf(guildId, userId));
  // A webhook is nobody's member: its messages have no `member`, as on Discord.
  const authorMember = m.webhook ? null : memberFor(m.authorId);
  const mentions: APIUserWithMember[] = v.mentions.map((u) => {
    const mentioned = memberFor(u.id);
    return mentioned ? { ...user(u), member: memberWithoutUser(mentioned) } : user(u);
  });
  return {
    id: m.id,
    channel_id: m.channelId,
    ...(guildId !== null ? { guild_id: guildId } : {}),
    author: m.webhook ? webhookAuthor(v) : user(v.author),
    ...(m.webhook ? { webhook_id: m.webhook.id } : {}),
    ...(authorMember ? { member: memberWithoutUser(authorMember) } : {}),
    content: m.content,
    timestamp: iso(m.createdAt),
    edited_timestamp: m.editedAt === null ? null : iso(m.editedAt),
    tts: false,
    mention_everyone: m.mentionEveryone,
    mentions,
    mention_roles: m.mentionRoles ?? [],
    attachments: v.attachments.map(attachment),
    embeds: m.suppressEmbeds ? [] : m.embeds.map(embed),
    components: m.components.map(actionRow),
    ...(v.reactions.length > 0 ? { reactions: v.reactions.map(reaction) } : {}),
    ...(m.nonce !== null ? { nonce: m.nonce } : {}),
    pinned: m.pinned,
    type: m.system === 'join' ? MessageType.UserJoin : m.replyTo ? MessageType.Reply : MessageType.Default,
    flags: ((m.suppressEmbeds ? MessageFlags.SuppressEmbeds : 0) | (v.thread ? MessageFlags.HasThread : 0)) as MessageFlags,
    ...(v.thread ? { thread: threadChannel(v.thread) } : {}),
    ...interactionFields(v, memberFor),
    ...(m.replyTo
      ? {
          message_reference: {
            type: MessageReferenceType.Default,
            message_id: m.replyTo,
            channel_id: m.channelId,
            ...(guildId !== null ? { guild_id: guildId } : {}),
          },
          referenced_message: v.referenced ? message(v.referenced, memberOf) : null,
        }
      : {}),
  };
}
