// How many WebSockets each client address holds open, across every socket endpoint, so one address cannot tie up
// the server's sockets and memory. Counted on the trusted client address (client-address.ts).

export class ConnectionCap {
  private readonly open = new Map<string, number>();

  /** `enabled` false (HARMONY_RATE_LIMITS=off): every upgrade is admitted, though still counted. */
  constructor(
    readonly limit: number,
    readonly enabled = true,
  ) {}

  /** Takes a slot for `address`; false (nothing taken) when it already holds `limit` sockets. */
  take(address: string): boolean {
    const held = this.open.get(address) ?? 0;
    if (this.enabled && held >= this.limit) return false;
    this.open.set(address, held + 1);
    return true;
  }

  /** Gives back a slot `take` granted. */
  release(address: string): void {
    const held = this.open.get(address) ?? 0;
    if (held <= 1) this.open.delete(address);
    else this.open.set(address, held - 1);
  }

  /** Sockets `address` holds now. */
  held(address: string): number {
    return this.open.get(address) ?? 0;
  }
}
