// v1 frames: every server frame has exactly the keys op, d, s and t (s and t null unless op is 0), so
// clients that read payload['t'] on every frame never crash. Client frames are JSON objects with an integer op.
import { Op } from './opcodes.ts';

export function encodeFrame(op: number, d: unknown, s: number | null = null, t: string | null = null): string {
  return JSON.stringify({ op, d, s, t });
}

export function encodeDispatch(t: string, d: unknown, s: number): string {
  return encodeFrame(Op.Dispatch, d, s, t);
}

/** Constant frames, serialized once. */
export const HEARTBEAT_ACK_FRAME = encodeFrame(Op.HeartbeatAck, null);
export const INVALID_SESSION_FRAME = encodeFrame(Op.InvalidSession, false);
