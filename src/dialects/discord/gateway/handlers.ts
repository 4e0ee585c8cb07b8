// The v10 opcode table. Each client frame goes decode -> validate -> handle -> encode; what Discord refuses
// closes the connection with Discord's code (closes.ts), never a reply and a socket left open.
import { GatewayDispatchEvents as Event, GatewayIntentBits as Intent, GatewayOpcodes as Op } from 'discord-api-types/v10';
import type { Core } from '../../../core.ts';
import { type PresenceUpdate, parsePresenceUpdate } from '../../../domain/presence/activity.ts';
import type { Caller } from '../../../domain/users.ts';
import { dispatchFrame, type FrameHandler } from '../../../gateway/client-frames.ts';
import type { GatewayConnection } from '../../../gateway/connection.ts';
import type { CloseSpec } from '../../../gateway/dialect.ts';
import type { Gateway } from '../../../gateway/gateway.ts';
import { platformOf } from '../../../gateway/platform.ts';
import type { GatewaySession } from '../../../gateway/session.ts';
import { disallowedIntents, PROTOCOL_CLOSES } from './closes.ts';
import { perFrameTransform } from './compression.ts';
import { encodeDispatch, HEARTBEAT_ACK_FRAME, INVALID_SESSION_FRAME } from './frames.ts';
import { guildCreate, LARGE_THRESHOLD, ready } from './guild-payloads.ts';
import type { HeartbeatWatch } from './heartbeat-watch.ts';
import { checkIntents, intentNames, streamsFor } from './intents.ts';
import { requestGuildMembers } from './member-chunks.ts';

/** What v10 remembers about a session besides what the core keeps. */
export type SessionState = {
  intents: number;
  largeThreshold: number;
  /** IDENTIFY asked for per-frame compression: kept on RESUME too. */
  compress: boolean;
};

export type HandlerContext = {
  gateway: Gateway;
  core: Core;
  watch: HeartbeatWatch;
};

type Handler = FrameHandler<HandlerContext>;

/** The v10 state IDENTIFY left on a session (restored with it from a resume snapshot after a restart). */
const stateOf = (session: GatewaySession): SessionState | undefined => session.dialectState as SessionState | undefined;

type Obj = Record<string, unknown>;
const isObject = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);
const TOKEN_MAX = 512;

/** Tokens as sent; some libraries prefix "Bot " as in the Authorization header. */
function readToken(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const token = value.startsWith('Bot ') ? value.slice(4) : value;
  return token.length > 0 && token.length <= TOKEN_MAX ? token : null;
}

/** Heartbeats are ACKed in every phase: discord.js heartbeats while it waits for its identify slot. */
const heartbeat: Handler = ({ gateway, watch }, connection) => {
  if (connection.phase === 'ready') gateway.heartbeat(connection);
  watch.beat(connection);
  gateway.send(connection, HEARTBEAT_ACK_FRAME);
};

type Identify = {
  token: string;
  intents: unknown;
  platform: ReturnType<typeof platformOf>;
  presence: PresenceUpdate | undefined;
  compress: boolean;
  largeThreshold: number;
};

