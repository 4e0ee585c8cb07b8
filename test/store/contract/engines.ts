// The two storage engines the repository contract runs against: SQLite (the classes in src/store/*.ts, on an
// in-memory database) and PostgreSQL (src/store/postgres/*, on a throwaway cluster from test/support/postgres-server.ts,
// one database per test file, emptied before each test). The same test code serves both: `await` works on the
// SQLite stores' plain values today and on their promises once the ports are async.
import { afterAll, beforeAll, beforeEach, describe } from 'bun:test';
import type { SQL } from 'bun';
import { openDatabase } from '../../../src/db/database.ts';
import { migrate } from '../../../src/db/migrate.ts';
import { openPostgres } from '../../../src/store/postgres/connection.ts';
import * as pg from '../../../src/store/postgres/index.ts';
import { migratePostgres } from '../../../src/store/postgres/migrate.ts';
import { ApplicationCommandsStore } from '../../../src/store/sqlite/application-commands-store.ts';
import { AttachmentsStore } from '../../../src/store/sqlite/attachments-store.ts';
import { AuditLogStore } from '../../../src/store/sqlite/audit-log-store.ts';
import { ChannelsStore } from '../../../src/store/sqlite/channels-store.ts';
import { EmojisStore } from '../../../src/store/sqlite/emojis-store.ts';
import { GuildsStore } from '../../../src/store/sqlite/guilds-store.ts';
import { ImagesStore } from '../../../src/store/sqlite/images-store.ts';
import { InteractionsStore } from '../../../src/store/sqlite/interactions-store.ts';
import { InvitesStore } from '../../../src/store/sqlite/invites-store.ts';
import { MessagesStore } from '../../../src/store/sqlite/messages-store.ts';
import { PresenceStateStore } from '../../../src/store/sqlite/presence-state-store.ts';
import { PresenceStore } from '../../../src/store/sqlite/presence-store.ts';
import { ReadStatesStore } from '../../../src/store/sqlite/read-states-store.ts';
import { ResumeSnapshotStore } from '../../../src/store/sqlite/resume-snapshot-store.ts';
import { SessionsStore } from '../../../src/store/sqlite/sessions-store.ts';
import { SettingsStore } from '../../../src/store/sqlite/settings-store.ts';
import { ThreadsStore } from '../../../src/store/sqlite/threads-store.ts';
import { TokenRevealsStore } from '../../../src/store/sqlite/token-reveals-store.ts';
import { UsersStore } from '../../../src/store/sqlite/users-store.ts';
import { WebhooksStore } from '../../../src/store/sqlite/webhooks-store.ts';
import { freshDatabase } from '../../support/postgres-server.ts';

/** A store's public methods, answering now or later: what both engines must offer (checked by the compiler). */
type Contract<T> = { [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> | Awaited<R> : T[K] };

export type Stores = {
  users: Contract<UsersStore>;
  sessions: Contract<SessionsStore>;
  settings: Contract<SettingsStore>;
  guilds: Contract<GuildsStore>;
  channels: Contract<ChannelsStore>;
  invites: Contract<InvitesStore>;
  messages: Contract<MessagesStore>;
  applicationCommands: Contract<ApplicationCommandsStore>;
  webhooks: Contract<WebhooksStore>;
  threads: Contract<ThreadsStore>;
  attachments: Contract<AttachmentsStore>;
  images: Contract<ImagesStore>;
  emojis: Contract<EmojisStore>;
  auditLog: Contract<AuditLogStore>;
  interactions: Contract<InteractionsStore>;
  readStates: Contract<ReadStatesStore>;
  presence: Contract<PresenceStore>;
  presenceState: Contract<PresenceStateStore>;
  tokenReveals: Contract<TokenRevealsStore>;
  resumeSnapshot: Contract<ResumeSnapshotStore>;
};

export type Engine = {
  name: 'sqlite' | 'postgres';
  /** Empty tables (migrations applied) and fresh stores over them. */
  reset(): Promise<Stores>;
  close(): Promise<void>;
};

function sqliteEngine(): Engine {
  let db = openDatabase(':memory:');
  return {
    name: 'sqlite',
    async reset() {
      db.close();
      db = openDatabase(':memory:');
      migrate(db);
      return {
        users: new UsersStore(db),
        sessions: new SessionsStore(db),
        settings: new SettingsStore(db),
        guilds: new GuildsStore(db),
        channels: new ChannelsStore(db),
        invites: new InvitesStore(db),
        messages: new MessagesStore(db),
        applicationCommands: new ApplicationCommandsStore(db),
        webhooks: new WebhooksStore(db),
        threads: new ThreadsStore(db),
        attachments: new AttachmentsStore(db),
        images: new ImagesStore(db),
        emojis: new EmojisStore(db),
        auditLog: new AuditLogStore(db),
        interactions: new InteractionsStore(db),
        readStates: new ReadStatesStore(db),
        presence: new PresenceStore(db),
        presenceState: new PresenceStateStore(db),
        tokenReveals: new TokenRevealsStore(db),
        resumeSnapshot: new ResumeSnapshotStore(db),
      };
    },
    async close() {
      db.close();
    },
  };
}

/** Every PostgreSQL store over one client; assigning it to Stores is the compile-time half of the contract. */
export function postgresStores(sql: SQL): Stores {
  return pg.postgresRepositories(sql);
}

function postgresEngine(): Engine & { sql(): SQL } {
  let sql: SQL | null = null;
  let tables = '';
  return {
    name: 'postgres',
    sql() {
      if (!sql) throw new Error('postgres engine not reset yet');
      return sql;
    },
    async reset() {
      if (!sql) {
        sql = openPostgres(await freshDatabase('harmony_contract'), { max: 4 });
        await migratePostgres(sql);
        const rows = await sql<{ tablename: string }[]>`
          SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations' ORDER BY tablename`;
        tables = rows.map((r) => `"${r.tablename}"`).join(', ');
      } else {
        await sql.unsafe(`TRUNCATE ${tables} RESTART IDENTITY CASCADE`);
      }
      return postgresStores(sql);
    },
    async close() {
      await sql?.close();
      sql = null;
    },
  };
}

/**
 * Declares `body` once per engine: `describe('<engine>')` with fresh stores before each test. `body` gets a getter
 * (the stores change per test) and the engine's name, for the few places where engines differ by design.
 */
export function forEachEngine(title: string, body: (stores: () => Stores, engine: Engine['name']) => void): void {
  for (const make of [sqliteEngine, postgresEngine]) {
    const engine = make();
    describe(`${title} [${engine.name}]`, () => {
      let current: Stores | null = null;
      beforeAll(async () => {
        current = await engine.reset();
      });
      beforeEach(async () => {
        current = await engine.reset();
      });
      afterAll(async () => {
        await engine.close();
      });
      body(() => {
        if (!current) throw new Error('stores not ready');
        return current;
      }, engine.name);
    });
  }
}
