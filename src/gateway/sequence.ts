// The one sequence counter: every dispatch of every dialect takes the next number, so a session sees an
// increasing (not necessarily contiguous) `s`, and RESUME can say "everything after n".

export class Sequence {
  private value = 0;

  /** The last number handed out (0 before the first). */
  get current(): number {
    return this.value;
  }

  /** Continues above `value` (the last number a previous process handed out, from its resume snapshot). */
  continueFrom(value: number): void {
    if (value > this.value) this.value = value;
  }

  next(): number {
    this.value += 1;
    return this.value;
  }
}
