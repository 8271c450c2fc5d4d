import { AppException } from '../common/app.exception';

export enum AuthErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  IDENTIFIER_TAKEN = 'IDENTIFIER_TAKEN',
  REFRESH_TOKEN_INVALID = 'REFRESH_TOKEN_INVALID',
  REFRESH_TOKEN_REUSED = 'REFRESH_TOKEN_REUSED',
  RATE_LIMITED = 'RATE_LIMITED',
  FORBIDDEN = 'FORBIDDEN',
  NO_ACCESS_POLICY = 'NO_ACCESS_POLICY',
}

const STATUS: Record<AuthErrorCode, number> = {
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  IDENTIFIER_TAKEN: 409,
  REFRESH_TOKEN_INVALID: 401,
  REFRESH_TOKEN_REUSED: 401,
  RATE_LIMITED: 429,
  FORBIDDEN: 403,
  NO_ACCESS_POLICY: 403,
};

export class AuthException extends AppException {
  constructor(code: AuthErrorCode, message: string, headers?: Record<string, string>) {
    super(code, STATUS[code], message, undefined, headers);
  }
}
