import { AppException } from '../common/app.exception';

export enum GroupBuyErrorCode {
  GROUP_NOT_FOUND = 'GROUP_NOT_FOUND',
  PRODUCT_NOT_FOUND = 'PRODUCT_NOT_FOUND',
  /** The product has no active group offer. */
  NO_GROUP_OFFER = 'NO_GROUP_OFFER',
  /** Every seat is taken (paid, or held by a member paying now). */
  GROUP_FULL = 'GROUP_FULL',
  GROUP_FORMED = 'GROUP_FORMED',
  GROUP_FAILED = 'GROUP_FAILED',
  /** The window is over (the group is about to be marked failed). */
  GROUP_EXPIRED = 'GROUP_EXPIRED',
  /** The buyer already has a seat in this group (their own group included). */
  ALREADY_JOINED = 'ALREADY_JOINED',
  /** The seat was given up before its order was written (it expired meanwhile). */
  SEAT_GONE = 'SEAT_GONE',
  SOLD_OUT = 'SOLD_OUT',
  /** The cooperative tried to ship an order of a group that has not formed. */
  GROUP_NOT_FORMED = 'GROUP_NOT_FORMED',
  GROUP_PRICE_NOT_BELOW = 'GROUP_PRICE_NOT_BELOW',
  NOT_COOPERATIVE_ADMIN = 'NOT_COOPERATIVE_ADMIN',
}

const STATUS: Record<GroupBuyErrorCode, number> = {
  GROUP_NOT_FOUND: 404,
  PRODUCT_NOT_FOUND: 404,
  NO_GROUP_OFFER: 409,
  GROUP_FULL: 409,
  GROUP_FORMED: 409,
  GROUP_FAILED: 409,
  GROUP_EXPIRED: 409,
  ALREADY_JOINED: 409,
  SEAT_GONE: 409,
  SOLD_OUT: 409,
  GROUP_NOT_FORMED: 409,
  GROUP_PRICE_NOT_BELOW: 400,
  NOT_COOPERATIVE_ADMIN: 403,
};

export class GroupBuyException extends AppException {
  constructor(code: GroupBuyErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, STATUS[code], message, undefined, undefined, details);
  }
}
