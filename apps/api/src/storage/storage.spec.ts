import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { AppConfig } from '../config/config';
import { processImage } from './image';
import { LocalStorage } from './local-storage';
import { isSafeStorageKey } from './storage.service';
import { StorageException } from './storage.exception';

describe('storage keys', () => {
  it('accepts relative keys of safe segments only', () => {
    expect(isSafeStorageKey('products/6f1c/abc-thumb.webp')).toBe(true);
    for (const bad of [
      '',
      '/etc/passwd',
      '../x',
      'a/../b',
      'a//b',
      'a/./b',
      'a\\b',
      'a/b/',
      '.hidden',
      'a b',
      'x'.repeat(201),
    ]) {
      expect([bad, isSafeStorageKey(bad)]).toEqual([bad, false]);
    }
  });
});

describe('LocalStorage', () => {
  let dir: string;
  let storage: LocalStorage;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'xb-storage-'));
    storage = new LocalStorage({ UPLOADS_DIR: join(dir, 'uploads') } as AppConfig);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stores, reads back with the content type, deletes', async () => {
    await storage.put('logos/a.webp', Buffer.from('RIFF'), 'image/webp');
    const got = await storage.get('logos/a.webp');
    expect(got?.contentType).toBe('image/webp');
    expect(got?.size).toBe(4);
    got?.stream.destroy();
    expect(storage.url('logos/a.webp')).toBe('/api/files/logos/a.webp');
    await storage.delete('logos/a.webp');
    expect(await storage.get('logos/a.webp')).toBeNull();
  });

  it('refuses to write outside its folder and never reads outside it', async () => {
    writeFileSync(join(dir, 'secret.webp'), 'secret');
    await expect(storage.put('../secret.webp', Buffer.from('x'), 'image/webp')).rejects.toThrow(/unsafe/);
    expect(await storage.get('../secret.webp')).toBeNull();
    expect(await storage.get('/etc/passwd')).toBeNull();
  });

  it('refuses a key whose extension contradicts the content type', async () => {
    await expect(storage.put('a.webp', Buffer.from('x'), 'text/html')).rejects.toThrow(/content type/);
  });
});

describe('processImage', () => {
  it('makes a WebP original (≤1600 px) and a 400 px thumbnail without EXIF', async () => {
    const jpeg = await sharp({ create: { width: 3000, height: 1000, channels: 3, background: '#a33' } })
      .jpeg()
      .withExif({ IFD0: { Artist: 'someone', ImageDescription: 'GPS here' } })
      .toBuffer();
    expect((await sharp(jpeg).metadata()).exif).toBeDefined();
    const out = await processImage(jpeg);
    expect(out).toMatchObject({ width: 1600, height: 533, contentType: 'image/webp' });
    const o = await sharp(out.original).metadata();
    const th = await sharp(out.thumb).metadata();
    expect([o.format, o.exif]).toEqual(['webp', undefined]);
    expect([th.format, th.width, th.exif]).toEqual(['webp', 400, undefined]);
  });

  it('keeps small images at their size', async () => {
    const png = await sharp({ create: { width: 120, height: 80, channels: 4, background: '#0000' } })
      .png()
      .toBuffer();
    expect(await processImage(png)).toMatchObject({ width: 120, height: 80 });
  });

  it('refuses what is not a JPEG, PNG or WebP image, empty input and more than 8 MB', async () => {
    const codes = async (b: Buffer | undefined) => processImage(b).catch((e: StorageException) => [e.code, e.status]);
    expect(await codes(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toEqual(['NOT_AN_IMAGE', 400]);
    expect(await codes(Buffer.from('hello'))).toEqual(['NOT_AN_IMAGE', 400]);
    expect(await codes(undefined)).toEqual(['IMAGE_MISSING', 400]);
    expect(await codes(Buffer.alloc(8 * 1024 * 1024 + 1))).toEqual(['IMAGE_TOO_LARGE', 413]);
    const truncated = (
      await sharp({ create: { width: 50, height: 50, channels: 3, background: '#fff' } })
        .png()
        .toBuffer()
    ).subarray(0, 60);
    expect(await codes(truncated)).toEqual(['NOT_AN_IMAGE', 400]);
  });
});
