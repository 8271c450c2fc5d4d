import type { EntityManager } from 'typeorm';
import { allocateFee } from '@xiangbo/domain';

export type LineRow = { id: string; order_id: string; product_id: string; quantity: number; line_total_fen: string };

export interface SplitLine {
  lineId: string;
  productId: string | null;
  quantity: number;
  amountFen: number;
}

/** An order's lines as the split sees them; shipping (if any) is one more line with no supplying households. */
export function splitLines(orderId: string, lines: LineRow[], shippingFen: number): SplitLine[] {
  const out: SplitLine[] = lines.map((l) => ({
    lineId: l.id,
    productId: l.product_id,
    quantity: l.quantity,
    amountFen: Number(l.line_total_fen),
  }));
  if (shippingFen > 0)
    out.push({ lineId: `shipping:${orderId}`, productId: null, quantity: 1, amountFen: shippingFen });
  return out;
}

/**
 * One order's part of its payment's real processing fee, as the settlement takes it (docs/ledger.md, "Settlement
 * split" step 1): the payment's fee over every line of every order it paid (all cooperatives), by amount, largest
 * remainder by line id; this order's lines' parts summed. Null while the provider has not told the fee yet.
 */
export async function orderFeeShare(m: EntityManager, orderId: string): Promise<number | null> {
  const [payment]: { payment_id: string; fee_fen: string | null }[] = await m.query(
    `SELECT o.payment_id, p.fee_fen::text FROM orders o JOIN payments p ON p.id = o.payment_id WHERE o.id = $1`,
    [orderId],
  );
  if (!payment || payment.fee_fen === null) return null;
  const [orders, lines]: [{ id: string; shipping_fen: string }[], LineRow[]] = await Promise.all([
    m.query(`SELECT id, shipping_fen::text FROM orders WHERE payment_id = $1`, [payment.payment_id]),
    m.query(
      `SELECT l.id, l.order_id, l.product_id, l.quantity, l.line_total_fen::text FROM order_lines l
         JOIN orders o ON o.id = l.order_id WHERE o.payment_id = $1 ORDER BY l.id`,
      [payment.payment_id],
    ),
  ]);
  const linesOf = (o: { id: string; shipping_fen: string }) =>
    splitLines(
      o.id,
      lines.filter((l) => l.order_id === o.id),
      Number(o.shipping_fen),
    );
  const fees = allocateFee(
    Number(payment.fee_fen),
    orders.flatMap(linesOf).map((l) => ({ lineId: l.lineId, amountFen: l.amountFen })),
  );
  const own = orders.find((o) => o.id === orderId);
  return own ? linesOf(own).reduce((sum, l) => sum + (fees.get(l.lineId) ?? 0), 0) : null;
}
