// What the SQLite stores implement: a port's method set answering at once instead of through a Promise. Only the
// SQLite unit of work (src/db/unit-of-work.ts) sees these; it hands the domain their async form.
import type { Repositories } from '../../domain/ports/index.ts';

export type Immediate<Port> = {
  [K in keyof Port]: Port[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : Port[K];
};

/** An engine whose calls answer at once: every port in its immediate form. */
export type ImmediateRepositories = { [K in keyof Repositories]: Immediate<Repositories[K]> };
