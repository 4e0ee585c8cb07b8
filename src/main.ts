// The `harmony` command: serve (default), migrate, backup, restore, admin. Bad input prints one line on
// stderr and exits 2; a database file Harmony will not touch exits 3; the server stops gracefully on
// SIGINT/SIGTERM.
import { Database } from 'bun:sqlite';
import { cpSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SQL } from 'bun';
import { createApp } from './app.ts';
import { parseArgs, takeOptions, UsageError } from './cli/args.ts';
import { backup, backupFilesDir, backupWithBucket, bucketAround, copyLocalFiles, uploadFiles } from './cli/backup.ts';
import { helpText } from './cli/help.ts';
import { restore } from './cli/restore.ts';
import { startCluster } from './cluster/cluster.ts';
import { type Config, ConfigError, loadConfig, nodeId } from './config.ts';
import { createCore } from './core.ts';
import { openDatabase } from './db/database.ts';
import { checkDatabaseFile, DatabaseFileError } from './db/database-file.ts';
import { migrate } from './db/migrate.ts';
import { systemClock } from './domain/clock.ts';
import { configuredFileStore } from './files/configured-file-store.ts';
import { S3FileStore } from './files/s3-file-store.ts';
import { attachGateways } from './gateways.ts';
import { ApiError } from './http/api-error.ts';
import { BackupError, backupPostgresDatabase, restorePostgresDatabase } from './store/postgres/backup.ts';
import { openPostgres } from './store/postgres/connection.ts';
import { migratePostgres, migratePostgresDatabase } from './store/postgres/migrate.ts';
import { VERSION } from './version.ts';

const PRIVILEGED = { '--presence': 1 << 8, '--members': 1 << 1, '--message-content': 1 << 15 } as const;

export const databasePath = (config: Config) => join(config.dataDir, 'harmony.db');

/** The data folder's database, after checking that it is one Harmony may write to (see database-file.ts). */
function openDataDatabase(config: Config) {
  checkDatabaseFile(databasePath(config));
  return openDatabase(databasePath(config), { sync: config.sync });
}

/** What serve and admin run on: the PostgreSQL database of --database-url (migrated first), or the data folder's SQLite. */
async function openStorage(config: Config): Promise<Database | SQL> {
  if (!config.databaseUrl) return openDataDatabase(config);
  const sql = openPostgres(config.databaseUrl);
  try {
    await migratePostgres(sql);
  } catch (error) {
    await sql.close();
    throw new ConfigError(`cannot use the PostgreSQL database at ${redactedUrl(config.databaseUrl)}: ${error instanceof Error ? error.message : error}`);
  }
  return sql;
}

/** Closes what openStorage opened. */
async function closeStorage(db: Database | SQL): Promise<void> {
  if (db instanceof Database) db.close();
  else await db.close();
}

async function main(argv: string[]): Promise<number> {
  const { words, options, switches } = parseArgs(argv, ['--help', '-h', '--version', '--admin', '--force']);
  if (switches.has('--help') || words[0] === 'help') return print(helpText());
  if (switches.has('--version')) return print(VERSION);
  const [command = 'serve', ...rest] = words;
  if (switches.has('--force') && command !== 'restore') throw new UsageError('--force belongs to harmony restore only');

  switch (command) {
    case 'serve': {
      noExtra(rest);
      return serve(loadConfig(options, process.env));
    }
    case 'migrate': {
      noExtra(rest);
      const config = loadConfig(options, process.env);
      if (config.databaseUrl) {
        const applied = await migratePostgresDatabase(config.databaseUrl);
        return print(applied.length ? `applied PostgreSQL migrations ${applied.join(', ')}` : 'PostgreSQL database is up to date');
      }
      const db = openDataDatabase(config);
      const applied = migrate(db);
      db.close();
      return print(applied.length ? `applied migrations ${applied.join(', ')}` : 'database is up to date');
    }
    case 'backup': {
      const [target, ...extra] = rest;
      if (!target) throw new UsageError('backup needs a target file: harmony backup <file>');
      noExtra(extra);
      const config = loadConfig(options, process.env);
      if (config.databaseUrl) return backupPostgres(config, config.databaseUrl, target);
      if (!existsSync(databasePath(config))) throw new UsageError(`no database at ${databasePath(config)}`);
      if (existsSync(target)) throw new UsageError(`${target} already exists; choose a new file`);
      if (existsSync(backupFilesDir(target))) throw new UsageError(`${backupFilesDir(target)} already exists; choose a new file`);
      const db = openDataDatabase(config);
      try {
        const store = configuredFileStore(config);
        if (store instanceof S3FileStore) {
          const { files } = await backupWithBucket(db, store, target);
          return print(`backup written to ${target} and ${backupFilesDir(target)}/ (${files} objects downloaded from bucket ${config.s3Bucket})`);
        }
        const { files } = backup(db, join(config.dataDir, 'files'), target);
        return print(files ? `backup written to ${target} and ${backupFilesDir(target)}/` : `backup written to ${target} (no stored files)`);
      } finally {
        db.close();
      }
    }
    case 'restore': {
      const [source, ...extra] = rest;
      if (!source) throw new UsageError('restore needs a backup file: harmony restore <file> [--force]');
      noExtra(extra);
      const config = loadConfig(options, process.env);
      if (config.databaseUrl) return restorePostgres(config, config.databaseUrl, source, switches.has('--force'));
      const store = configuredFileStore(config);
      const intoBucket = store instanceof S3FileStore;
      const { files, movedAside } = restore({
        backupFile: source,
        dataDir: config.dataDir,
        databaseFile: databasePath(config),
        force: switches.has('--force'),
        copyFiles: !intoBucket,
      });
      if (movedAside) print(`moved the previous database and files to ${movedAside}/`);
      print(`restored ${source}${files ? ` and ${backupFilesDir(source)}/` : intoBucket ? '' : ' (no stored files)'} into ${resolve(config.dataDir)}`);
      if (intoBucket) print(`uploaded ${await uploadFiles(backupFilesDir(source), store)} files from ${backupFilesDir(source)}/ to bucket ${config.s3Bucket}`);
      const db = openDataDatabase(config);
      try {
        const applied = migrate(db);
        return print(applied.length ? `applied migrations ${applied.join(', ')}` : 'database is up to date');
      } finally {
        db.close();
      }
    }
    case 'admin':
      return admin(rest, options, switches);
    default:
      throw new UsageError(`unknown command "${command}" (see harmony --help)`);
  }
}

