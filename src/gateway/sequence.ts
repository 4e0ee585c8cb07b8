// The one sequence counter: every dispatch of every dialect takes the next number, so a session sees an
// increasing (not necessarily contiguous) `s`, and RESUME can say "everything after n".

export class Sequence {
  private value = 0;

  /** The last number handed out (0 before the first). */
  get current(): number {
    return this.value;
  }

  /** The highest number a client may hold as its last `seq` (RESUME with more is invalid). */
  get ceiling(): number {
    return this.current;
  }

  /** Continues above `value` (the last number a previous process handed out, from its resume snapshot). */
  continueFrom(value: number): void {
    if (value > this.value) this.value = value;
  }

  next(): number {
    this.value += 1;
    return this.value;
  }

  /** A number for a frame to one connection (READY, RESUMED): one process numbers it like any dispatch. */
  nextLocal(): number {
    return this.next();
  }
}

/**
 * The sequence of a node in a cluster: the same dispatch gets the same number on every node, so a session that
 * resumes on another node means the same thing by its `seq`. Every node applies the same event batches in the same
 * order (RedisBus numbers them), and the dispatches one batch makes are numbered in the order fan-out makes them:
 * dispatch i of batch n is n * 2^20 + i * 2^8. Frames for one connection (READY, RESUMED) take the numbers in
 * between (+1 ... +255), which shifts no dispatch's number. Up to 2^33 batches stay safe integers.
 */
export class ClusterSequence extends Sequence {
  private batch = 0;
  private index = 0;
  private local = 0;
  private last = 0;

  /** `batchOf()`: the number of the event batch being applied now (0 before the first). */
  constructor(private readonly batchOf: () => number) {
    super();
  }

  override get current(): number {
    return this.last;
  }

  /** Any number of the batch applied last, local frames' included. */
  override get ceiling(): number {
    return Math.max(this.last, (this.batchOf() + 1) * 2 ** 20 - 1);
  }

  override continueFrom(value: number): void {
    if (value > this.last) this.last = value;
  }

  override next(): number {
    this.sync();
    this.index = Math.min(this.index + 1, 4095);
    this.local = 0;
    return this.take(this.batch * 2 ** 20 + this.index * 2 ** 8);
  }

  override nextLocal(): number {
    this.sync();
    this.local = Math.min(this.local + 1, 255);
    return this.take(this.batch * 2 ** 20 + this.index * 2 ** 8 + this.local);
  }

  private sync(): void {
    const batch = this.batchOf();
    if (batch !== this.batch) {
      this.batch = batch;
      this.index = 0;
      this.local = 0;
    }
  }

  // Never backwards for a live session, even past a cap (then two frames may share a number, never decrease).
  private take(value: number): number {
    this.last = Math.max(this.last, value);
    return this.last;
  }
}
