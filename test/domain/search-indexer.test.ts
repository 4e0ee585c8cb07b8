// The search indexer's passes: a long queue is indexed in several writes, and a pass does not chase messages that
// keep arriving while it runs (each of them would otherwise cost every batch of sends an index write).
import { describe, expect, it } from 'bun:test';
import type { Emit } from '../../src/domain/ports/unit-of-work.ts';
import { SEARCH_INDEX_BATCH, SearchIndexer } from '../../src/domain/search-indexer.ts';

/** A queue of `pending` messages; `arriving` more are committed after each of the first 100 index writes (a steady stream of sends). */
function queue(pending: number, arriving = 0) {
  const taken: number[] = [];
  const state = { pending };
  const messages = {
    hasPendingSearch: async () => state.pending > 0,
    indexPendingSearch: async (limit: number) => {
      const n = Math.min(limit, state.pending);
      state.pending -= n;
      if (taken.push(n) <= 100) state.pending += arriving;
      return n;
    },
  };
  const uow = { write: <T>(body: (emit: Emit) => Promise<T>) => body(() => {}) };
  return { indexer: new SearchIndexer(messages, uow), taken, state };
}

describe('SearchIndexer', () => {
  it('indexes a long queue in writes of a batch each, until one takes less', async () => {
    const { indexer, taken, state } = queue(2 * SEARCH_INDEX_BATCH + 5);
    await indexer.catchUp();
    expect(taken).toEqual([SEARCH_INDEX_BATCH, SEARCH_INDEX_BATCH, 5]);
    expect(state.pending).toBe(0);
  });

  it('ends a pass once a write has emptied the queue, though messages keep arriving', async () => {
    const { indexer, taken, state } = queue(3, 10);
    await indexer.catchUp();
    // Everything committed before the pass is in; what arrived since waits for the next pass.
    expect(taken).toEqual([3]);
    expect(state.pending).toBe(10);
  });

  it('writes nothing when nothing waits', async () => {
    const { indexer, taken } = queue(0);
    await indexer.catchUp();
    expect(taken).toEqual([]);
  });
});
