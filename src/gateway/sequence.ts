// The one sequence counter: every dispatch of every dialect takes the next number, so a session sees an
// increasing (not necessarily contiguous) `s`, and RESUME can say "everything after n".

export class Sequence {
  private value = 0;

  /** The last number handed out (0 before the first). */
  get current(): number {
    return this.value;
  }

  next(): number {
    this.value += 1;
    return this.value;
  }
}
