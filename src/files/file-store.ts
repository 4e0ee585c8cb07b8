// Where uploaded bytes live. The domain sees only this port; the local-disk adapter keeps files under the data
// folder (so `harmony backup` can copy them beside the database), and another adapter (S3-compatible object
// storage, s3-file-store.ts) takes its place when several nodes share one set of files.

export interface FileStore {
  /** Stores bytes under a key, durably: once this resolves, the file survives a crash of the process. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** The bytes under a key, or null when there are none. */
  get(key: string): Promise<Uint8Array | null>;
  /**
   * The file under a key as a body that is read only when sent (so serving a large file does not hold it in
   * memory), with its size, or null. Optional: where it is missing, servers fall back to get().
   */
  open?(key: string): Promise<OpenedFile | null>;
  /** Removes a key; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** For /health: resolves when the store answers, throws when it does not. Absent where it cannot fail apart from the process. */
  probe?(): Promise<void>;
}

/** The `code` of an error a store throws when it cannot be reached (requests answer 503, see storage-failure.ts). */
export const FILE_STORE_UNAVAILABLE = 'FILE_STORE_UNAVAILABLE';

/** A stored file ready to be sent: a Blob (a file on disk) or a stream (an object in a bucket), and its length. */
export type OpenedFile = { size: number; body: Blob | ReadableStream<Uint8Array> | Uint8Array<ArrayBuffer> };

/** Keys are paths of plain segments: no dots-only segment, no separators of another kind, nothing absolute. */
export function checkKey(key: string): string {
  const segments = key.split('/');
  if (key.length > 512 || segments.some((s) => !/^[A-Za-z0-9_.-]{1,200}$/.test(s) || /^\.+$/.test(s))) {
    throw new Error(`not a file key: ${JSON.stringify(key)}`);
  }
  return key;
}
