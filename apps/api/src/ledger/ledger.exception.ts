import { AppException } from '../common/app.exception';

export enum LedgerErrorCode {
  COOPERATIVE_NOT_FOUND = 'COOPERATIVE_NOT_FOUND',
  ORDER_NOT_FOUND = 'ORDER_NOT_FOUND',
  RUN_NOT_FOUND = 'RUN_NOT_FOUND',
  NOT_COOPERATIVE_ADMIN = 'NOT_COOPERATIVE_ADMIN',
  /** A ledger transaction whose debits and credits differ: refused, nothing written. */
  UNBALANCED = 'UNBALANCED',
  POLICY_REQUIRED = 'POLICY_REQUIRED',
  DIVIDEND_POOL_EMPTY = 'DIVIDEND_POOL_EMPTY',
  DIVIDEND_TOO_LARGE = 'DIVIDEND_TOO_LARGE',
  NO_MEMBERS = 'NO_MEMBERS',
  PERIOD_NOT_OVER = 'PERIOD_NOT_OVER',
}

const STATUS: Record<LedgerErrorCode, number> = {
  COOPERATIVE_NOT_FOUND: 404,
  ORDER_NOT_FOUND: 404,
  RUN_NOT_FOUND: 404,
  NOT_COOPERATIVE_ADMIN: 403,
  UNBALANCED: 422,
  POLICY_REQUIRED: 409,
  DIVIDEND_POOL_EMPTY: 409,
  DIVIDEND_TOO_LARGE: 400,
  NO_MEMBERS: 409,
  PERIOD_NOT_OVER: 400,
};

export class LedgerException extends AppException {
  constructor(code: LedgerErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, STATUS[code], message, undefined, undefined, details);
  }
}
