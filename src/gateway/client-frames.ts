// What every gateway dialect does with a client frame before its own handlers: decode the JSON, find the
// handler for its opcode in the dialect's table, and close with the dialect's code when either fails. Integer
// snowflakes past 2^53 (discord.py's op 8 guild_id) keep their digits.
import { parseExactJson } from '../http/exact-json.ts';
import type { GatewayConnection } from './connection.ts';
import type { CloseSpec } from './dialect.ts';
import type { Gateway } from './gateway.ts';

export type ClientFrame = { op: number; d: unknown };

export type FrameHandler<Ctx> = (ctx: Ctx, connection: GatewayConnection, d: unknown) => void | Promise<void>;

/** A JSON object with an integer `op`; null for anything else (the dialect closes with its decode error). */
export function decodeFrame(text: string): ClientFrame | null {
  let value: unknown;
  try {
    value = parseExactJson(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { op, d } = value as Record<string, unknown>;
  if (typeof op !== 'number' || !Number.isInteger(op)) return null;
  return { op, d: d ?? null };
}

/** Decode → find the handler → run it; bad JSON and unknown opcodes close with the dialect's codes. */
export function dispatchFrame<Ctx extends { gateway: Gateway }>(
  handlers: Readonly<Partial<Record<number, FrameHandler<Ctx>>>>,
  closes: { decodeError: CloseSpec; unknownOpcode: CloseSpec },
  ctx: Ctx,
  connection: GatewayConnection,
  text: string,
): void | Promise<void> {
  const frame = decodeFrame(text);
  if (!frame) return ctx.gateway.close(connection, closes.decodeError);
  const handler = handlers[frame.op];
  if (!handler) return ctx.gateway.close(connection, closes.unknownOpcode);
  return handler(ctx, connection, frame.d);
}
