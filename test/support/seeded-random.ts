// A small seeded random source (mulberry32), so a fuzz run that finds a bug can be replayed exactly from its seed.
export class SeededRandom {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  bytes(length: number): Uint8Array<ArrayBuffer> {
    const out = new Uint8Array(new ArrayBuffer(length));
    for (let i = 0; i < length; i++) out[i] = this.int(256);
    return out;
  }

  /** A string of random code points, lone surrogates and control characters included. */
  text(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) {
      const kind = this.int(6);
      const code = kind === 0 ? this.int(32) : kind === 1 ? 0xd800 + this.int(0x800) : kind === 2 ? 0x10000 + this.int(0xfffff) : 32 + this.int(95);
      out += String.fromCodePoint(code);
    }
    return out;
  }
}
