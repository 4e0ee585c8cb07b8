// A tiny typed event emitter that works the same in browsers, Bun and Node (no node:events).
// A listener that throws or rejects never breaks the emit loop: it is handed to onListenerError instead.

type Entry<T> = { fn: (payload: T) => unknown; once: boolean };

export class TypedEmitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Entry<never>[]>();

  constructor(private readonly onListenerError: (error: unknown, event: keyof Events) => void) {}

  on<K extends keyof Events>(event: K, fn: (payload: Events[K]) => unknown): void {
    this.add(event, { fn, once: false });
  }

  once<K extends keyof Events>(event: K, fn: (payload: Events[K]) => unknown): void {
    this.add(event, { fn, once: true });
  }

  /** Removes every registration of `fn` for `event`, whether added with on() or once(). */
  off<K extends keyof Events>(event: K, fn: (payload: Events[K]) => unknown): void {
    const list = this.entries(event);
    const kept = list.filter((entry) => entry.fn !== fn);
    if (kept.length === 0) this.listeners.delete(event);
    else this.listeners.set(event, kept as Entry<never>[]);
  }

  listenerCount(event: keyof Events): number {
    return this.listeners.get(event)?.length ?? 0;
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    // Snapshot: listeners added or removed while emitting take effect from the next emit.
    for (const entry of [...this.entries(event)]) {
      if (entry.once) this.off(event, entry.fn);
      try {
        const result = entry.fn(payload);
        if (isThenable(result)) result.then(undefined, (error: unknown) => this.onListenerError(error, event));
      } catch (error) {
        this.onListenerError(error, event);
      }
    }
  }

  private add<K extends keyof Events>(event: K, entry: Entry<Events[K]>): void {
    this.listeners.set(event, [...this.entries(event), entry] as Entry<never>[]);
  }

  private entries<K extends keyof Events>(event: K): Entry<Events[K]>[] {
    return (this.listeners.get(event) ?? []) as Entry<Events[K]>[];
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
