// The v1 opcode table. Each client frame goes decode -> validate -> handle -> encode; anything the
// protocol forbids closes the connection with its named code (never a reply and a socket left open).
import { type PresenceUpdate, parsePresenceUpdate } from '../../../domain/presence/activity.ts';
import type { GuildNotificationSettings, ReadState } from '../../../domain/read-states.ts';
import type { Caller } from '../../../domain/users.ts';
import { dispatchFrame, type FrameHandler } from '../../../gateway/client-frames.ts';
import type { GatewayConnection } from '../../../gateway/connection.ts';
import type { CloseSpec } from '../../../gateway/dialect.ts';
import type { Gateway } from '../../../gateway/gateway.ts';
import { platformOf } from '../../../gateway/platform.ts';
import type { InitialView } from '../../../gateway/visibility.ts';
import * as wire from '../serializers.ts';
import { encodeDispatch, HEARTBEAT_ACK_FRAME, INVALID_SESSION_FRAME } from './frames.ts';
import { CloseCode, Op } from './opcodes.ts';
import { guild } from './payloads.ts';

export type HandlerContext = { gateway: Gateway; stream: string };

type Handler = FrameHandler<HandlerContext>;

/** Closes the protocol itself decides on (the core's own are in CORE_CLOSES). */
export const PROTOCOL_CLOSES = {
  decodeError: { code: CloseCode.DecodeError, reason: 'Decode error: invalid payload', resumable: true },
  unknownOpcode: { code: CloseCode.UnknownOpcode, reason: 'Unknown opcode', resumable: true },
  notAuthenticated: { code: CloseCode.NotAuthenticated, reason: 'Not authenticated: send IDENTIFY first', resumable: false },
  authenticationFailed: { code: CloseCode.AuthenticationFailed, reason: 'Authentication failed', resumable: false },
  alreadyAuthenticated: { code: CloseCode.AlreadyAuthenticated, reason: 'Already authenticated', resumable: true },
  invalidSeq: { code: CloseCode.InvalidSeq, reason: 'Invalid seq: IDENTIFY again', resumable: false },
  identifyRateLimited: { code: CloseCode.RateLimited, reason: 'Rate limited: too many IDENTIFY/RESUME for this token', resumable: false },
} as const satisfies Record<string, CloseSpec>;

type Obj = Record<string, unknown>;
const isObject = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);
const TOKEN_MAX = 512;

const heartbeat: Handler = ({ gateway }, connection) => {
  if (connection.phase !== 'ready') return gateway.close(connection, PROTOCOL_CLOSES.notAuthenticated);
  gateway.heartbeat(connection);
  gateway.send(connection, HEARTBEAT_ACK_FRAME);
};

type IdentifyPayload = { token: string; platform: ReturnType<typeof platformOf>; presence: PresenceUpdate | undefined };

/** `{ token, properties?: { os, browser, device }, presence? }`; unknown keys (intents, ...) are ignored. */
function parseIdentify(d: unknown, now: number): IdentifyPayload | null {
  if (!isObject(d) || typeof d.token !== 'string' || d.token.length === 0 || d.token.length > TOKEN_MAX) return null;
  let properties: { os?: string; browser?: string; device?: string } | undefined;
  if (d.properties != null) {
    if (!isObject(d.properties)) return null;
    const text = (value: unknown) => (typeof value === 'string' ? value.slice(0, 64) : undefined);
    properties = { os: text(d.properties.os), browser: text(d.properties.browser), device: text(d.properties.device) };
  }
  let presence: PresenceUpdate | undefined;
  if (d.presence != null) {
    const parsed = parsePresenceUpdate(d.presence, now);
    if (!parsed.ok) return null;
    presence = parsed.value;
  }
  return { token: d.token, platform: platformOf(properties), presence };
}

/** Token checks shared by IDENTIFY and RESUME; the caller, or null when the connection was closed. */
async function authenticate(gateway: Gateway, connection: GatewayConnection, token: string): Promise<Caller | null> {
  connection.phase = 'authenticating';
  if (!(await gateway.identifyAllowed(token))) {
    gateway.close(connection, PROTOCOL_CLOSES.identifyRateLimited);
    return null;
  }
  const caller = await gateway.authenticate(token);
  if (!connection.open) return null;
  if (!caller) {
    gateway.close(connection, PROTOCOL_CLOSES.authenticationFailed);
    return null;
  }
  return caller;
}

