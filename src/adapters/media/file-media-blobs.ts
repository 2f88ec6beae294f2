/**
 * Media bytes in WHARF_MEDIA_DIR, content-addressed: `<dir>/<first two hex>/<sha256 hex>`. A put is
 * a rename from a temporary file in the same directory tree, so a reader never sees half a file and
 * a crash leaves at most a stray temporary file.
 */
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MediaBlob, MediaBlobs } from '../../ports/media-blobs.js';

const KEY = /^[0-9a-f]{64}$/;

export class FileMediaBlobs implements MediaBlobs {
  readonly label: string;

  constructor(private readonly dir: string) {
    this.label = `file:${dir}`;
  }

  private pathOf(key: string): string {
    if (!KEY.test(key)) throw new Error(`not a media key: ${key}`);
    return join(this.dir, key.slice(0, 2), key);
  }

  async put(key: string, path: string): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(join(this.dir, key.slice(0, 2)), { recursive: true });
    try {
      await rename(path, target);
    } catch (err) {
      // The temporary file is on another file system (os.tmpdir()): copy, then remove it.
      if ((err as { code?: string }).code !== 'EXDEV') throw err;
      await copyFile(path, `${target}.part`);
      await rename(`${target}.part`, target);
      await rm(path, { force: true });
    }
  }

  async open(key: string): Promise<MediaBlob | null> {
    if (!KEY.test(key)) return null;
    const path = this.pathOf(key);
    try {
      const { size } = await stat(path);
      return { body: createReadStream(path), size };
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') return null;
      throw err;
    }
  }

  async close(): Promise<void> {}
}
