// The storage seam holds: the domain never imports a store, the stores import only the domain's model and ports
// (and the few model-like modules named below), and no import cycle runs through src/store.
import { describe, expect, it } from 'bun:test';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { Glob } from 'bun';

const root = resolve(import.meta.dir, '..');
const files = [...new Glob('src/**/*.{ts,tsx}').scanSync(root)].sort();

/** Every relative import and re-export of each source file (type-only ones too: they are what made the cycle). */
const imports = new Map<string, string[]>(
  files.map((file) => {
    const text = readFileSync(join(root, file), 'utf8');
    const targets = [...text.matchAll(/^(?:import|export)[^'";]*?from\s+'(\.[^']+)'/gm)].map((m) => relative(root, resolve(root, dirname(file), m[1] ?? '')));
    return [file, targets];
  }),
);

/** What a store may import from outside src/store: entity types, ports, and model modules that import no store. */
const STORE_MAY_IMPORT = [
  /^src\/domain\/model\//,
  /^src\/domain\/ports\//,
  /^src\/domain\/commands\/command-model\.ts$/,
  /^src\/domain\/interactions\/interaction-model\.ts$/,
  /^src\/domain\/presence\/presence-service\.ts$/,
  /^src\/gateway\/resume-store\.ts$/,
  // The event outbox's port, and the events it holds in their JSON form.
  /^src\/events\/(outbox|domain-events|event-bus)\.ts$/,
];

describe('the storage seam', () => {
  it('keeps src/domain free of imports from src/store', () => {
    const offenders = files
      .filter((f) => f.startsWith('src/domain/'))
      .flatMap((f) => (imports.get(f) ?? []).filter((t) => t.startsWith('src/store/')).map((t) => `${f} -> ${t}`));
    expect(offenders).toEqual([]);
  });

  it('lets src/store import only the model, the ports and each other', () => {
    const offenders = files
      .filter((f) => f.startsWith('src/store/'))
      .flatMap((f) => (imports.get(f) ?? []).filter((t) => !t.startsWith('src/store/') && !STORE_MAY_IMPORT.some((p) => p.test(t))).map((t) => `${f} -> ${t}`));
    expect(offenders).toEqual([]);
  });

  it('lets src/domain/model import nothing but other model files', () => {
    const offenders = files
      .filter((f) => f.startsWith('src/domain/model/'))
      .flatMap((f) => (imports.get(f) ?? []).filter((t) => !t.startsWith('src/domain/model/')).map((t) => `${f} -> ${t}`));
    expect(offenders).toEqual([]);
  });

  it('has no import cycle through src/store', () => {
    // Everything reachable from a store: a cycle through it would lead back to src/store.
    const cycles: string[] = [];
    for (const start of files.filter((f) => f.startsWith('src/store/'))) {
      const seen = new Set<string>();
      const stack = (imports.get(start) ?? []).filter((t) => !t.startsWith('src/store/'));
      while (stack.length > 0) {
        const next = stack.pop() as string;
        if (seen.has(next)) continue;
        seen.add(next);
        if (next.startsWith('src/store/')) {
          cycles.push(`${start} -> ... -> ${next}`);
          continue;
        }
        stack.push(...(imports.get(next) ?? []));
      }
    }
    expect(cycles).toEqual([]);
  });
});
