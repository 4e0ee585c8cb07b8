// An S3-compatible server for tests: s3rver (npm, a dev dependency, so `bun install` brings it on any machine and CI
// needs nothing more), run as its own process on a free loopback port over a temp folder, with one bucket. Its own
// process, so a test can stop it to play an object store going down. `bun test/support/s3-server.ts <dir> <bucket>`
// runs it by hand and prints `listening on <port>`.
//
// s3rver does not verify request signatures (a wrong secret is accepted): Harmony signs every request with the
// configured key pair as it does against AWS or MinIO, but rejecting a bad one is not something these tests can see.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../src/config.ts';

export type S3Server = {
  endpoint: string;
  bucket: string;
  /** The server's folder: one sub-folder per bucket, one file (and metadata) per object. */
  dir: string;
  /** Settings for a Harmony that stores its files in this server's bucket under `prefix`. */
  config: (prefix?: string) => Pick<Config, 's3Endpoint' | 's3Bucket' | 's3Region' | 's3AccessKeyId' | 's3SecretAccessKey' | 's3Prefix'>;
  /** The same settings as command-line flags (for a child process). */
  flags: (prefix?: string) => string[];
  pid: number;
  stop: () => Promise<void>;
};

export const S3_ACCESS_KEY_ID = 'S3RVER';
export const S3_SECRET_ACCESS_KEY = 'S3RVER';

export async function startS3Server(bucket = 'harmony-test'): Promise<S3Server> {
  const dir = mkdtempSync(join(tmpdir(), 'harmony-s3-'));
  const child = Bun.spawn(['bun', import.meta.path, dir, bucket], { stdout: 'pipe', stderr: 'pipe' });
  const reader = (child.stdout as ReadableStream<Uint8Array>).getReader();
  let out = '';
  const deadline = Date.now() + 30_000;
  let port = 0;
  while (!port) {
    const match = /listening on (\d+)/.exec(out);
    if (match?.[1]) port = Number(match[1]);
    else {
      const chunk = await Promise.race([reader.read(), Bun.sleep(Math.max(0, deadline - Date.now())).then(() => null)]);
      if (!chunk || chunk.done) {
        child.kill();
        throw new Error(`the S3 test server did not start: ${out}${await new Response(child.stderr).text()}`);
      }
      out += new TextDecoder().decode(chunk.value);
    }
  }
  reader.releaseLock();
  const endpoint = `http://127.0.0.1:${port}`;
  const config: S3Server['config'] = (prefix = '') => ({
    s3Endpoint: endpoint,
    s3Bucket: bucket,
    s3Region: 'us-east-1',
    s3AccessKeyId: S3_ACCESS_KEY_ID,
    s3SecretAccessKey: S3_SECRET_ACCESS_KEY,
    s3Prefix: prefix,
  });
  return {
    endpoint,
    bucket,
    dir,
    config,
    flags: (prefix = '') => [
      '--s3-endpoint',
      endpoint,
      '--s3-bucket',
      bucket,
      '--s3-region',
      'us-east-1',
      '--s3-access-key-id',
      S3_ACCESS_KEY_ID,
      ...(prefix ? ['--s3-prefix', prefix] : []),
    ],
    pid: child.pid,
    stop: async () => {
      child.kill('SIGTERM');
      await child.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

if (import.meta.main) {
  const [dir, bucket] = process.argv.slice(2);
  if (!dir || !bucket) throw new Error('usage: bun test/support/s3-server.ts <dir> <bucket>');
  const { default: S3rver } = await import('s3rver');
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory: dir, silent: true, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  console.log(`listening on ${port}`);
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
}
