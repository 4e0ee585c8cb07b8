// The end-to-end test files the PostgreSQL pass (postgres-suite.ts) leaves out: each is about the SQLite file
// itself, so on PostgreSQL it would test nothing or something else. The SQLite pass (`bun run test`) runs them all.
// A test that merely reads rows uses `server.rows`, which works on both engines: it does not belong here.
export const SQLITE_ONLY: readonly { file: string; reason: string }[] = [
  {
    file: 'test/cli/backup.test.ts',
    reason: 'copies harmony.db out of the data folder and starts a server over the copy (PostgreSQL backups: test/store/postgres)',
  },
];
