// Which FileStore a process uses: the S3 bucket when one is configured (several nodes share it), else the
// `files/` folder of the data directory.
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { LocalFileStore } from './local-file-store.ts';
import { S3FileStore } from './s3-file-store.ts';

export function configuredFileStore(config: Config): LocalFileStore | S3FileStore {
  return config.s3Bucket === null ? new LocalFileStore(join(config.dataDir, 'files')) : new S3FileStore({ ...config, s3Bucket: config.s3Bucket });
}
