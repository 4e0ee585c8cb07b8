// Message attachments and the file keys no row uses any more.
// A port: the domain declares it, src/store/sqlite (and src/store/postgres) implement it. See ./index.ts.
import type { Attachment } from '../model/attachment.ts';

export interface AttachmentsRepo {
  insert(a: Attachment): Promise<void>;
  /** Makes the message's attachments exactly `list`: rows not in it are deleted (their files queued), new ones inserted. */
  replace(messageId: string, list: readonly Attachment[]): Promise<void>;
  byId(attachmentId: string): Promise<Attachment | null>;
  forMessage(messageId: string): Promise<Attachment[]>;
  /** The attachments of many messages in one query, by message id. */
  forMessages(messageIds: readonly string[]): Promise<Map<string, Attachment[]>>;
  /** File keys whose rows are gone (queued by the attachments_file_deletion trigger). */
  pendingFileDeletions(limit?: number): Promise<string[]>;
  fileDeleted(fileKey: string): Promise<void>;
}
