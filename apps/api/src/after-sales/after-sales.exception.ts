import type { FieldError } from '@xiangbo/contracts';
import { AppException } from '../common/app.exception';

export enum AfterSalesErrorCode {
  /** Not the caller's order or request (another buyer's, another cooperative's), or none. */
  AFTER_SALES_NOT_FOUND = 'AFTER_SALES_NOT_FOUND',
  /** The goods have not been shipped yet: only 超时未发货 can be asked before. */
  AFTER_SALES_NOT_RECEIVED = 'AFTER_SALES_NOT_RECEIVED',
  /** 七天无理由 without the cooperative's 7天无理由 promise. */
  AFTER_SALES_NOT_PROMISED = 'AFTER_SALES_NOT_PROMISED',
  /** 七天无理由 after the 7 days since delivery. */
  AFTER_SALES_WINDOW_CLOSED = 'AFTER_SALES_WINDOW_CLOSED',
  /** 七天无理由 is a return (the goods go back); 超时未发货 is a refund (nothing was sent). */
  AFTER_SALES_KIND_MISMATCH = 'AFTER_SALES_KIND_MISMATCH',
  /** A request of the order is still open. */
  AFTER_SALES_OPEN = 'AFTER_SALES_OPEN',
  AFTER_SALES_DECIDED = 'AFTER_SALES_DECIDED',
  /** A promise covers the request (坏果包赔 with a photo, 48小时发货 missed, 7天无理由): it cannot be refused. */
  AFTER_SALES_PROMISED = 'AFTER_SALES_PROMISED',
  AFTER_SALES_NOTE_REQUIRED = 'AFTER_SALES_NOTE_REQUIRED',
  /** A host of the cooperative may read requests; its admins decide. */
  AFTER_SALES_READ_ONLY = 'AFTER_SALES_READ_ONLY',
  /** The return step is not where this call needs it (not a return, not agreed yet, not sent back yet). */
  AFTER_SALES_RETURN_STEP = 'AFTER_SALES_RETURN_STEP',
  AFTER_SALES_PHOTO_LIMIT = 'AFTER_SALES_PHOTO_LIMIT',
  /** Taken to the platform already (once per request); while open, the platform decides, not the cooperative. */
  AFTER_SALES_ESCALATED = 'AFTER_SALES_ESCALATED',
  /** Only a refused or unanswered request goes to the platform (not one accepted, refunded, or the buyer's turn). */
  AFTER_SALES_NOT_DISPUTABLE = 'AFTER_SALES_NOT_DISPUTABLE',
  /** The cooperative still has time to answer (DISPUTE_ANSWER_HOURS). */
  AFTER_SALES_TOO_EARLY = 'AFTER_SALES_TOO_EARLY',
  AFTER_SALES_DISPUTE_DECIDED = 'AFTER_SALES_DISPUTE_DECIDED',
}

const STATUS: Record<AfterSalesErrorCode, number> = {
  AFTER_SALES_NOT_FOUND: 404,
  AFTER_SALES_NOT_RECEIVED: 409,
  AFTER_SALES_NOT_PROMISED: 409,
  AFTER_SALES_WINDOW_CLOSED: 409,
  AFTER_SALES_KIND_MISMATCH: 400,
  AFTER_SALES_OPEN: 409,
  AFTER_SALES_DECIDED: 409,
  AFTER_SALES_PROMISED: 409,
  AFTER_SALES_NOTE_REQUIRED: 400,
  AFTER_SALES_READ_ONLY: 403,
  AFTER_SALES_RETURN_STEP: 409,
  AFTER_SALES_PHOTO_LIMIT: 409,
  AFTER_SALES_ESCALATED: 409,
  AFTER_SALES_NOT_DISPUTABLE: 409,
  AFTER_SALES_TOO_EARLY: 409,
  AFTER_SALES_DISPUTE_DECIDED: 409,
};

export class AfterSalesException extends AppException {
  constructor(code: AfterSalesErrorCode, message: string, errors?: FieldError[]) {
    super(code, STATUS[code], message, errors);
  }
}
