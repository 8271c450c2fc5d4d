import { AppException } from '../common/app.exception';

/** The same codes as HOUSEHOLD_ERROR_CODES in the contracts (what the storefront translates). */
export enum HouseholdErrorCodes {
  HOUSEHOLD_NOT_FOUND = 'HOUSEHOLD_NOT_FOUND',
  DUPLICATE_ID_NUMBER = 'DUPLICATE_ID_NUMBER',
  FILE_REQUIRED = 'FILE_REQUIRED',
  NOT_CSV = 'NOT_CSV',
  UNSUPPORTED_ENCODING = 'UNSUPPORTED_ENCODING',
  MALFORMED_CSV = 'MALFORMED_CSV',
  MISSING_HEADERS = 'MISSING_HEADERS',
  TOO_MANY_ROWS = 'TOO_MANY_ROWS',
  EMPTY_FILE = 'EMPTY_FILE',
}

const STATUS: Record<HouseholdErrorCodes, number> = {
  HOUSEHOLD_NOT_FOUND: 404,
  DUPLICATE_ID_NUMBER: 409,
  FILE_REQUIRED: 400,
  NOT_CSV: 400,
  UNSUPPORTED_ENCODING: 400,
  MALFORMED_CSV: 400,
  MISSING_HEADERS: 400,
  TOO_MANY_ROWS: 400,
  EMPTY_FILE: 400,
};

/** Errors of the household registry and its CSV import; `code` is what the storefront translates. */
export class HouseholdException extends AppException {
  constructor(
    code: HouseholdErrorCodes,
    message: string,
    extra: { field?: string; details?: Record<string, unknown> } = {},
  ) {
    super(
      code,
      STATUS[code],
      message,
      extra.field ? [{ field: extra.field, message }] : undefined,
      undefined,
      extra.details,
    );
  }
}
