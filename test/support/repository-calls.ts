// Watches every repository method call on a server's unit of work, for tests that prove a path reads no store.
// On both engines each entry of `uow.repos` is a plain object of routing methods (to the open write's stores or the
// read side's), so wrapping those sees every call made through `repos`, inside a write or not.
import type { TestServer } from './test-server.ts';

/** Calls `onCall('repo.method')` before each repository method runs; the returned function puts them back. */
export function watchRepositoryCalls(server: TestServer, onCall: (call: string) => void): () => void {
  const repos = server.harmony.core.uow.repos as unknown as Record<string, Record<string, (...args: unknown[]) => unknown>>;
  const undo: (() => void)[] = [];
  for (const [repoName, repo] of Object.entries(repos))
    for (const [method, original] of Object.entries(repo)) {
      if (typeof original !== 'function') continue;
      repo[method] = (...args) => {
        onCall(`${repoName}.${method}`);
        return original(...args);
      };
      undo.push(() => {
        repo[method] = original;
      });
    }
  return () => {
    for (const step of undo) step();
  };
}
