// Keeps the message search index caught up off the write path (migration 0023): a send only queues its message,
// and the queue enters the index in bulk a moment after messages are committed, and always before a search reads
// the index. One FTS5 segment per pass instead of one per message's transaction is what makes sends cheap.

import type { EventHub } from '../events/event-hub.ts';
import type { MessagesRepo } from './ports/index.ts';
import type { UnitOfWork } from './ports/unit-of-work.ts';

/** Events whose write may have queued a message for the index. */
const QUEUEING = new Set(['message.create', 'message.update']);
/** Messages per write: a long queue (after an import, say) is indexed in several short transactions. */
export const SEARCH_INDEX_BATCH = 2000;

export class SearchIndexer {
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Passes run one after another, so a pass started for a search runs after every commit before the search. */
  private tail: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly messages: Pick<MessagesRepo, 'hasPendingSearch' | 'indexPendingSearch'>,
    private readonly uow: Pick<UnitOfWork, 'write'>,
    private readonly delayMs = 250,
  ) {}

  /** Indexes `delayMs` after messages are written (one pass for all written meanwhile). */
  watch(hub: EventHub): () => void {
    return hub.subscribe((event) => {
      if (QUEUEING.has(event.type)) this.schedule(this.delayMs);
    });
  }

  /** Resolves once every message committed before the call is in the index. */
  catchUp(): Promise<void> {
    const pass = this.tail.then(() => this.pass());
    this.tail = pass.catch((error: unknown) => {
      // What is still queued stays queued: the next pass (or the next start) takes it.
      console.error('could not update the search index:', (error as Error).message);
    });
    return pass;
  }

  /** Stops scheduling passes and waits for the one running. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.tail;
  }

  private schedule(delayMs: number): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.catchUp().catch(() => {});
    }, delayMs);
  }

  /**
   * Indexes until a write takes less than a full batch: the queue was empty then, so every message committed before
   * the pass is in. Messages committed during the pass wait for the next one rather than each batch of writes paying
   * an index write of its own, as they did while a pass chased a steady stream of sends.
   */
  private async pass(): Promise<void> {
    while (await this.messages.hasPendingSearch()) {
      const taken = await this.uow.write(() => this.messages.indexPendingSearch(SEARCH_INDEX_BATCH));
      if (taken < SEARCH_INDEX_BATCH) return;
    }
  }
}
