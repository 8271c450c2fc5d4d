/**
 * The order state machine, pure. pending_payment → paid → shipped → delivered → completed; cancelled from
 * pending_payment (expiry or the buyer); refunded (fully) from paid/shipped/delivered/completed. A partial refund
 * leaves the status as it is and is recorded as a refund.
 */
export const ORDER_STATUSES = [
  'pending_payment',
  'paid',
  'shipped',
  'delivered',
  'completed',
  'cancelled',
  'refunded',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  pending_payment: ['paid', 'cancelled'],
  paid: ['shipped', 'refunded'],
  shipped: ['delivered', 'completed', 'refunded'],
  delivered: ['completed', 'refunded'],
  completed: ['refunded'],
  cancelled: [],
  refunded: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return NEXT[from].includes(to);
}

export function allowedNext(from: OrderStatus): readonly OrderStatus[] {
  return NEXT[from];
}

/** Orders whose money has been received (for sold counts, GMV, settlement). */
export const PAID_STATUSES: readonly OrderStatus[] = ['paid', 'shipped', 'delivered', 'completed'];

/** How much of an order can still be refunded. */
export function refundableFen(totalFen: number, refundedFen: number): number {
  return Math.max(0, totalFen - refundedFen);
}
