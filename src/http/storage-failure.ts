// When the disk or the database fails under a request, the caller learns what happened and that nothing was saved
// (the write's transaction rolled back), instead of a bare 500: a full disk is a 507, a database held by another
// process or a failing disk a 503 with Retry-After. Reads keep working meanwhile, and writes work again as soon
// as the cause is gone, without a restart.
import { SQLiteError } from 'bun:sqlite';
import { FILE_STORE_UNAVAILABLE } from '../files/file-store.ts';
import { ApiError } from './api-error.ts';

export class StorageError extends ApiError {
  constructor(
    status: 503 | 507,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(status, 0, message);
  }
}

/** SQLite's primary result code: SQLITE_IOERR_WRITE is an SQLITE_IOERR. */
const primary = (code: string) => code.replace(/^(SQLITE_[A-Z]+?)_.*$/, '$1');

/**
 * PostgreSQL's SQLSTATEs for a server going away or not taking connections yet: class 08 (connection exception)
 * and 57P01-57P03 (admin/crash shutdown, cannot connect now).
 */
const POSTGRES_AWAY = /^(08...|57P0[123])$/;

/** The StorageError a failure of the disk or the database stands for, or null when it is something else. */
export function storageFailure(error: unknown): StorageError | null {
  const errno = (error as { errno?: unknown } | null)?.errno;
  if (typeof errno === 'string' && POSTGRES_AWAY.test(errno)) return storageFailure({ code: 'ERR_POSTGRES_CONNECTION_CLOSED' });
  // A write that lost its race on a hot row (serialization failure, deadlock) every time the unit of work reran it:
  // nothing was saved, and trying again shortly succeeds.
  if (errno === '40001' || errno === '40P01') {
    return new StorageError(503, 'The database is busy (too many writes to the same rows at once), so nothing was saved. Try again shortly.', {
      'Retry-After': '1',
    });
  }
  const code = error instanceof SQLiteError ? primary(error.code ?? '') : (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'SQLITE_FULL':
    case 'ENOSPC':
    case 'EDQUOT':
      return new StorageError(507, 'The server is out of disk space, so nothing was saved. Try again once its operator has freed some space.');
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return new StorageError(503, 'The database is busy (held by another process), so nothing was saved. Try again shortly.', { 'Retry-After': '5' });
    case 'SQLITE_IOERR':
    case 'SQLITE_READONLY':
    case 'SQLITE_CANTOPEN':
    case 'EIO':
    case 'EROFS':
      return new StorageError(503, 'The server cannot write to its disk right now, so nothing was saved. Try again later.', { 'Retry-After': '30' });
    case 'ERR_POSTGRES_CONNECTION_CLOSED':
    case 'ERR_POSTGRES_CONNECTION_REFUSED':
    case 'ERR_POSTGRES_CONNECTION_TIMEOUT':
    case 'ERR_POSTGRES_IDLE_TIMEOUT':
    case 'ERR_POSTGRES_LIFETIME_TIMEOUT':
    case 'ECONNREFUSED':
    case 'ECONNRESET':
      return new StorageError(503, 'The server cannot reach its database right now. Try again shortly.', { 'Retry-After': '5' });
    case FILE_STORE_UNAVAILABLE:
      return new StorageError(503, 'The server cannot reach its file storage right now, so nothing was saved or read. Try again later.', {
        'Retry-After': '30',
      });
    default:
      return null;
  }
}
