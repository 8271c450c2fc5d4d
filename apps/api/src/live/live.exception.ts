import type { FieldError, LiveErrorCode, LiveRefusal } from '@xiangbo/contracts';
import { AppException } from '../common/app.exception';
import { OrderErrorCode, OrderException } from '../orders/orders.exception';

/** REST codes of the live feature, plus every socket refusal code (LiveErrorCode), with their HTTP status. */
export enum LiveRestCode {
  SHOW_NOT_FOUND = 'SHOW_NOT_FOUND',
  /** A host of the cooperative who is not this show's host: may look, not change. */
  SHOW_READ_ONLY = 'SHOW_READ_ONLY',
  INVALID_SHOW_TRANSITION = 'INVALID_SHOW_TRANSITION',
  PRODUCTS_NOT_OF_COOPERATIVE = 'PRODUCTS_NOT_OF_COOPERATIVE',
  COOPERATIVE_NOT_FOUND = 'COOPERATIVE_NOT_FOUND',
  NOTIFICATION_NOT_FOUND = 'NOTIFICATION_NOT_FOUND',
}
export type LiveCode = LiveRestCode | LiveErrorCode;

const STATUS: Record<LiveCode, number> = {
  SHOW_NOT_FOUND: 404,
  SHOW_READ_ONLY: 403,
  INVALID_SHOW_TRANSITION: 409,
  PRODUCTS_NOT_OF_COOPERATIVE: 400,
  COOPERATIVE_NOT_FOUND: 404,
  NOTIFICATION_NOT_FOUND: 404,
  NOT_SIGNED_IN: 401,
  NOT_JOINED: 409,
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  INVALID: 400,
  RATE_LIMITED: 429,
  SLOW_MODE: 429,
  MUTED: 403,
  BANNED: 403,
  SHOW_NOT_LIVE: 409,
  SOLD_OUT: 409,
  CAP_REACHED: 409,
  DEAL_CLOSED: 409,
  NO_ADDRESS: 409,
  UNAVAILABLE: 409,
  INTERNAL: 500,
};

export class LiveException extends AppException {
  constructor(
    code: LiveCode,
    message: string,
    readonly extra: { retryAfterMs?: number; field?: string } = {},
    errors?: FieldError[],
  ) {
    super(code, STATUS[code], message, errors);
  }
}

const FROM_ORDERS: Partial<Record<OrderErrorCode, LiveErrorCode>> = {
  [OrderErrorCode.SOLD_OUT]: 'SOLD_OUT',
  [OrderErrorCode.LIMIT_REACHED]: 'CAP_REACHED',
  [OrderErrorCode.PRODUCT_UNAVAILABLE]: 'UNAVAILABLE',
  [OrderErrorCode.ADDRESS_NOT_FOUND]: 'NO_ADDRESS',
};

const SOCKET_CODES: Partial<Record<LiveRestCode, LiveErrorCode>> = {
  SHOW_NOT_FOUND: 'NOT_FOUND',
  SHOW_READ_ONLY: 'FORBIDDEN',
  INVALID_SHOW_TRANSITION: 'SHOW_NOT_LIVE',
  PRODUCTS_NOT_OF_COOPERATIVE: 'INVALID',
};

/** The socket transport's error filter: business refusals become typed acks, anything else INTERNAL (logged by the caller). */
export function toRefusal(e: unknown): { refusal: LiveRefusal; expected: boolean } {
  if (e instanceof LiveException) {
    const code = (SOCKET_CODES[e.code as LiveRestCode] ?? e.code) as LiveErrorCode;
    return { refusal: { ok: false, code, message: e.message, ...e.extra }, expected: true };
  }
  if (e instanceof OrderException && FROM_ORDERS[e.code as OrderErrorCode]) {
    return {
      refusal: { ok: false, code: FROM_ORDERS[e.code as OrderErrorCode] as LiveErrorCode, message: e.message },
      expected: true,
    };
  }
  return { refusal: { ok: false, code: 'INTERNAL', message: 'something went wrong on our side' }, expected: false };
}
