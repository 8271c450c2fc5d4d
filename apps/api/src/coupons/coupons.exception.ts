import { AppException } from '../common/app.exception';

export enum CouponErrorCode {
  COUPON_NOT_FOUND = 'COUPON_NOT_FOUND',
  /** Every coupon of this drop has been claimed. */
  COUPONS_GONE = 'COUPONS_GONE',
  /** The viewer holds as many of this coupon as one viewer may. */
  COUPON_LIMIT_REACHED = 'COUPON_LIMIT_REACHED',
  /** The host stopped the drop, or the show is not live. */
  COUPON_CLOSED = 'COUPON_CLOSED',
  /** Coupons are dropped in a live show (or one about to start), not an ended or cancelled one. */
  COUPON_SHOW_OVER = 'COUPON_SHOW_OVER',
  /** The chosen coupon cannot be used on this checkout (used, expired, another's, below its threshold …). */
  COUPON_NOT_USABLE = 'COUPON_NOT_USABLE',
  /** Only the show's host or its cooperative's admin drops or stops coupons. */
  COUPON_FORBIDDEN = 'COUPON_FORBIDDEN',
}

const STATUS: Record<CouponErrorCode, number> = {
  COUPON_NOT_FOUND: 404,
  COUPONS_GONE: 409,
  COUPON_LIMIT_REACHED: 409,
  COUPON_CLOSED: 409,
  COUPON_SHOW_OVER: 409,
  COUPON_NOT_USABLE: 409,
  COUPON_FORBIDDEN: 403,
};

export class CouponException extends AppException {
  constructor(code: CouponErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, STATUS[code], message, undefined, undefined, details);
  }
}
