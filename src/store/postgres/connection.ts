// The PostgreSQL connection pool, through Bun's SQL client. BIGINT columns come back as decimal strings (Bun's
// default), which is exactly how the domain carries snowflakes: they never pass through a JS number.
import { SQL } from 'bun';

export type PostgresOptions = { max?: number; idleTimeout?: number; connectionTimeout?: number };

/** Whether a URL names PostgreSQL (what `--database-url` accepts). */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

export function openPostgres(url: string, options: PostgresOptions = {}): SQL {
  if (!isPostgresUrl(url)) throw new Error('the database URL must start with postgres:// or postgresql://');
  return new SQL({ url, max: options.max ?? 10, idleTimeout: options.idleTimeout ?? 30, connectionTimeout: options.connectionTimeout ?? 10 });
}
