// Avatar and guild-icon rows on PostgreSQL (the SQLite twin: src/store/images-store.ts).
import type { StoredImage } from '../../domain/model/image.ts';
import { type Db, num, sf } from './sql.ts';

type ImageRow = { hash: string; file_key: string; content_type: string; size: string; width: number; height: number };

export class ImagesStore {
  constructor(private readonly sql: Db) {}

  /** INSERT OR REPLACE, said the standard way: the row for (kind, owner, hash) becomes this one. */
  async insert(kind: 'avatar' | 'icon', ownerId: string, image: StoredImage, at: number): Promise<void> {
    await this.sql`
      INSERT INTO images (kind, owner_id, hash, file_key, content_type, size, width, height, created_at)
      VALUES (${kind}, ${ownerId}, ${image.hash}, ${image.fileKey}, ${image.contentType}, ${image.size}, ${image.width}, ${image.height}, ${at})
      ON CONFLICT (kind, owner_id, hash) DO UPDATE SET file_key = excluded.file_key, content_type = excluded.content_type, size = excluded.size,
        width = excluded.width, height = excluded.height, created_at = excluded.created_at`;
  }

  async find(kind: 'avatar' | 'icon', ownerId: string, hash: string): Promise<StoredImage | null> {
    const [r] = await this.sql<ImageRow[]>`
      SELECT hash, file_key, content_type, size, width, height FROM images WHERE kind = ${kind} AND owner_id = ${sf(ownerId)} AND hash = ${hash}`;
    return r ? { hash: r.hash, fileKey: r.file_key, contentType: r.content_type, size: num(r.size), width: num(r.width), height: num(r.height) } : null;
  }

  async delete(kind: 'avatar' | 'icon', ownerId: string, hash: string): Promise<void> {
    await this.sql`DELETE FROM images WHERE kind = ${kind} AND owner_id = ${sf(ownerId)} AND hash = ${hash}`;
  }
}
