/** The one error body every API failure has; `code` is stable and machine-readable, `message` is for people. */
export interface FieldError {
  field: string;
  message: string;
}

export interface ApiErrorBody {
  statusCode: number;
  code: string;
  message: string;
  errors?: FieldError[];
  /** Machine-readable facts about the error, e.g. `{ existingHouseholdId }` on DUPLICATE_ID_NUMBER. */
  details?: Record<string, unknown>;
  requestId?: string;
}

export const COMMON_ERROR_CODES = [
  'VALIDATION_FAILED',
  'MALFORMED_BODY',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'INTERNAL',
] as const;
export type CommonErrorCode = (typeof COMMON_ERROR_CODES)[number];
