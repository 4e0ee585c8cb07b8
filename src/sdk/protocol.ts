// The harmony v1 gateway protocol as the SDK speaks it: opcodes, close codes and the dispatch-name table.
// Kept inside src/sdk (not imported from the server or discord-api-types) so the bundle stays dependency-free.
import type { HarmonyEvents } from './events.ts';

export const Op = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  PresenceUpdate: 3,
  Resume: 6,
  Reconnect: 7,
  InvalidSession: 9,
  HeartbeatAck: 11,
} as const;

export const CloseCode = {
  /** Sent by the client itself: a clean goodbye; the server may forget the session. */
  Normal: 1000,
  UnknownError: 4000,
  UnknownOpcode: 4001,
  DecodeError: 4002,
  NotAuthenticated: 4003,
  AuthenticationFailed: 4004,
  AlreadyAuthenticated: 4005,
  InvalidSeq: 4007,
  RateLimited: 4008,
  SessionTimedOut: 4009,
  InvalidShard: 4010,
  ShardingRequired: 4011,
  InvalidApiVersion: 4012,
  InvalidIntents: 4013,
  DisallowedIntents: 4014,
  /**
   * Sent by the client when it drops a socket it means to replace (missed ACK, RECONNECT, INVALID_SESSION).
   * Not 1000: a normal closure tells a Discord-style server the session is over, which would defeat RESUME.
   */
  Reconnecting: 4200,
} as const;

/** Retrying these cannot succeed (bad token, bad configuration): stop, report, do not reconnect. */
export const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.AuthenticationFailed,
  CloseCode.InvalidShard,
  CloseCode.ShardingRequired,
  CloseCode.InvalidApiVersion,
  CloseCode.InvalidIntents,
  CloseCode.DisallowedIntents,
]);

/** The server has discarded the session: reconnect with a fresh IDENTIFY instead of RESUME. */
export const SESSION_ENDING_CLOSE_CODES: ReadonlySet<number> = new Set([CloseCode.InvalidSeq, CloseCode.SessionTimedOut]);

/** Dispatch name on the wire -> SDK event name. READY and RESUMED are dispatches too. */
export const DISPATCH_EVENTS = {
  READY: 'ready',
  RESUMED: 'resumed',
  MESSAGE_CREATE: 'messageCreate',
  MESSAGE_UPDATE: 'messageUpdate',
  MESSAGE_DELETE: 'messageDelete',
  MEMBER_JOIN: 'memberJoin',
  MEMBER_LEAVE: 'memberLeave',
  CHANNEL_CREATE: 'channelCreate',
  CHANNEL_UPDATE: 'channelUpdate',
  CHANNEL_DELETE: 'channelDelete',
  THREAD_CREATE: 'threadCreate',
  THREAD_UPDATE: 'threadUpdate',
  THREAD_DELETE: 'threadDelete',
  THREAD_MEMBERS_UPDATE: 'threadMembersUpdate',
  THREAD_LIST_SYNC: 'threadListSync',
  MESSAGE_REACTION_ADD: 'reactionAdd',
  MESSAGE_REACTION_REMOVE: 'reactionRemove',
  TYPING_START: 'typingStart',
  PRESENCE_UPDATE: 'presenceUpdate',
  GUILD_CREATE: 'guildCreate',
  GUILD_UPDATE: 'guildUpdate',
  GUILD_DELETE: 'guildDelete',
  WEBHOOKS_UPDATE: 'webhooksUpdate',
  GUILD_EMOJIS_UPDATE: 'guildEmojisUpdate',
  USER_UPDATE: 'userUpdate',
  GUILD_AUDIT_LOG_ENTRY_CREATE: 'auditLogEntryCreate',
  INTERACTION_CREATE: 'interactionCreate',
  INTERACTION_SUCCESS: 'interactionSuccess',
  INTERACTION_FAILURE: 'interactionFailure',
  MESSAGE_ACK: 'messageAck',
} as const satisfies Record<string, keyof HarmonyEvents>;

export type DispatchName = keyof typeof DISPATCH_EVENTS;

export function isDispatchName(t: string): t is DispatchName {
  return Object.hasOwn(DISPATCH_EVENTS, t);
}

/** Every server frame carries all four keys; `s` and `t` are null unless op is 0. */
export type ServerFrame = { op: number; d: unknown; s: number | null; t: string | null };

/** Decodes one text frame; null when it is not JSON or lacks a numeric `op` (the caller reports it). */
export function decodeFrame(raw: unknown): ServerFrame | null {
  let text: string;
  if (typeof raw === 'string') text = raw;
  else if (raw instanceof ArrayBuffer || ArrayBuffer.isView(raw)) text = new TextDecoder().decode(raw);
  else return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const frame = value as Record<string, unknown>;
  if (typeof frame.op !== 'number') return null;
  return {
    op: frame.op,
    d: frame.d ?? null,
    s: typeof frame.s === 'number' ? frame.s : null,
    t: typeof frame.t === 'string' ? frame.t : null,
  };
}
