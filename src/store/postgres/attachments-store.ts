// Message attachments and the queue of stored files to delete, on PostgreSQL (the SQLite twin:
// src/store/attachments-store.ts). The queue is filled by the attachments_file_deletion trigger (migration 0008).
import type { Attachment } from '../../domain/model/attachment.ts';
import { type Db, idArray, num, numOrNull, sf } from './sql.ts';

type AttachmentRow = {
  id: string;
  message_id: string;
  channel_id: string;
  position: number;
  filename: string;
  description: string | null;
  content_type: string;
  size: string;
  width: number | null;
  height: number | null;
  sha256: string;
  file_key: string;
};

const toAttachment = (r: AttachmentRow): Attachment => ({
  id: r.id,
  messageId: r.message_id,
  channelId: r.channel_id,
  position: num(r.position),
  filename: r.filename,
  description: r.description,
  contentType: r.content_type,
  size: num(r.size),
  width: numOrNull(r.width),
  height: numOrNull(r.height),
  sha256: r.sha256,
  fileKey: r.file_key,
});

export class AttachmentsStore {
  constructor(private readonly sql: Db) {}

  async insert(a: Attachment): Promise<void> {
    await this.sql`
      INSERT INTO attachments (id, message_id, channel_id, position, filename, description, content_type, size, width, height, sha256, file_key)
      VALUES (${a.id}, ${a.messageId}, ${a.channelId}, ${a.position}, ${a.filename}, ${a.description}, ${a.contentType}, ${a.size}, ${a.width},
        ${a.height}, ${a.sha256}, ${a.fileKey})`;
  }

  /** Makes the message's attachments exactly `list`: rows not in it are deleted (their files queued), new ones inserted. */
  async replace(messageId: string, list: readonly Attachment[]): Promise<void> {
    const keep = new Set(list.map((a) => a.id));
    for (const current of await this.forMessage(messageId)) if (!keep.has(current.id)) await this.sql`DELETE FROM attachments WHERE id = ${current.id}`;
    for (const a of list) {
      const updated = await this.sql`UPDATE attachments SET position = ${a.position} WHERE id = ${sf(a.id)} AND message_id = ${sf(messageId)}`;
      if (updated.count === 0) await this.insert(a);
    }
  }

  async byId(attachmentId: string): Promise<Attachment | null> {
    const [row] = await this.sql<AttachmentRow[]>`SELECT * FROM attachments WHERE id = ${sf(attachmentId)}`;
    return row ? toAttachment(row) : null;
  }

  async forMessage(messageId: string): Promise<Attachment[]> {
    return (await this.sql<AttachmentRow[]>`SELECT * FROM attachments WHERE message_id = ${sf(messageId)} ORDER BY position`).map(toAttachment);
  }

  /** The attachments of many messages in one query, by message id. */
  async forMessages(messageIds: readonly string[]): Promise<Map<string, Attachment[]>> {
    const out = new Map<string, Attachment[]>();
    if (messageIds.length === 0) return out;
    const rows = await this.sql<AttachmentRow[]>`
      SELECT * FROM attachments WHERE message_id = ANY(${idArray(this.sql, messageIds)}) ORDER BY message_id, position`;
    for (const row of rows) {
      const a = toAttachment(row);
      const list = out.get(a.messageId) ?? [];
      list.push(a);
      out.set(a.messageId, list);
    }
    return out;
  }

  /** File keys whose rows are gone (queued by the attachments_file_deletion trigger). */
  async pendingFileDeletions(limit = 500): Promise<string[]> {
    return (await this.sql<{ file_key: string }[]>`SELECT file_key FROM file_deletions ORDER BY file_key LIMIT ${limit}`).map((r) => r.file_key);
  }

  async fileDeleted(fileKey: string): Promise<void> {
    await this.sql`DELETE FROM file_deletions WHERE file_key = ${fileKey}`;
  }
}
