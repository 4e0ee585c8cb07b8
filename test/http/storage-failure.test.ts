// What PostgreSQL's failures become for a caller (the cluster suite sees them end to end: test/cluster/
// shared-state.test.ts stops PostgreSQL): a server away or refusing connections, and a write that lost its race on
// a hot row every time it was rerun, are 503s with Retry-After, never a bare 500; anything else is not a storage failure.
import { describe, expect, it } from 'bun:test';
import { storageFailure } from '../../src/http/storage-failure.ts';

describe('storageFailure on PostgreSQL', () => {
  it.each([
    ['ERR_POSTGRES_CONNECTION_REFUSED', undefined],
    ['ERR_POSTGRES_CONNECTION_CLOSED', undefined],
    ['ERR_POSTGRES_CONNECTION_TIMEOUT', undefined],
    ['ERR_POSTGRES_SERVER_ERROR', '57P01'],
    ['ERR_POSTGRES_SERVER_ERROR', '57P03'],
    ['ERR_POSTGRES_SERVER_ERROR', '08006'],
  ])('%s (%s): the database cannot be reached, 503 with Retry-After: 5', (code, errno) => {
    const failure = storageFailure({ code, errno });
    expect([failure?.status, failure?.message, failure?.headers]).toEqual([
      503,
      'The server cannot reach its database right now. Try again shortly.',
      { 'Retry-After': '5' },
    ]);
  });

  it.each(['40001', '40P01'])('SQLSTATE %s after every rerun: busy, 503 with Retry-After: 1', (errno) => {
    const failure = storageFailure({ code: 'ERR_POSTGRES_SERVER_ERROR', errno });
    expect([failure?.status, failure?.headers]).toEqual([503, { 'Retry-After': '1' }]);
    expect(failure?.message).toContain('nothing was saved');
  });

  it('a constraint violation or a syntax error is not a storage failure', () => {
    expect(storageFailure({ code: 'ERR_POSTGRES_SERVER_ERROR', errno: '23505' })).toBeNull();
    expect(storageFailure({ code: 'ERR_POSTGRES_SERVER_ERROR', errno: '42601' })).toBeNull();
  });
});
