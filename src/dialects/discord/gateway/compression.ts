// The two compressions Discord's gateway offers, as per-connection frame transforms (GatewayConnection.transform):
// - transport `?compress=zlib-stream`: one zlib deflate context for the connection's whole life; every frame is
//   deflated into it and flushed with Z_SYNC_FLUSH, so each binary message ends in 00 00 FF FF and the client
//   inflates the concatenation with one context too (zlib-sync in discord.js, pako, Python's zlib...);
// - IDENTIFY's `compress: true`: every frame is a complete zlib stream of its own, sent as binary.
// A transform must be synchronous (frames go out in order, right away), and node:zlib's streams are not, so the
// stream context is driven through its handle's writeSync: the call node:zlib's own *Sync functions make.
import zlib from 'node:zlib';

const OUT_CHUNK = 16 * 1024;

/** The part of node:zlib's native handle writeSync needs; present in Node and in Bun's port of it. */
type ZlibHandle = {
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
};
type ZlibInternals = { _handle?: ZlibHandle; _writeState?: Uint32Array };

/**
 * A transform for `compress=zlib-stream`: deflates each frame into one long-lived context with a sync flush.
 * Throws at creation if this runtime's node:zlib lacks the synchronous handle (the caller refuses the option).
 */
export function zlibStreamTransform(): (frame: string) => Uint8Array {
  // Discord's window and memory settings are zlib's defaults; every inflater accepts them.
  const deflate = zlib.createDeflate() as unknown as ZlibInternals;
  const handle = deflate._handle;
  const state = deflate._writeState;
  if (!handle || !state) throw new Error('node:zlib has no synchronous deflate handle in this runtime');
  const out = Buffer.allocUnsafe(OUT_CHUNK);
  return (frame) => {
    const input = Buffer.from(frame, 'utf8');
    const parts: Buffer[] = [];
    let offset = 0;
    let remaining = input.length;
    for (;;) {
      handle.writeSync(zlib.constants.Z_SYNC_FLUSH, input, offset, remaining, out, 0, OUT_CHUNK);
      const outLeft = state[0] as number;
      const inLeft = state[1] as number;
      const produced = OUT_CHUNK - outLeft;
      if (produced > 0) parts.push(Buffer.from(out.subarray(0, produced)));
      offset += remaining - inLeft;
      remaining = inLeft;
      // zlib filled the output buffer: there may be more to flush.
      if (outLeft !== 0) break;
    }
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
  };
}

/** A transform for IDENTIFY `compress: true`: one complete zlib stream per frame. */
export function perFrameTransform(): (frame: string) => Uint8Array {
  return (frame) => zlib.deflateSync(frame);
}
