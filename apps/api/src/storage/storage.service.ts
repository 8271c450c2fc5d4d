import type { Readable } from 'node:stream';

export interface StoredFile {
  stream: Readable;
  contentType: string;
  size: number;
}

/**
 * Where uploaded files (product photos, cooperative logos) live. Abstract class = the DI token:
 * inject `StorageService`, never an implementation. LocalStorage writes under UPLOADS_DIR; an
 * S3-compatible store can replace it by providing another subclass in StorageModule.
 *
 * Keys are relative paths of safe segments ([A-Za-z0-9._-], no "." or ".." segments), e.g.
 * `products/<productId>/<uuid>.webp`. Callers make keys; they never come from a request.
 */
export abstract class StorageService {
  abstract put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  /** null when there is no such file. */
  abstract get(key: string): Promise<StoredFile | null>;
  abstract delete(key: string): Promise<void>;

  /** Public URL path of a stored file (served by FilesController). */
  url(key: string): string {
    return `${FILES_URL_PREFIX}${key}`;
  }
}

export const FILES_URL_PREFIX = '/api/files/';

const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

/** True for a key made of safe path segments (no traversal, no absolute paths, no empty segments). */
export function isSafeStorageKey(key: string): boolean {
  if (key.length === 0 || key.length > 200) return false;
  return key.split('/').every((s) => SEGMENT.test(s) && s !== '.' && s !== '..' && !s.includes('..'));
}
