import type { OrderDto } from '@xiangbo/contracts';
import { parseYuan } from '@xiangbo/domain';

/** Fen that can still be refunded: the total, less what was refunded and what open requests already claim. */
export function refundRoomFen(order: Pick<OrderDto, 'totalFen' | 'refundedFen' | 'refunds'>): number {
  const open = order.refunds
    .filter((r) => r.status === 'requested' || r.status === 'pending')
    .reduce((s, r) => s + r.amountFen, 0);
  return Math.max(0, order.totalFen - order.refundedFen - open);
}

export type RefundAmountCheck =
  { ok: true; amountFen?: number } | { ok: false; key: 'amountInvalid' | 'amountTooLarge' | 'amountZero' };

/** The optional refund amount typed in yuan: empty means "everything still refundable"; never through a float. */
export function checkRefundAmount(text: string, roomFen: number): RefundAmountCheck {
  if (text.trim() === '') return { ok: true };
  const fen = parseYuan(text);
  if (fen === null) return { ok: false, key: 'amountInvalid' };
  if (fen <= 0) return { ok: false, key: 'amountZero' };
  if (fen > roomFen) return { ok: false, key: 'amountTooLarge' };
  return { ok: true, amountFen: fen };
}
