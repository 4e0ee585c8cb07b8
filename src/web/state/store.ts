// The app's state: one immutable snapshot, replaced on every change, and a hook that re-renders a
// component only when the slice it selected changes. Small enough to read in a minute; no library.
import { useEffect, useReducer, useRef } from 'preact/hooks';

type Listener = () => void;

export class Store<S> {
  private listeners = new Set<Listener>();
  constructor(private state: S) {}

  get(): S {
    return this.state;
  }

  /** Applies `change` to the current snapshot; listeners run once per change. */
  update(change: (state: S) => S): void {
    const next = change(this.state);
    if (next === this.state) return;
    this.state = next;
    for (const listener of [...this.listeners]) listener();
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Selects a slice; compared with Object.is, or element-wise for arrays so derived lists do not churn. */
export function useSelector<S, T>(store: Store<S>, select: (state: S) => T): T {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const selected = select(store.get());
  const latest = useRef({ select, selected });
  latest.current = { select, selected };
  useEffect(() => {
    const check = () => {
      const next = latest.current.select(store.get());
      if (!same(next, latest.current.selected)) rerender(0);
    };
    const unsubscribe = store.subscribe(check);
    // A change between this render and the subscription (a component mounted as events arrive) is not missed.
    check();
    return unsubscribe;
  }, [store]);
  return selected;
}

function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  return a.every((x, i) => Object.is(x, b[i]));
}
