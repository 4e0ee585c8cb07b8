// The FileStore for several nodes: every file is an object in an S3-compatible bucket (AWS S3, MinIO, Garage,
// Ceph...), reached with Bun's own S3 client, so any node can serve what another stored. An S3 PUT answers only
// once the object is stored, so put() is as durable as the bucket; objects are read as streams when served.
import { S3Client } from 'bun';
import type { Config } from '../config.ts';
import { checkKey, FILE_STORE_UNAVAILABLE, type FileStore, type OpenedFile } from './file-store.ts';

export type S3Settings = Pick<Config, 's3Endpoint' | 's3Region' | 's3AccessKeyId' | 's3SecretAccessKey' | 's3Prefix'> & { s3Bucket: string };

export class S3FileStore implements FileStore {
  private readonly client: S3Client;
  private readonly prefix: string;

  constructor(settings: S3Settings) {
    this.client = new S3Client({
      bucket: settings.s3Bucket,
      ...(settings.s3Endpoint === null ? {} : { endpoint: settings.s3Endpoint }),
      ...(settings.s3Region === null ? {} : { region: settings.s3Region }),
      ...(settings.s3AccessKeyId === null ? {} : { accessKeyId: settings.s3AccessKeyId }),
      ...(settings.s3SecretAccessKey === null ? {} : { secretAccessKey: settings.s3SecretAccessKey }),
    });
    this.prefix = settings.s3Prefix;
  }

  private objectKey(key: string): string {
    return this.prefix + checkKey(key);
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const objectKey = this.objectKey(key);
    await this.client.write(objectKey, bytes, { type: 'application/octet-stream' }).catch(unavailable);
  }

  async get(key: string): Promise<Uint8Array | null> {
    const objectKey = this.objectKey(key);
    try {
      return new Uint8Array(await this.client.file(objectKey).arrayBuffer());
    } catch (error) {
      if (isMissing(error)) return null;
      return unavailable(error);
    }
  }

  async open(key: string): Promise<OpenedFile | null> {
    const file = this.client.file(this.objectKey(key));
    let size: number;
    try {
      size = (await file.stat()).size;
    } catch (error) {
      if (isMissing(error)) return null;
      return unavailable(error);
    }
    // An S3 file is not a body Response can take with headers: its stream is, read from the bucket as it is sent.
    return { size, body: size === 0 ? new Uint8Array(0) : file.slice(0, size).stream() };
  }

  async delete(key: string): Promise<void> {
    // S3 answers 204 for a key it does not have: deleting twice is fine.
    const objectKey = this.objectKey(key);
    await this.client.delete(objectKey).catch(unavailable);
  }

  /** Every stored key (without the prefix) with its size, page by page: for `harmony backup`. */
  async *keys(): AsyncGenerator<{ key: string; size: number }> {
    let continuationToken: string | undefined;
    do {
      const page = await this.client.list({ prefix: this.prefix, maxKeys: 1000, ...(continuationToken ? { continuationToken } : {}) });
      for (const object of page.contents ?? []) yield { key: object.key.slice(this.prefix.length), size: object.size ?? 0 };
      continuationToken = page.isTruncated ? page.nextContinuationToken : undefined;
    } while (continuationToken);
  }

  /** One cheap authenticated request (a listing of at most one key): for /health. Throws when the bucket is unreachable. */
  async probe(): Promise<void> {
    await this.client.list({ prefix: this.prefix, maxKeys: 1 });
  }
}

/**
 * Any failure but a missing key means the bucket cannot be used right now (unreachable, refusing the credentials,
 * no such bucket): tagged so that requests answer 503 (storage-failure.ts) instead of a bare 500.
 */
function unavailable(error: unknown): never {
  throw Object.assign(new Error(`S3: ${error instanceof Error ? error.message : String(error)}`, { cause: error }), { code: FILE_STORE_UNAVAILABLE });
}

function isMissing(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'NoSuchKey';
}
