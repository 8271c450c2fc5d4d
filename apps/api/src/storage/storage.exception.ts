import { AppException } from '../common/app.exception';

export enum StorageErrorCode {
  NOT_AN_IMAGE = 'NOT_AN_IMAGE',
  IMAGE_TOO_LARGE = 'IMAGE_TOO_LARGE',
  IMAGE_MISSING = 'IMAGE_MISSING',
}

const STATUS: Record<StorageErrorCode, number> = {
  NOT_AN_IMAGE: 400,
  IMAGE_TOO_LARGE: 413,
  IMAGE_MISSING: 400,
};

export class StorageException extends AppException {
  constructor(code: StorageErrorCode, message: string) {
    super(code, STATUS[code], message);
  }
}
