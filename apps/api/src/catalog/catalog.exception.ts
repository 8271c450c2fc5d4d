import type { FieldError } from '@xiangbo/contracts';
import { AppException } from '../common/app.exception';

export enum CatalogErrorCode {
  PRODUCT_NOT_FOUND = 'PRODUCT_NOT_FOUND',
  COOPERATIVE_NOT_FOUND = 'COOPERATIVE_NOT_FOUND',
  /** A host may read the cooperative's catalogue but only its coop_admin changes it. */
  CATALOG_READ_ONLY = 'CATALOG_READ_ONLY',
  PHOTO_LIMIT = 'PHOTO_LIMIT',
  PHOTO_NOT_FOUND = 'PHOTO_NOT_FOUND',
  PHOTO_ORDER_MISMATCH = 'PHOTO_ORDER_MISMATCH',
  /** A new product named a pending photo that is not (or no longer) the cooperative's: another's, taken or swept. */
  PENDING_PHOTO_UNKNOWN = 'PENDING_PHOTO_UNKNOWN',
  LOT_SUPPLY_MISMATCH = 'LOT_SUPPLY_MISMATCH',
  LOT_DUPLICATE_HOUSEHOLD = 'LOT_DUPLICATE_HOUSEHOLD',
  LOT_HOUSEHOLD_NOT_MEMBER = 'LOT_HOUSEHOLD_NOT_MEMBER',
  LOT_CODE_TAKEN = 'LOT_CODE_TAKEN',
}

const STATUS: Record<CatalogErrorCode, number> = {
  PRODUCT_NOT_FOUND: 404,
  COOPERATIVE_NOT_FOUND: 404,
  CATALOG_READ_ONLY: 403,
  PHOTO_LIMIT: 409,
  PHOTO_NOT_FOUND: 404,
  PHOTO_ORDER_MISMATCH: 400,
  PENDING_PHOTO_UNKNOWN: 400,
  LOT_SUPPLY_MISMATCH: 400,
  LOT_DUPLICATE_HOUSEHOLD: 400,
  LOT_HOUSEHOLD_NOT_MEMBER: 400,
  LOT_CODE_TAKEN: 409,
};

export class CatalogException extends AppException {
  constructor(code: CatalogErrorCode, message: string, errors?: FieldError[]) {
    super(code, STATUS[code], message, errors);
  }
}
