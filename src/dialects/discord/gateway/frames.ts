// v10 frames as Discord sends them: `{t, s, op, d}` on every frame, `t` and `s` null unless op is 0 (Dispatch).
// Client frames are JSON objects with an integer `op`; anything else closes with 4002.
import { GatewayOpcodes as Op } from 'discord-api-types/v10';

export function encodeFrame(op: number, d: unknown): string {
  return JSON.stringify({ t: null, s: null, op, d });
}

export function encodeDispatch(t: string, d: unknown, s: number): string {
  return JSON.stringify({ t, s, op: Op.Dispatch, d });
}

/** Constant frames, serialized once. */
export const HEARTBEAT_ACK_FRAME = encodeFrame(Op.HeartbeatAck, null);
/** op 1 from the server: "heartbeat now". */
export const HEARTBEAT_REQUEST_FRAME = encodeFrame(Op.Heartbeat, null);
/** op 9 with d:false: the session is gone, IDENTIFY again. `d` must be a boolean (discord.js calls d.toString()). */
export const INVALID_SESSION_FRAME = encodeFrame(Op.InvalidSession, false);

export function helloFrame(heartbeatInterval: number): string {
  return encodeFrame(Op.Hello, { heartbeat_interval: heartbeatInterval });
}