/** IDENTIFY's `d`; a close when it is malformed or asks for a shard layout Harmony does not run. */
function parseIdentify(d: unknown, now: number): Identify | CloseSpec {
  if (!isObject(d)) return PROTOCOL_CLOSES.decodeError;
  const token = readToken(d.token);
  if (!token) return PROTOCOL_CLOSES.decodeError;
  if (d.shard != null) {
    const shard = d.shard;
    if (!Array.isArray(shard) || shard.length !== 2 || !shard.every((n) => Number.isSafeInteger(n) && n >= 0)) return PROTOCOL_CLOSES.decodeError;
    if (shard[0] !== 0 || shard[1] !== 1) return PROTOCOL_CLOSES.invalidShard;
  }
  if (d.compress != null && typeof d.compress !== 'boolean') return PROTOCOL_CLOSES.decodeError;
  let largeThreshold: number = LARGE_THRESHOLD.default;
  if (d.large_threshold != null) {
    if (typeof d.large_threshold !== 'number' || !Number.isFinite(d.large_threshold)) return PROTOCOL_CLOSES.decodeError;
    largeThreshold = Math.min(LARGE_THRESHOLD.max, Math.max(LARGE_THRESHOLD.min, Math.floor(d.large_threshold)));
  }
  let properties: { os?: string; browser?: string; device?: string } | undefined;
  if (isObject(d.properties)) {
    const text = (value: unknown) => (typeof value === 'string' ? value.slice(0, 64) : undefined);
    properties = { os: text(d.properties.os), browser: text(d.properties.browser), device: text(d.properties.device) };
  }
  // A presence we cannot take is dropped, not fatal: refusing the login over an activity field would loop.
  const parsed = d.presence != null ? parsePresenceUpdate(d.presence, now) : null;
  return {
    token,
    intents: d.intents,
    platform: platformOf(properties),
    presence: parsed?.ok ? parsed.value : undefined,
    compress: d.compress === true,
    largeThreshold,
  };
}

/**
 * The token checks IDENTIFY and RESUME share: too many attempts for one token get INVALID_SESSION (d:false), as
 * Discord answers identifying too fast; a bad token closes with 4004. The caller, or null when it is handled.
 */
async function authenticate(gateway: Gateway, connection: GatewayConnection, token: string): Promise<Caller | null> {
  if (!(await gateway.identifyAllowed(token))) {
    gateway.send(connection, INVALID_SESSION_FRAME);
    return null;
  }
  connection.phase = 'authenticating';
  const caller = await gateway.authenticate(token);
  if (!connection.open) return null;
  if (!caller) {
    gateway.close(connection, PROTOCOL_CLOSES.authenticationFailed);
    return null;
  }
  return caller;
}

const identify: Handler = async (ctx, connection, d) => {
  const { gateway, core } = ctx;
  if (connection.phase !== 'new') return gateway.close(connection, PROTOCOL_CLOSES.alreadyAuthenticated);
  const payload = parseIdentify(d, Date.now());
  if ('code' in payload) return gateway.close(connection, payload);
  const caller = await authenticate(gateway, connection, payload.token);
  if (!caller) return;
  // People are not bots: Discord's privileged-intent gate is a bot setting, so their sessions may ask for any.
  const checked = checkIntents(payload.intents, caller.kind === 'bot' ? caller.user.botIntents : null);
  if (!checked.ok)
    return gateway.close(connection, checked.reason === 'invalid' ? PROTOCOL_CLOSES.invalidIntents : disallowedIntents(intentNames(checked.bits)));
  const intents = payload.intents as number;
  // Transport compression (set at connect) wins over IDENTIFY's; nothing was subscribed yet, so this is safe here.
  if (payload.compress && !connection.transform) connection.transform = perFrameTransform();
  const state: SessionState = { intents, largeThreshold: payload.largeThreshold, compress: payload.compress };
  const version = connection.params.v === '9' ? 9 : 10;
  const resumeUrl = connection.params.resume_url ?? '';
  const streams = streamsFor(intents, caller.kind !== 'bot');
  await gateway.openSession(connection, { caller, streams, platform: payload.platform, presence: payload.presence }, async (session, view) => {
    session.dialectState = state;
    const readStates = gateway.core.services.readStates;
    const own = caller.kind === 'bot' ? undefined : { readStates: await readStates.of(caller.user.id), settings: await readStates.settingsOf(caller.user.id) };
    // One GUILD_CREATE per guild READY listed, so discord.js fires `ready` at once instead of after 15 s.
    const options = { presences: (intents & Intent.GuildPresences) !== 0, largeThreshold: state.largeThreshold };
    const guilds = [];
    for (const snapshot of view.snapshots) guilds.push(await guildCreate(core, snapshot, options));
    // Read first, then sent in one go: nothing else reaches the connection in between.
    if (!connection.open) return;
    gateway.sendDispatch(connection, (seq) => encodeDispatch(Event.Ready, ready(caller, session.id, resumeUrl, view, version, own), seq));
    for (const data of guilds) gateway.sendDispatch(connection, (seq) => encodeDispatch(Event.GuildCreate, data, seq));
  });
};

