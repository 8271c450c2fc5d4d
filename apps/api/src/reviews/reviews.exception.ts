import type { FieldError } from '@xiangbo/contracts';
import { AppException } from '../common/app.exception';

export enum ReviewErrorCode {
  /** The order is not the caller's, or does not exist (indistinguishable on purpose). */
  ORDER_NOT_FOUND = 'ORDER_NOT_FOUND',
  /** Reviews open when the order is completed (received and confirmed, or the return window closed). */
  ORDER_NOT_COMPLETED = 'ORDER_NOT_COMPLETED',
  LINE_NOT_IN_ORDER = 'LINE_NOT_IN_ORDER',
  ALREADY_REVIEWED = 'ALREADY_REVIEWED',
  REVIEW_NOT_FOUND = 'REVIEW_NOT_FOUND',
  /** Reviews of a product that is not published (or does not exist). */
  PRODUCT_NOT_FOUND = 'PRODUCT_NOT_FOUND',
  PHOTO_LIMIT = 'PHOTO_LIMIT',
  PHOTO_WINDOW_CLOSED = 'PHOTO_WINDOW_CLOSED',
  ALREADY_REPORTED = 'ALREADY_REPORTED',
  OWN_REVIEW = 'OWN_REVIEW',
  REVIEW_READ_ONLY = 'REVIEW_READ_ONLY',
  RATE_LIMITED = 'RATE_LIMITED',
}

const STATUS: Record<ReviewErrorCode, number> = {
  ORDER_NOT_FOUND: 404,
  ORDER_NOT_COMPLETED: 409,
  LINE_NOT_IN_ORDER: 400,
  ALREADY_REVIEWED: 409,
  REVIEW_NOT_FOUND: 404,
  PRODUCT_NOT_FOUND: 404,
  PHOTO_LIMIT: 409,
  PHOTO_WINDOW_CLOSED: 409,
  ALREADY_REPORTED: 409,
  OWN_REVIEW: 400,
  REVIEW_READ_ONLY: 403,
  RATE_LIMITED: 429,
};

export class ReviewException extends AppException {
  constructor(code: ReviewErrorCode, message: string, errors?: FieldError[]) {
    super(code, STATUS[code], message, errors);
  }
}
