import { Inject, Injectable } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, extname, resolve, sep } from 'node:path';
import { APP_CONFIG, AppConfig } from '../config/config';
import { isSafeStorageKey, StorageService, StoredFile } from './storage.service';

const CONTENT_TYPES: Record<string, string> = {
  '.webp': 'image/webp',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.pdf': 'application/pdf',
  '.csv': 'text/csv; charset=utf-8',
};

/** Files on the local disk under UPLOADS_DIR; the content type follows the key's extension. */
@Injectable()
export class LocalStorage extends StorageService {
  private readonly root: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super();
    this.root = resolve(config.UPLOADS_DIR);
  }

  /** The absolute path of a key, or null when the key is unsafe or would leave the root. */
  private pathOf(key: string): string | null {
    if (!isSafeStorageKey(key)) return null;
    const path = resolve(this.root, key);
    return path.startsWith(this.root + sep) ? path : null;
  }

  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    const path = this.pathOf(key);
    if (!path) throw new Error(`unsafe storage key: ${key}`);
    const expected = CONTENT_TYPES[extname(key).toLowerCase()];
    if (expected && expected.split(';')[0] !== contentType.split(';')[0]) {
      throw new Error(`storage key ${key} does not match content type ${contentType}`);
    }
    await mkdir(dirname(path), { recursive: true });
    // Write then rename, so a reader never sees half a file.
    const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  }

  async get(key: string): Promise<StoredFile | null> {
    const path = this.pathOf(key);
    if (!path) return null;
    try {
      const s = await stat(path);
      if (!s.isFile()) return null;
      return {
        stream: createReadStream(path),
        contentType: CONTENT_TYPES[extname(key).toLowerCase()] ?? 'application/octet-stream',
        size: s.size,
      };
    } catch {
      return null;
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    if (!path) return;
    await rm(path, { force: true });
  }
}
