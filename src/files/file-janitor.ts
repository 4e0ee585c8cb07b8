// Removes stored files whose attachment rows are gone. Rows go in a transaction (a message deleted, edited, or taken
// along by its channel or guild) and a trigger queues their file keys in the same transaction; the files go after
// commit, here, so a rolled-back delete never loses a file and a crash between the two only delays the removal
// until the next start.

import type { AttachmentsRepo } from '../domain/ports/index.ts';
import type { UnitOfWork } from '../domain/ports/unit-of-work.ts';
import type { DomainEvent } from '../events/domain-events.ts';
import type { EventHub } from '../events/event-hub.ts';
import type { FileStore } from './file-store.ts';

/** Events whose write may have deleted attachment rows: an edit only when it replaced the message's files. */
const REMOVING = new Set(['message.delete', 'message.delete_bulk', 'channel.delete', 'guild.delete']);
const removesFiles = (event: DomainEvent) => REMOVING.has(event.type) || (event.type === 'message.update' && event.filesRemoved === true);

export class FileJanitor {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly attachments: AttachmentsRepo,
    private readonly files: FileStore,
    private readonly uow: Pick<UnitOfWork, 'write'>,
  ) {}

  /** Sweeps after every write that may have removed attachments, and once now for what a crash left behind. */
  watch(hub: EventHub): () => void {
    void this.sweep();
    return hub.subscribe((event) => {
      if (removesFiles(event)) void this.sweep();
    });
  }

  /** Deletes every queued file; concurrent calls share one pass (and one more when asked during it). */
  sweep(): Promise<void> {
    if (this.running !== null) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          for (let keys = await this.attachments.pendingFileDeletions(); keys.length > 0; keys = await this.attachments.pendingFileDeletions()) {
            for (const key of keys) {
              await this.files.delete(key);
              await this.uow.write(async () => this.attachments.fileDeleted(key));
            }
          }
        } while (this.again);
      } catch (error) {
        // Whatever is still queued stays queued: the next sweep (or the next start) tries again.
        console.error('could not delete a stored file:', (error as Error).message);
      }
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }
}