/** `harmony backup <file> --database-url …`: one snapshot of the PostgreSQL database, with the stored files beside it. */
async function backupPostgres(config: Config, url: string, target: string): Promise<number> {
  if (existsSync(target)) throw new UsageError(`${target} already exists; choose a new file`);
  if (existsSync(backupFilesDir(target))) throw new UsageError(`${backupFilesDir(target)} already exists; choose a new file`);
  const made: { header?: Awaited<ReturnType<typeof backupPostgresDatabase>> } = {};
  const snapshot = async () => {
    made.header = await backupPostgresDatabase(url, target);
  };
  const store = configuredFileStore(config);
  let files = '';
  if (store instanceof S3FileStore) {
    const { files: count } = await bucketAround(store, target, snapshot);
    files = ` and ${backupFilesDir(target)}/ (${count} objects downloaded from bucket ${config.s3Bucket})`;
  } else {
    const filesDir = join(config.dataDir, 'files');
    const before = copyLocalFiles(filesDir, target);
    await snapshot();
    if (copyLocalFiles(filesDir, target) || before) files = ` and ${backupFilesDir(target)}/`;
  }
  const header = made.header;
  if (!header) throw new Error('the snapshot did not run');
  const rows = header.tables.reduce((sum, table) => sum + table.rows, 0);
  return print(
    `PostgreSQL backup written to ${target}${files} (${header.tables.length} tables, ${rows} rows, migrations up to ${Math.max(...header.migrations)})`,
  );
}

/** `harmony restore <file> --database-url …`: into an empty PostgreSQL database; stored files to the bucket or the data folder. */
async function restorePostgres(config: Config, url: string, source: string, force: boolean): Promise<number> {
  if (force) throw new UsageError('--force does not apply to PostgreSQL: restore into a new, empty database (createdb)');
  if (!existsSync(source)) throw new UsageError(`no backup at ${source}`);
  const store = configuredFileStore(config);
  const backupFiles = backupFilesDir(source);
  const filesDir = join(config.dataDir, 'files');
  const localFiles = !(store instanceof S3FileStore) && existsSync(backupFiles);
  if (localFiles && existsSync(filesDir)) throw new UsageError(`${filesDir} already exists; restore the files into an empty data folder`);
  const { header, migrated } = await restorePostgresDatabase(url, source);
  const rows = header.tables.reduce((sum, table) => sum + table.rows, 0);
  print(`restored ${source} (${header.tables.length} tables, ${rows} rows) into ${redactedUrl(url)}`);
  if (store instanceof S3FileStore) print(`uploaded ${await uploadFiles(backupFiles, store)} files from ${backupFiles}/ to bucket ${config.s3Bucket}`);
  else if (localFiles) {
    cpSync(backupFiles, filesDir, { recursive: true });
    print(`copied ${backupFiles}/ to ${resolve(filesDir)}`);
  }
  return print(migrated.length ? `applied PostgreSQL migrations ${migrated.join(', ')}` : 'PostgreSQL database is up to date');
}

