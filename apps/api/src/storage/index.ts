export { StorageService, FILES_URL_PREFIX, isSafeStorageKey, type StoredFile } from './storage.service';
export { StorageModule } from './storage.module';
export { processImage, MAX_IMAGE_BYTES, type ProcessedImage } from './image';
export { StorageException, StorageErrorCode } from './storage.exception';
