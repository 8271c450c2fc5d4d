import sharp from 'sharp';
import { StorageErrorCode, StorageException } from './storage.exception';

export const MAX_IMAGE_BYTES = 8 * 1024 * 1024;
export const ORIGINAL_MAX_PX = 1600;
export const THUMB_PX = 400;
const ACCEPTED = new Set(['jpeg', 'png', 'webp']);
/** Refuse decompression bombs: 40 megapixels is far above any phone photo we need. */
const MAX_INPUT_PIXELS = 40_000_000;

export interface ProcessedImage {
  /** WebP, at most ORIGINAL_MAX_PX on its longer side, metadata (EXIF, GPS) stripped. */
  original: Buffer;
  /** WebP, fits in THUMB_PX × THUMB_PX. */
  thumb: Buffer;
  width: number;
  height: number;
  contentType: 'image/webp';
}

/**
 * Checks that the bytes are a JPEG, PNG or WebP image (by content, not by the name or the declared type),
 * at most 8 MB, and turns them into a WebP original and a WebP thumbnail without metadata.
 * Throws StorageException NOT_AN_IMAGE (400) or IMAGE_TOO_LARGE (413).
 */
export async function processImage(bytes: Buffer | undefined | null): Promise<ProcessedImage> {
  if (!bytes || bytes.length === 0) throw new StorageException(StorageErrorCode.IMAGE_MISSING, 'no image was uploaded');
  if (bytes.length > MAX_IMAGE_BYTES) {
    throw new StorageException(StorageErrorCode.IMAGE_TOO_LARGE, 'the image is larger than 8 MB');
  }
  let format: string | undefined;
  try {
    format = (await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).metadata()).format;
  } catch {
    format = undefined;
  }
  if (!format || !ACCEPTED.has(format)) {
    throw new StorageException(StorageErrorCode.NOT_AN_IMAGE, 'the file is not a JPEG, PNG or WebP image');
  }
  try {
    // rotate() applies the EXIF orientation before the metadata is dropped (sharp drops it unless asked to keep it).
    const base = () => sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }).rotate();
    const { data: original, info } = await base()
      .resize(ORIGINAL_MAX_PX, ORIGINAL_MAX_PX, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 82 })
      .toBuffer({ resolveWithObject: true });
    const thumb = await base()
      .resize(THUMB_PX, THUMB_PX, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 76 })
      .toBuffer();
    return { original, thumb, width: info.width, height: info.height, contentType: 'image/webp' };
  } catch {
    throw new StorageException(StorageErrorCode.NOT_AN_IMAGE, 'the image could not be read (damaged or too large)');
  }
}
