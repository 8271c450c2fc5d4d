import { AppException } from '../common/app.exception';

export enum OrderErrorCode {
  SOLD_OUT = 'SOLD_OUT',
  LIMIT_REACHED = 'LIMIT_REACHED',
  PRODUCT_UNAVAILABLE = 'PRODUCT_UNAVAILABLE',
  ORDER_NOT_FOUND = 'ORDER_NOT_FOUND',
  ADDRESS_NOT_FOUND = 'ADDRESS_NOT_FOUND',
  INVALID_TRANSITION = 'INVALID_TRANSITION',
  NOT_COOPERATIVE_ADMIN = 'NOT_COOPERATIVE_ADMIN',
  COOPERATIVE_NOT_FOUND = 'COOPERATIVE_NOT_FOUND',
  REFUND_NOT_FOUND = 'REFUND_NOT_FOUND',
  REFUND_TOO_LARGE = 'REFUND_TOO_LARGE',
  REFUND_NOT_OPEN = 'REFUND_NOT_OPEN',
  REFUND_FAILED = 'REFUND_FAILED',
  PAYMENT_NOT_FOUND = 'PAYMENT_NOT_FOUND',
  ORDER_EXPIRED = 'ORDER_EXPIRED',
  PRICE_CHANGED = 'PRICE_CHANGED',
  /** More than 999 of one product in one order (repeated lines count together). */
  TOO_MANY_UNITS = 'TOO_MANY_UNITS',
  /** A purchase names a live show (showId) that is not live now, or does not exist. */
  SHOW_NOT_LIVE = 'SHOW_NOT_LIVE',
  /** A purchase names a live show that does not list (one of) the products ordered. */
  PRODUCT_NOT_IN_SHOW = 'PRODUCT_NOT_IN_SHOW',
}

const STATUS: Record<OrderErrorCode, number> = {
  SOLD_OUT: 409,
  LIMIT_REACHED: 409,
  PRODUCT_UNAVAILABLE: 409,
  ORDER_NOT_FOUND: 404,
  ADDRESS_NOT_FOUND: 404,
  INVALID_TRANSITION: 409,
  NOT_COOPERATIVE_ADMIN: 403,
  COOPERATIVE_NOT_FOUND: 404,
  REFUND_NOT_FOUND: 404,
  REFUND_TOO_LARGE: 400,
  REFUND_NOT_OPEN: 409,
  REFUND_FAILED: 502,
  PAYMENT_NOT_FOUND: 404,
  ORDER_EXPIRED: 409,
  PRICE_CHANGED: 409,
  TOO_MANY_UNITS: 400,
  SHOW_NOT_LIVE: 400,
  PRODUCT_NOT_IN_SHOW: 400,
};

export class OrderException extends AppException {
  constructor(code: OrderErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, STATUS[code], message, undefined, undefined, details);
  }
}
