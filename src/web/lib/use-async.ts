// Two hooks for talking to the server from components: one for actions (a button that shows it is
// busy and then the error, if any), one for data a screen loads (with reload).
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { describeError } from './errors.ts';

export type Action<A extends unknown[]> = {
  run: (...args: A) => Promise<boolean>;
  busy: boolean;
  error: string | null;
  clear: () => void;
};

/** Wraps an async function: `run` resolves true on success, false on failure (with `error` set). */
export function useAction<A extends unknown[]>(fn: (...args: A) => Promise<unknown>): Action<A> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const alive = useAlive();
  const latest = useRef(fn);
  latest.current = fn;
  const run = useCallback(
    async (...args: A) => {
      setBusy(true);
      setError(null);
      try {
        await latest.current(...args);
        return true;
      } catch (e) {
        if (alive.current) setError(describeError(e));
        return false;
      } finally {
        if (alive.current) setBusy(false);
      }
    },
    [alive],
  );
  return { run, busy, error, clear: () => setError(null) };
}

export type Loaded<T> = { data: T | undefined; error: string | null; loading: boolean; reload: () => void; set: (data: T) => void };

/** Loads data when `deps` change; keeps the last good value while reloading. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const latest = useRef(load);
  latest.current = load;
  useEffect(() => {
    let current = true;
    setLoading(true);
    latest
      .current()
      .then((value) => {
        if (!current) return;
        setData(value);
        setError(null);
      })
      .catch((e: unknown) => current && setError(describeError(e)))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [...deps, tick]);
  return { data, error, loading, reload: () => setTick((n) => n + 1), set: setData };
}

function useAlive() {
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);
  return alive;
}