async function admin(words: string[], options: Record<string, string>, switches: Set<string>): Promise<number> {
  const [sub, ...extra] = words;
  noExtra(extra);
  const own =
    sub === 'create-user'
      ? ['--username', '--password']
      : sub === 'create-bot'
        ? ['--name', '--description']
        : sub === 'bot-intents'
          ? ['--name', ...Object.keys(PRIVILEGED)]
          : null;
  if (!own) throw new UsageError(`unknown admin command "${sub ?? ''}" (create-user, create-bot, bot-intents)`);
  const mine = takeOptions(options, own);
  const config = loadConfig(options, process.env);
  const db = await openStorage(config);
  const core = await createCore({ db, config, clock: systemClock });
  try {
    if (sub === 'create-user') {
      const username = required(mine, '--username');
      const { user } = await core.services.users.createUser({ username, password: required(mine, '--password'), admin: switches.has('--admin') });
      return print(`created user ${user.username} (${user.id})${user.admin ? ' as instance admin' : ''}`);
    }
    const bot = sub === 'create-bot' ? null : await core.uow.repos.users.byUsername(required(mine, '--name'));
    if (sub === 'create-bot') {
      const created = await core.services.users.createBot({ username: required(mine, '--name'), description: mine['--description'] ?? null, createdBy: null });
      print(`created bot ${created.bot.username} (${created.bot.id}). Its token, shown only now:`);
      return print(created.token);
    }
    if (!bot?.bot) throw new UsageError(`no bot named ${mine['--name']}`);
    let intents = bot.botIntents;
    for (const [flag, bit] of Object.entries(PRIVILEGED)) {
      const value = mine[flag];
      if (value === undefined) continue;
      if (value !== 'on' && value !== 'off') throw new UsageError(`${flag} must be on or off`);
      intents = value === 'on' ? intents | bit : intents & ~bit;
    }
    await core.services.users.setBotIntents(bot.id, intents);
    return print(
      `privileged intents of ${bot.username}: presence ${on(intents, 1 << 8)}, members ${on(intents, 1 << 1)}, message content ${on(intents, 1 << 15)}`,
    );
  } finally {
    // Waits for queued writes; on PostgreSQL it closes the pool.
    await core.uow.close();
    if (db instanceof Database) db.close();
  }
}

async function serve(config: Config): Promise<number> {
  const db = await openStorage(config);
  // With --redis-url this node joins the others sharing that Redis (events, sessions, limits, worker ids, locks).
  const cluster = config.redisUrl ? await joinCluster({ ...config, redisUrl: config.redisUrl }, db) : undefined;
  const harmony = await createApp({ db, config, clock: systemClock, ...(cluster ? { cluster } : {}) });
  attachGateways(harmony);
  const { port } = harmony.listen();
  const files = config.s3Bucket ? `, files in S3 bucket ${config.s3Bucket}${config.s3Prefix ? ` under ${config.s3Prefix}` : ''}` : '';
  console.log(`Harmony ${VERSION} listening on http://${config.host}:${port} (data in ${resolve(config.dataDir)}${files})`);
  // A bucket that cannot be reached is said at once (not at the first upload); /health keeps saying it until it can.
  harmony.core.files.probe?.().catch((error: unknown) => {
    console.error(
      `harmony: the S3 bucket ${config.s3Bucket} does not answer (${error instanceof Error ? error.message : String(error)}); uploads and file reads fail until it does`,
    );
  });
  return new Promise((done) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      console.log(`${signal}: shutting down`);
      await harmony.stop();
      done(0);
    };
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
  });
}

async function joinCluster(config: Config & { redisUrl: string }, db: Database | SQL) {
  try {
    return await startCluster(config, db, systemClock, nodeId(config));
  } catch (error) {
    await closeStorage(db);
    throw new ConfigError(`cannot reach Redis at ${redactedUrl(config.redisUrl)}: ${error instanceof Error ? error.message : error}`);
  }
}

/** The URL without its password, for messages. */
function redactedUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

const on = (bits: number, bit: number) => ((bits & bit) !== 0 ? 'on' : 'off');

function required(options: Record<string, string>, name: string): string {
  const value = options[name];
  if (value === undefined) throw new UsageError(`${name} is required`);
  return value;
}

function noExtra(words: string[]): void {
  if (words.length > 0) throw new UsageError(`unexpected argument "${words[0]}" (see harmony --help)`);
}

function print(text: string): number {
  console.log(text);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof DatabaseFileError) {
      console.error(`harmony: ${error.message}`);
      process.exit(3);
    }
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof BackupError) {
      console.error(`harmony: ${error.message}`);
      process.exit(2);
    }
    if (error instanceof ApiError) {
      const detail = error.errors
        ? Object.values(error.errors).flatMap((e) => ('_errors' in e ? (e._errors as { message: string }[]).map((x) => x.message) : []))
        : [];
      console.error(`harmony: ${[error.message, ...detail].join(': ')}`);
      process.exit(2);
    }
    console.error('harmony: unexpected error:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
