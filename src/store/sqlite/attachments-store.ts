// SQL for message attachments and the queue of stored files to delete once their rows are gone.

import type { Database } from 'bun:sqlite';
import type { Attachment } from '../../domain/model/attachment.ts';
import type { AttachmentsRepo } from '../../domain/ports/index.ts';
import type { Immediate } from './immediate.ts';
import { type Int, id, num, numOrNull } from './rows.ts';

type AttachmentRow = {
  id: Int;
  message_id: Int;
  channel_id: Int;
  position: Int;
  filename: string;
  description: string | null;
  content_type: string;
  size: Int;
  width: Int | null;
  height: Int | null;
  sha256: string;
  file_key: string;
};

const toAttachment = (r: AttachmentRow): Attachment => ({
  id: id(r.id),
  messageId: id(r.message_id),
  channelId: id(r.channel_id),
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

export class AttachmentsStore implements Immediate<AttachmentsRepo> {
  constructor(private readonly db: Database) {}

  insert(a: Attachment): void {
    this.db
      .query(
        `INSERT INTO attachments (id, message_id, channel_id, position, filename, description, content_type, size, width, height, sha256, file_key)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(a.id, a.messageId, a.channelId, a.position, a.filename, a.description, a.contentType, a.size, a.width, a.height, a.sha256, a.fileKey);
  }

  /** Makes the message's attachments exactly `list`: rows not in it are deleted (their files queued), new ones inserted. */
  replace(messageId: string, list: readonly Attachment[]): void {
    const keep = new Set(list.map((a) => a.id));
    for (const current of this.forMessage(messageId)) if (!keep.has(current.id)) this.db.query('DELETE FROM attachments WHERE id = ?').run(current.id);
    for (const a of list) {
      const updated = this.db.query('UPDATE attachments SET position = ? WHERE id = ? AND message_id = ?').run(a.position, a.id, messageId);
      if (updated.changes === 0) this.insert(a);
    }
  }

  byId(attachmentId: string): Attachment | null {
    const row = this.db.query<AttachmentRow, [string]>('SELECT * FROM attachments WHERE id = ?').get(attachmentId);
    return row ? toAttachment(row) : null;
  }

  forMessage(messageId: string): Attachment[] {
    return this.db.query<AttachmentRow, [string]>('SELECT * FROM attachments WHERE message_id = ? ORDER BY position').all(messageId).map(toAttachment);
  }

  /** The attachments of many messages in one query, by message id. */
  forMessages(messageIds: readonly string[]): Map<string, Attachment[]> {
    const out = new Map<string, Attachment[]>();
    if (messageIds.length === 0) return out;
    const rows = this.db
      .query<AttachmentRow, [string]>(
        'SELECT * FROM attachments WHERE message_id IN (SELECT CAST(value AS INTEGER) FROM json_each(?)) ORDER BY message_id, position',
      )
      .all(JSON.stringify(messageIds));
    for (const row of rows) {
      const a = toAttachment(row);
      const list = out.get(a.messageId) ?? [];
      list.push(a);
      out.set(a.messageId, list);
    }
    return out;
  }

  /** File keys whose rows are gone (queued by the attachments_file_deletion trigger). */
  pendingFileDeletions(limit = 500): string[] {
    return this.db
      .query<{ file_key: string }, [number]>('SELECT file_key FROM file_deletions LIMIT ?')
      .all(limit)
      .map((r) => r.file_key);
  }

  fileDeleted(fileKey: string): void {
    this.db.query('DELETE FROM file_deletions WHERE file_key = ?').run(fileKey);
  }
}