/** op 3: `{since, activities, status, afk}`; the bot's presence changes everywhere (v1, presence API). */
const presenceUpdate: Handler = ({ gateway }, connection, d) => {
  const session = connection.session;
  if (connection.phase !== 'ready' || !session) return gateway.close(connection, PROTOCOL_CLOSES.notAuthenticated);
  const parsed = parsePresenceUpdate(d, Date.now());
  if (!parsed.ok) return gateway.close(connection, PROTOCOL_CLOSES.decodeError);
  gateway.updatePresence(session, parsed.value);
};

/** op 6 `{token, session_id, seq}`: replay what was missed, then RESUMED; INVALID_SESSION (d:false) when it cannot. */
const resume: Handler = async ({ gateway }, connection, d) => {
  if (connection.phase !== 'new') return gateway.close(connection, PROTOCOL_CLOSES.alreadyAuthenticated);
  if (!isObject(d)) return gateway.close(connection, PROTOCOL_CLOSES.decodeError);
  const token = readToken(d.token);
  const { session_id: sessionId, seq } = d;
  if (!token || typeof sessionId !== 'string' || typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
    return gateway.close(connection, PROTOCOL_CLOSES.decodeError);
  }
  const caller = await authenticate(gateway, connection, token);
  if (!caller) return;
  // In a cluster the session may have been opened on another node: take it over from its shared record first.
  await gateway.adopt(sessionId, seq);
  if (!connection.open) return;
  // A session that identified with compress:true gets compressed frames on its new connection too.
  const known = gateway.registry.get(sessionId);
  const compress = known !== undefined && stateOf(known)?.compress === true && !connection.transform;
  if (compress) connection.transform = perFrameTransform();
  const outcome = gateway.resumeSession(connection, caller, sessionId, seq, () => {
    gateway.sendDispatch(connection, (s) => encodeDispatch(Event.Resumed, {}, s));
  });
  if (outcome.ok) return;
  if (compress) connection.transform = null;
  if (outcome.reason === 'invalid-seq') return gateway.close(connection, PROTOCOL_CLOSES.invalidSeq);
  // The client may IDENTIFY on this same connection (discord.js reconnects and does).
  connection.phase = 'new';
  gateway.send(connection, INVALID_SESSION_FRAME);
};

const requestMembers: Handler = async (ctx, connection, d) => {
  const session = connection.session;
  const state = session ? stateOf(session) : undefined;
  if (connection.phase !== 'ready' || !session || !state) return ctx.gateway.close(connection, PROTOCOL_CLOSES.notAuthenticated);
  const result = await requestGuildMembers(ctx.core, session, state.intents, d);
  if (!connection.open) return;
  if (!result.ok) return ctx.gateway.close(connection, PROTOCOL_CLOSES.decodeError);
  for (const chunk of result.chunks) ctx.gateway.sendDispatch(connection, (seq) => encodeDispatch(Event.GuildMembersChunk, chunk, seq));
};

/**
 * Voice (op 4) has no server here; accepting it quietly keeps a bot that joins a voice channel on start from
 * being disconnected over a feature it cannot use anyway.
 */
const voiceStateUpdate: Handler = ({ gateway }, connection) => {
  if (connection.phase !== 'ready') gateway.close(connection, PROTOCOL_CLOSES.notAuthenticated);
};

export const HANDLERS: Readonly<Partial<Record<number, Handler>>> = {
  [Op.Heartbeat]: heartbeat,
  [Op.Identify]: identify,
  [Op.PresenceUpdate]: presenceUpdate,
  [Op.VoiceStateUpdate]: voiceStateUpdate,
  [Op.Resume]: resume,
  [Op.RequestGuildMembers]: requestMembers,
};

/** One client frame: decode, find its handler, run it. */
export function handleFrame(ctx: HandlerContext, connection: GatewayConnection, text: string): void | Promise<void> {
  return dispatchFrame(HANDLERS, PROTOCOL_CLOSES, ctx, connection, text);
}
