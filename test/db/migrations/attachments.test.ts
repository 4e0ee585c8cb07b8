// Migration 0008 adds attachments and the queue of files to delete: a row removed by any path (its message deleted,
// or its channel or guild taking the message along) queues its file in the same transaction, and a rolled-back
// delete queues nothing.
import { describe, expect, it } from 'bun:test';
import { openDatabase } from '../../../src/db/database.ts';
import { migrate } from '../../../src/db/migrate.ts';
import { MIGRATIONS } from '../../../src/db/migrations/index.ts';
import { AttachmentsStore } from '../../../src/store/sqlite/attachments-store.ts';

function world() {
  const db = openDatabase(':memory:');
  expect(
    migrate(
      db,
      MIGRATIONS.filter((m) => m.id <= 8),
    ),
  ).toEqual(MIGRATIONS.filter((m) => m.id <= 8).map((m) => m.id));
  db.query("INSERT INTO users (id, username, username_key, created_at) VALUES (1, 'a', 'a', 1)").run();
  db.query("INSERT INTO guilds (id, name, owner_id, created_at) VALUES (2, 'g', 1, 1)").run();
  db.query("INSERT INTO channels (id, guild_id, type, name, position, created_at) VALUES (3, 2, 0, 'c', 0, 1)").run();
  for (const id of [10, 11]) db.query(`INSERT INTO messages (id, channel_id, author_id, content, created_at) VALUES (${id}, 3, 1, 'm', 5)`).run();
  const store = new AttachmentsStore(db);
  for (const [id, message] of [
    [20, 10],
    [21, 11],
  ])
    store.insert({
      id: String(id),
      messageId: String(message),
      channelId: '3',
      position: 0,
      filename: 'f.txt',
      description: null,
      contentType: 'text/plain; charset=utf-8',
      size: 1,
      width: null,
      height: null,
      sha256: 'x',
      fileKey: `attachments/3/${id}`,
    });
  return { db, store };
}

describe('migration 0008 attachments', () => {
  it('queues the file of an attachment whose message is deleted, and of those a deleted guild takes along', () => {
    const { db, store } = world();
    db.query('DELETE FROM messages WHERE id = 10').run();
    expect(store.pendingFileDeletions()).toEqual(['attachments/3/20']);
    store.fileDeleted('attachments/3/20');
    db.query('DELETE FROM guilds WHERE id = 2').run();
    expect(store.pendingFileDeletions()).toEqual(['attachments/3/21']);
    expect(store.forMessages(['10', '11'])).toEqual(new Map());
  });

  it('queues nothing for a delete that rolls back', () => {
    const { db, store } = world();
    expect(() =>
      db.transaction(() => {
        db.query('DELETE FROM messages WHERE id = 10').run();
        throw new Error('refused');
      })(),
    ).toThrow('refused');
    expect(store.pendingFileDeletions()).toEqual([]);
    expect(store.forMessage('10').map((a) => a.id)).toEqual(['20']);
  });
});
