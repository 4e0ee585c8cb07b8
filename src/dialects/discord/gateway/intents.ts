// Gateway intents as Discord enforces them, mapped onto the core's streams. A stream is one payload variant
// of one family of events; a session listens on exactly the streams its intents select, so an event is
// serialized once per variant and Bun's topics do the filtering: no per-session check on the hot path.
import { GatewayIntentBits as Intent } from 'discord-api-types/v10';

/** Every intent bit discord-api-types knows; any other bit makes IDENTIFY fail with 4013. */
export const KNOWN_INTENTS: number = Object.values(Intent)
  .filter((value): value is number => typeof value === 'number')
  .reduce((all, bit) => all | bit, 0);

/** Intents an instance admin must allow per bot (`user.botIntents`), as on Discord's developer portal. */
export const PRIVILEGED_INTENTS = Intent.GuildMembers | Intent.GuildPresences | Intent.MessageContent;

/** The streams of the v10 dialect. Each session listens on a fixed subset, chosen at IDENTIFY from its intents. */
export const Stream = {
  /** Events no intent gates (USER_UPDATE). */
  Always: 'd10',
  /** GUILDS: GUILD_UPDATE/DELETE, GUILD_ROLE_*, CHANNEL_* of guild channels. */
  Guilds: 'd10:g',
  /** GUILDS with GUILD_PRESENCES: GUILD_CREATE carries members and presences. */
  GuildCreateFull: 'd10:g+p',
  /** GUILDS without GUILD_PRESENCES: GUILD_CREATE carries only the session's own member. */
  GuildCreateLean: 'd10:g-p',
  /** GUILD_MEMBERS: GUILD_MEMBER_ADD/UPDATE/REMOVE. */
  Members: 'd10:m',
  /** Without GUILD_MEMBERS: only GUILD_MEMBER_UPDATE about the session's own user (Discord always sends it). */
  OwnMember: 'd10:m-',
  /** GUILD_PRESENCES: PRESENCE_UPDATE. */
  Presences: 'd10:p',
  /** GUILD_MESSAGES with message content (MESSAGE_CONTENT, or a person's session). */
  GuildMessages: 'd10:gm',
  /** GUILD_MESSAGES for a bot without MESSAGE_CONTENT: content emptied, except (targeted) mentions and its own. */
  GuildMessagesNoContent: 'd10:gm-',
  /** GUILD_EXPRESSIONS (formerly GUILD_EMOJIS_AND_STICKERS): GUILD_EMOJIS_UPDATE. */
  GuildExpressions: 'd10:ge',
  GuildReactions: 'd10:gr',
  GuildTyping: 'd10:gt',
  /** DIRECT_MESSAGES: DM messages (always with content, as on Discord) and DM channel events. */
  DirectMessages: 'd10:dm',
  DirectReactions: 'd10:dr',
  DirectTyping: 'd10:dt',
  /** GUILD_WEBHOOKS: WEBHOOKS_UPDATE. */
  GuildWebhooks: 'd10:gw',
  /** GUILD_MODERATION: GUILD_AUDIT_LOG_ENTRY_CREATE (to members with VIEW_AUDIT_LOG only). */
  GuildModeration: 'd10:mod',
  /** A person's session (never a bot's): MESSAGE_ACK and USER_GUILD_SETTINGS_UPDATE, as Discord sends its users. */
  Person: 'd10:u',
} as const;

export type StreamName = (typeof Stream)[keyof typeof Stream];

/**
 * The streams a session listens on. `person`: a human's token, which Discord's intents do not restrict the
 * same way: people always see message content.
 */
export function streamsFor(intents: number, person: boolean): StreamName[] {
  const on = (bit: number) => (intents & bit) !== 0;
  const streams: StreamName[] = [Stream.Always];
  if (on(Intent.Guilds)) streams.push(Stream.Guilds, on(Intent.GuildPresences) ? Stream.GuildCreateFull : Stream.GuildCreateLean);
  streams.push(on(Intent.GuildMembers) ? Stream.Members : Stream.OwnMember);
  if (on(Intent.GuildPresences)) streams.push(Stream.Presences);
  if (on(Intent.GuildMessages)) streams.push(person || on(Intent.MessageContent) ? Stream.GuildMessages : Stream.GuildMessagesNoContent);
  if (on(Intent.GuildExpressions)) streams.push(Stream.GuildExpressions);
  if (on(Intent.GuildMessageReactions)) streams.push(Stream.GuildReactions);
  if (on(Intent.GuildMessageTyping)) streams.push(Stream.GuildTyping);
  if (on(Intent.DirectMessages)) streams.push(Stream.DirectMessages);
  if (on(Intent.DirectMessageReactions)) streams.push(Stream.DirectReactions);
  if (on(Intent.DirectMessageTyping)) streams.push(Stream.DirectTyping);
  if (on(Intent.GuildWebhooks)) streams.push(Stream.GuildWebhooks);
  if (on(Intent.GuildModeration)) streams.push(Stream.GuildModeration);
  if (person) streams.push(Stream.Person);
  return streams;
}

export type IntentCheck = { ok: true } | { ok: false; reason: 'invalid' | 'disallowed'; bits: number };

/**
 * IDENTIFY's `intents`: a non-negative integer of known bits (else 4013), privileged bits only when allowed
 * (else 4014). `allowed` is the bot's admin-granted privileged intents; people's sessions pass `null` (all allowed).
 */
export function checkIntents(intents: unknown, allowed: number | null): IntentCheck {
  if (typeof intents !== 'number' || !Number.isSafeInteger(intents) || intents < 0 || (intents & ~KNOWN_INTENTS) !== 0 || intents > 2 ** 31 - 1) {
    return { ok: false, reason: 'invalid', bits: typeof intents === 'number' && Number.isSafeInteger(intents) ? intents : 0 };
  }
  if (allowed === null) return { ok: true };
  const refused = intents & PRIVILEGED_INTENTS & ~allowed;
  return refused === 0 ? { ok: true } : { ok: false, reason: 'disallowed', bits: refused };
}

/** Discord's names for privileged bits, for close reasons that say what to enable. */
export function intentNames(bits: number): string[] {
  const names: string[] = [];
  if (bits & Intent.GuildMembers) names.push('GUILD_MEMBERS');
  if (bits & Intent.GuildPresences) names.push('GUILD_PRESENCES');
  if (bits & Intent.MessageContent) names.push('MESSAGE_CONTENT');
  return names;
}
