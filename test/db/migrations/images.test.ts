// Migration 0009: avatars and guild icons become uploaded images named by hash. The http(s) URLs the columns held
// before cannot be turned into uploads, so they are cleared (the default avatar shows instead), and nothing else is.
import { describe, expect, it } from 'bun:test';
import { openDatabase } from '../../../src/db/database.ts';
import { migrate } from '../../../src/db/migrate.ts';
import { MIGRATIONS } from '../../../src/db/migrations/index.ts';
import { GuildsStore } from '../../../src/store/sqlite/guilds-store.ts';
import { UsersStore } from '../../../src/store/sqlite/users-store.ts';

describe('migration 0009 images', () => {
  it('clears URL avatars and icons, keeps names, and adds the image and emoji tables', () => {
    const db = openDatabase(':memory:');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.id < 9),
    );
    db.query(
      "INSERT INTO users (id, username, username_key, global_name, avatar, created_at) VALUES (1300000000000000001, 'a', 'a', 'A', 'https://example.com/a.png', 1)",
    ).run();
    db.query(
      "INSERT INTO guilds (id, name, owner_id, icon, created_at) VALUES (1300000000000000002, 'g', 1300000000000000001, 'https://example.com/i.png', 1)",
    ).run();
    expect(
      migrate(
        db,
        MIGRATIONS.filter((m) => m.id <= 9),
      ),
    ).toEqual([9]);
    const user = new UsersStore(db).byId('1300000000000000001');
    expect({ avatar: user?.avatar, globalName: user?.globalName }).toEqual({ avatar: null, globalName: 'A' });
    const guild = new GuildsStore(db).guild('1300000000000000002');
    expect({ icon: guild?.icon, name: guild?.name }).toEqual({ icon: null, name: 'g' });
    const tables = db
      .query<{ name: string }, []>("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('images', 'emojis', 'emoji_roles') ORDER BY name")
      .all();
    expect(tables.map((t) => t.name)).toEqual(['emoji_roles', 'emojis', 'images']);
  });
});
