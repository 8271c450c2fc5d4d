import { AppException } from '../common/app.exception';

export enum PayoutErrorCode {
  COOPERATIVE_NOT_FOUND = 'COOPERATIVE_NOT_FOUND',
  BATCH_NOT_FOUND = 'PAYOUT_BATCH_NOT_FOUND',
  PAYOUT_NOT_FOUND = 'PAYOUT_NOT_FOUND',
  HOUSEHOLD_NOT_FOUND = 'HOUSEHOLD_NOT_FOUND',
  /** Hosts may read payouts; only the cooperative's admins pay them out or export clear names. */
  READ_ONLY = 'PAYOUTS_READ_ONLY',
  /** No household is owed at least the threshold (beyond what is already planned). */
  NOTHING_TO_PAY = 'NOTHING_TO_PAY',
  ALREADY_RECORDED = 'PAYOUT_ALREADY_RECORDED',
  /** The household's payable balance is smaller than the planned amount (e.g. a refund reversed part of it). */
  NOT_ENOUGH_OWED = 'NOT_ENOUGH_OWED',
  LINK_NOT_FOUND = 'LINK_NOT_FOUND',
  WRONG_CODE = 'WRONG_CODE',
  RATE_LIMITED = 'RATE_LIMITED',
}

const STATUS: Record<PayoutErrorCode, number> = {
  COOPERATIVE_NOT_FOUND: 404,
  PAYOUT_BATCH_NOT_FOUND: 404,
  PAYOUT_NOT_FOUND: 404,
  HOUSEHOLD_NOT_FOUND: 404,
  PAYOUTS_READ_ONLY: 403,
  NOTHING_TO_PAY: 409,
  PAYOUT_ALREADY_RECORDED: 409,
  NOT_ENOUGH_OWED: 409,
  LINK_NOT_FOUND: 404,
  WRONG_CODE: 400,
  RATE_LIMITED: 429,
};

/** Errors of payouts (兑付), household links and statements; `code` is what the storefront translates. */
export class PayoutException extends AppException {
  constructor(
    code: PayoutErrorCode,
    message: string,
    details?: Record<string, unknown>,
    headers?: Record<string, string>,
  ) {
    super(code, STATUS[code], message, undefined, headers, details);
  }
}
