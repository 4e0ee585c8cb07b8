// Baseline for acknowledged writes: Bun.serve committing one row per POST/PUT/DELETE into bun:sqlite in WAL
// mode with Harmony's default durability (synchronous = NORMAL), one autocommit INSERT, then a small JSON answer.
import { Database } from 'bun:sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'harmony-bench-bare-'));
// The bench stops this server with SIGTERM: its database (about 100 MiB after the write phases) goes with it.
process.on('SIGTERM', () => {
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
});
const db = new Database(join(dir, 'bare.db'));
db.exec('PRAGMA journal_mode = WAL');
db.exec('PRAGMA synchronous = NORMAL');
db.exec('CREATE TABLE messages (id INTEGER PRIMARY KEY, channel_id INTEGER NOT NULL, content TEXT NOT NULL, created_at INTEGER NOT NULL)');
const insert = db.prepare('INSERT INTO messages (channel_id, content, created_at) VALUES (?, ?, ?)');
const server = Bun.serve({
  port: 0,
  hostname: '127.0.0.1',
  async fetch(request) {
    const body = await request.text();
    const { lastInsertRowid } = insert.run(1, body, Date.now());
    return Response.json({ id: String(lastInsertRowid) });
  },
});
console.log(JSON.stringify({ url: `http://127.0.0.1:${server.port}` }));
