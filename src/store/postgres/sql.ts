// What every PostgreSQL store shares. A store is built over `Db`: the pool, or the handle of a transaction
// (`sql.begin(async (tx) => new MessagesPgStore(tx)…)`), so a unit of work runs the same code inside one.
import type { SQL } from 'bun';

export type Db = SQL;

/** The largest BIGINT: no stored snowflake is larger (that id would be minted in 2084). */
const MAX_ID = 9223372036854775807n;

/**
 * A snowflake from outside (a lookup key or a paging bound) as PostgreSQL can compare it: SQLite compares a
 * u64 like 18446744073709551615 with its INTEGER ids, BIGINT cannot hold it, so anything above the largest BIGINT
 * is clamped to it. Every comparison keeps its answer: no row has an id at or above the bound.
 */
export function sf(value: string): string {
  return /^\d{19,}$/.test(value) && BigInt(value) > MAX_ID ? MAX_ID.toString() : value;
}

export const num = (value: string | number | bigint): number => Number(value);
export const numOrNull = (value: string | number | bigint | null): number | null => (value === null ? null : Number(value));
/** BIGINT columns read as strings already; this names the intent (and turns a number into one). */
export const idOrNull = (value: string | number | null): string | null => (value === null ? null : String(value));

/** BYTEA comes back as a Buffer; the SQLite stores hand out plain Uint8Arrays. */
export const bytes = (value: Uint8Array): Uint8Array => new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));

/** Snowflakes as a BIGINT[] parameter (`= ANY(…)`), the engine-neutral form of SQLite's json_each. */
export const idArray = (sql: Db, ids: readonly string[]) => sql.array(ids.map(sf), 'INT8');

/**
 * Runs `body` atomically: in a transaction of its own over the pool, or in a savepoint when the store was built over
 * a transaction handle (a unit of work already open), so either way it all happens or none of it does.
 */
export async function atomically<T>(sql: Db, body: (tx: Db) => Promise<T>): Promise<T> {
  const inTransaction = sql as Db & { savepoint?: (fn: (tx: Db) => Promise<T>) => Promise<T> };
  if (typeof inTransaction.savepoint === 'function') return await inTransaction.savepoint((tx) => body(tx));
  return (await sql.begin((tx) => body(tx))) as T;
}
