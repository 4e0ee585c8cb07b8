// Every close the v10 gateway performs, with Discord's codes (discord-api-types' GatewayCloseCodes) and
// meanings, so a library reacts as it would against Discord: 4000/4001/4002/4009 resume, 4003/4005/4007/4008
// re-identify, 4004 and 4010–4014 are fatal (discord.js rejects login()). docs/discord-compat.md lists them.
import { GatewayCloseCodes as Code, GatewayOpcodes } from 'discord-api-types/v10';
import type { CloseSpec, CoreCloses } from '../../../gateway/dialect.ts';
import { MAX_FRAME_BYTES } from '../../../gateway/limits.ts';
import { encodeFrame } from './frames.ts';

/** The closes the core performs, in v10's words. */
export const CORE_CLOSES: CoreCloses = {
  // RECONNECT (op 7) first, as Discord does before it moves a session; the close itself is resumable too.
  restart: { code: Code.UnknownError, reason: 'Server restarting: reconnect and resume', resumable: true, frame: encodeFrame(GatewayOpcodes.Reconnect, null) },
  superseded: { code: Code.UnknownError, reason: 'Session resumed on another connection', resumable: true },
  revoked: { code: Code.AuthenticationFailed, reason: 'Authentication failed: token regenerated or revoked', resumable: false },
  slowConsumer: { code: Code.UnknownError, reason: 'Slow consumer: too much unread data; resume', resumable: true },
  // Resumable: a client that stalled briefly (a paused process, a network blip) gets what it missed.
  heartbeatTimeout: { code: Code.SessionTimedOut, reason: 'Session timed out: no heartbeat', resumable: true },
  identifyTimeout: { code: Code.NotAuthenticated, reason: 'Not authenticated: no IDENTIFY or RESUME in time', resumable: false },
  frameTooLarge: { code: Code.DecodeError, reason: `Decode error: payload over ${MAX_FRAME_BYTES / 1024} KiB`, resumable: true },
  rateLimited: { code: Code.RateLimited, reason: 'Rate limited: too many payloads', resumable: false },
  unknownError: { code: Code.UnknownError, reason: 'Unknown error', resumable: true },
};

/** Closes the protocol itself decides on. */
export const PROTOCOL_CLOSES = {
  unknownOpcode: { code: Code.UnknownOpcode, reason: 'Unknown opcode', resumable: true },
  decodeError: { code: Code.DecodeError, reason: 'Decode error: invalid payload', resumable: true },
  notAuthenticated: { code: Code.NotAuthenticated, reason: 'Not authenticated: IDENTIFY first', resumable: false },
  authenticationFailed: { code: Code.AuthenticationFailed, reason: 'Authentication failed', resumable: false },
  alreadyAuthenticated: { code: Code.AlreadyAuthenticated, reason: 'Already authenticated', resumable: true },
  invalidSeq: { code: Code.InvalidSeq, reason: 'Invalid seq: identify again', resumable: false },
  invalidShard: { code: Code.InvalidShard, reason: 'Invalid shard: Harmony runs one shard, send [0, 1] or nothing', resumable: false },
  invalidVersion: { code: Code.InvalidAPIVersion, reason: 'Invalid API version: use v=10 (or 9)', resumable: false },
  // 4012 rather than 4002 for encodings and compressions we do not speak: every major library treats it as fatal,
  // so a misconfigured client stops with this reason instead of reconnecting in a loop.
  unsupportedEncoding: { code: Code.InvalidAPIVersion, reason: 'Unsupported encoding: only encoding=json (no etf)', resumable: false },
  unsupportedCompression: { code: Code.InvalidAPIVersion, reason: 'Unsupported compress: only compress=zlib-stream', resumable: false },
  invalidIntents: { code: Code.InvalidIntents, reason: 'Invalid intent(s)', resumable: false },
} as const satisfies Record<string, CloseSpec>;

/** 4014 naming the privileged intents an admin has not allowed this bot. */
export function disallowedIntents(names: readonly string[]): CloseSpec {
  return { code: Code.DisallowedIntents, reason: `Disallowed intent(s): ${names.join(', ')} not enabled for this bot by an admin`, resumable: false };
}
