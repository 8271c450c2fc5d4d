import { AppException } from '../common/app.exception';

export enum PresaleErrorCode {
  PRESALE_NOT_FOUND = 'PRESALE_NOT_FOUND',
  PRESALE_PRODUCT_NOT_FOUND = 'PRESALE_PRODUCT_NOT_FOUND',
  /** The product already has a pre-sale that is not cancelled. */
  PRESALE_EXISTS = 'PRESALE_EXISTS',
  /** A promised household is not one of the cooperative's. */
  PRESALE_HOUSEHOLD_NOT_OURS = 'PRESALE_HOUSEHOLD_NOT_OURS',
  /** Ordering: the pre-sale is not open (harvested, cancelled). */
  PRESALE_CLOSED = 'PRESALE_CLOSED',
  /** Every promised unit is ordered. */
  PRESALE_SOLD_OUT = 'PRESALE_SOLD_OUT',
  /** A pre-sale product is ordered on its own (its deposit, its balance, its shipping window). */
  PRESALE_ORDER_ALONE = 'PRESALE_ORDER_ALONE',
  /** The cooperative declares the harvest in or cancels a pre-sale that is not open. */
  PRESALE_NOT_OPEN = 'PRESALE_NOT_OPEN',
  /** The buyer pays the balance before the harvest is declared in. */
  PRESALE_BALANCE_NOT_DUE = 'PRESALE_BALANCE_NOT_DUE',
  /** The buyer pays the balance after its deadline (the deposit is being refunded). */
  PRESALE_BALANCE_LATE = 'PRESALE_BALANCE_LATE',
  /** Already paid, refunded, or a full prepayment (nothing to pay). */
  PRESALE_NO_BALANCE = 'PRESALE_NO_BALANCE',
  /** The cooperative ships a pre-sale order whose balance is not paid, or before the harvest. */
  PRESALE_NOT_READY_TO_SHIP = 'PRESALE_NOT_READY_TO_SHIP',
  PRESALE_ORDER_NOT_FOUND = 'PRESALE_ORDER_NOT_FOUND',
  NOT_COOPERATIVE_ADMIN = 'NOT_COOPERATIVE_ADMIN',
}

const STATUS: Record<PresaleErrorCode, number> = {
  PRESALE_NOT_FOUND: 404,
  PRESALE_PRODUCT_NOT_FOUND: 404,
  PRESALE_EXISTS: 409,
  PRESALE_HOUSEHOLD_NOT_OURS: 400,
  PRESALE_CLOSED: 409,
  PRESALE_SOLD_OUT: 409,
  PRESALE_ORDER_ALONE: 400,
  PRESALE_NOT_OPEN: 409,
  PRESALE_BALANCE_NOT_DUE: 409,
  PRESALE_BALANCE_LATE: 409,
  PRESALE_NO_BALANCE: 409,
  PRESALE_NOT_READY_TO_SHIP: 409,
  PRESALE_ORDER_NOT_FOUND: 404,
  NOT_COOPERATIVE_ADMIN: 403,
};

export class PresaleException extends AppException {
  constructor(code: PresaleErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, STATUS[code], message, undefined, undefined, details);
  }
}
