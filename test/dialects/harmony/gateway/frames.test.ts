// v1 frame encoding and decoding: four keys out, an object with an integer op in.
import { describe, expect, it } from 'bun:test';
import { encodeDispatch, encodeFrame, HEARTBEAT_ACK_FRAME, INVALID_SESSION_FRAME } from '../../../../src/dialects/harmony/gateway/frames.ts';
import { decodeFrame } from '../../../../src/gateway/client-frames.ts';

describe('v1 frames', () => {
  it('encode op, d, s and t, in that order, with s and t null off dispatches', () => {
    expect(encodeDispatch('READY', { a: 1 }, 7)).toBe('{"op":0,"d":{"a":1},"s":7,"t":"READY"}');
    expect(encodeFrame(1, null)).toBe('{"op":1,"d":null,"s":null,"t":null}');
    expect(HEARTBEAT_ACK_FRAME).toBe('{"op":11,"d":null,"s":null,"t":null}');
    expect(INVALID_SESSION_FRAME).toBe('{"op":9,"d":false,"s":null,"t":null}');
  });

  it('decode objects with an integer op (d defaults to null) and refuse everything else', () => {
    expect(decodeFrame('{"op":1}')).toEqual({ op: 1, d: null });
    expect(decodeFrame('{"op":2,"d":{"token":"t"},"extra":true}')).toEqual({ op: 2, d: { token: 't' } });
    for (const bad of ['', 'null', '1', '"op"', '[]', '{"op":null}', '{"op":"1"}', '{"op":1.5}', '{op:1}', '{"d":1}']) expect(decodeFrame(bad)).toBeNull();
  });
});
