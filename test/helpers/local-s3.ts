/**
 * A local S3-compatible server (s3rver) for one test file: its own directory, one bucket, the
 * default S3RVER/S3RVER credentials in the URL.
 */
import { createRequire } from 'node:module';
import { tempDir } from './temp-dir.js';

export interface LocalS3 {
  /** `http://S3RVER:S3RVER@127.0.0.1:<port>` (append `/<bucket>/<prefix>` for WHARF_MEDIA_S3_URL). */
  readonly url: string;
  /** Where s3rver keeps the objects. */
  readonly directory: string;
  close(): Promise<void>;
}

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

export async function startS3rver(bucket: string): Promise<LocalS3> {
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;
  const dir = tempDir('wharf-s3rver-');
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory: dir.path,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  return {
    url: `http://S3RVER:S3RVER@127.0.0.1:${port}`,
    directory: dir.path,
    async close() {
      await server.close();
      dir.cleanup();
    },
  };
}
