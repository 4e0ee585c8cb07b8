// Avatar and guild-icon rows: which hash belongs to whom, and where its bytes are.

import type { Database } from 'bun:sqlite';
import type { StoredImage } from '../../domain/model/image.ts';
import type { ImagesRepo } from '../../domain/ports/index.ts';
import type { Immediate } from './immediate.ts';
import { type Int, num } from './rows.ts';

type ImageRow = { hash: string; file_key: string; content_type: string; size: Int; width: Int; height: Int };

export class ImagesStore implements Immediate<ImagesRepo> {
  constructor(private readonly db: Database) {}

  insert(kind: 'avatar' | 'icon', ownerId: string, image: StoredImage, at: number): void {
    this.db
      .query(
        `INSERT OR REPLACE INTO images (kind, owner_id, hash, file_key, content_type, size, width, height, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(kind, ownerId, image.hash, image.fileKey, image.contentType, image.size, image.width, image.height, at);
  }

  find(kind: 'avatar' | 'icon', ownerId: string, hash: string): StoredImage | null {
    const r = this.db
      .query<ImageRow, [string, string, string]>(
        'SELECT hash, file_key, content_type, size, width, height FROM images WHERE kind = ? AND owner_id = ? AND hash = ?',
      )
      .get(kind, ownerId, hash);
    return r ? { hash: r.hash, fileKey: r.file_key, contentType: r.content_type, size: num(r.size), width: num(r.width), height: num(r.height) } : null;
  }

  delete(kind: 'avatar' | 'icon', ownerId: string, hash: string): void {
    this.db.query('DELETE FROM images WHERE kind = ? AND owner_id = ? AND hash = ?').run(kind, ownerId, hash);
  }
}
