/**
 * Media bytes in an S3-compatible bucket (WHARF_MEDIA_S3_URL), content-addressed under
 * `<prefix>/<sha256 hex>`, with the AWS SDK v3. The URL (src/core/media/parse-s3-url.ts) names the
 * endpoint, bucket and prefix; credentials come from the URL or the SDK's usual chain.
 */
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { MediaBlob, MediaBlobs } from '../../ports/media-blobs.js';
import type { S3Location } from '../../core/media/parse-s3-url.js';

export class S3MediaBlobs implements MediaBlobs {
  readonly label: string;
  private readonly client: S3Client;

  constructor(private readonly where: S3Location) {
    this.label = `s3:${where.bucket}`;
    this.client = new S3Client({
      region: where.region,
      ...(where.endpoint === null ? {} : { endpoint: where.endpoint, forcePathStyle: true }),
      ...(where.credentials === null ? {} : { credentials: where.credentials }),
      // S3-compatible servers (MinIO, s3rver, Ceph) do not all take the SDK's default CRC checksums.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  private keyOf(key: string): string {
    return this.where.prefix === '' ? key : `${this.where.prefix}/${key}`;
  }

  async put(key: string, path: string, size: number, contentType: string | null): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.where.bucket,
        Key: this.keyOf(key),
        Body: createReadStream(path),
        ContentLength: size,
        ...(contentType === null ? {} : { ContentType: contentType }),
      }),
    );
    await rm(path, { force: true });
  }

  async open(key: string): Promise<MediaBlob | null> {
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.where.bucket, Key: this.keyOf(key) }),
      );
      return { body: out.Body as Readable, size: out.ContentLength ?? 0 };
    } catch (err) {
      if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey') return null;
      throw err;
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