const identify: Handler = async ({ gateway, stream }, connection, d) => {
  if (connection.phase !== 'new') return gateway.close(connection, PROTOCOL_CLOSES.alreadyAuthenticated);
  const payload = parseIdentify(d, Date.now());
  if (!payload) return gateway.close(connection, PROTOCOL_CLOSES.decodeError);
  const caller = await authenticate(gateway, connection, payload.token);
  if (!caller) return;
  await gateway.openSession(connection, { caller, streams: [stream], platform: payload.platform, presence: payload.presence }, async (session, view) => {
    const readStates = gateway.core.services.readStates;
    const own = {
      readStates: await readStates.of(caller.user.id),
      settings: await readStates.settingsOf(caller.user.id),
      closedDms: await readStates.closedDms(caller.user.id),
    };
    if (!connection.open) return;
    gateway.sendDispatch(connection, (seq) => encodeDispatch('READY', ready(caller, session.id, gateway.options.heartbeatInterval, view, own), seq));
  });
};

/** What READY tells only its own user: read state, notification settings, and the DMs they closed (left out). */
export type OwnState = { readStates: ReadState[]; settings: GuildNotificationSettings[]; closedDms: ReadonlySet<string> };

/**
 * READY's `d`: `bot` for bot tokens, `user` for people; the guilds in full, as GUILD_CREATE would send them; the
 * open DMs; where the user stopped reading each channel (`read_state`) and their `user_guild_settings`.
 */
export function ready(caller: Caller, sessionId: string, heartbeatInterval: number, view: InitialView, own?: OwnState) {
  return {
    [caller.kind === 'bot' ? 'bot' : 'user']: wire.selfUser(caller.user),
    session_id: sessionId,
    heartbeat_interval: heartbeatInterval,
    guilds: view.snapshots.map(guild),
    private_channels: view.dms.filter((dm) => !own?.closedDms.has(dm.id)).map(wire.channel),
    read_state: (own?.readStates ?? []).map(wire.readState),
    user_guild_settings: (own?.settings ?? []).map(wire.guildNotificationSettings),
  };
}

const presenceUpdate: Handler = ({ gateway }, connection, d) => {
  const session = connection.session;
  if (connection.phase !== 'ready' || !session) return gateway.close(connection, PROTOCOL_CLOSES.notAuthenticated);
  const parsed = parsePresenceUpdate(d, Date.now());
  if (!parsed.ok) return gateway.close(connection, PROTOCOL_CLOSES.decodeError);
  gateway.updatePresence(session, parsed.value);
};

/** `{ token, session_id, seq }`: replay what was missed, then RESUMED; op 9 when the session cannot be resumed. */
const resume: Handler = async ({ gateway }, connection, d) => {
  if (connection.phase !== 'new') return gateway.close(connection, PROTOCOL_CLOSES.alreadyAuthenticated);
  if (!isObject(d) || typeof d.token !== 'string' || d.token.length === 0 || d.token.length > TOKEN_MAX)
    return gateway.close(connection, PROTOCOL_CLOSES.decodeError);
  if (typeof d.session_id !== 'string' || typeof d.seq !== 'number' || !Number.isSafeInteger(d.seq) || d.seq < 0)
    return gateway.close(connection, PROTOCOL_CLOSES.decodeError);
  const { session_id: sessionId, seq } = d;
  const caller = await authenticate(gateway, connection, d.token);
  if (!caller) return;
  // In a cluster the session may have been opened on another node: take it over from its shared record first.
  await gateway.adopt(sessionId, seq);
  if (!connection.open) return;
  const outcome = gateway.resumeSession(connection, caller, sessionId, seq, () => {
    gateway.sendDispatch(connection, (s) => encodeDispatch('RESUMED', {}, s));
  });
  if (outcome.ok) return;
  if (outcome.reason === 'invalid-seq') return gateway.close(connection, PROTOCOL_CLOSES.invalidSeq);
  // The client may IDENTIFY on this same connection (or reconnect and do so).
  gateway.expectIdentify(connection);
  gateway.send(connection, INVALID_SESSION_FRAME);
};

export const HANDLERS: Readonly<Partial<Record<number, Handler>>> = {
  [Op.Heartbeat]: heartbeat,
  [Op.Identify]: identify,
  [Op.PresenceUpdate]: presenceUpdate,
  [Op.Resume]: resume,
};

/** One client frame: decode, find its handler, run it. */
export function handleFrame(ctx: HandlerContext, connection: GatewayConnection, text: string): void | Promise<void> {
  return dispatchFrame(HANDLERS, PROTOCOL_CLOSES, ctx, connection, text);
}
