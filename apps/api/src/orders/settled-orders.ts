import { escapeLiteral } from 'pg';

/** A query on the caller's connection and transaction, parameters bound ($1…$n). */
export type OrdersQuery = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

/** An order a settlement is about to write, as it was read: it must still be so when its entry is written. */
export interface SettlingOrder {
  orderId: string;
  refundedFen: number;
}

/**
 * Orders' side of settlement: which orders may be marked settled, and marking them. Settlement (ledger) writes the
 * ledger entries and calls these in the same transaction; it never writes the orders table itself.
 */
export const settledOrders = {
  /**
   * Locks the orders that are still completed, unsettled and refunded exactly as read, and returns their ids. Never
   * waits for a row lock (SKIP LOCKED: an order a refund holds right now is left for the next run).
   */
  async lockSettleable(query: OrdersQuery, orders: readonly SettlingOrder[]): Promise<Set<string>> {
    if (!orders.length) return new Set();
    const rows = await query<{ id: string }>(
      `SELECT o.id FROM orders o JOIN unnest($1::uuid[], $2::bigint[]) AS x(id, refunded_fen) ON o.id = x.id
          WHERE o.status = 'completed' AND o.settled_at IS NULL AND o.refunded_fen = x.refunded_fen
            FOR UPDATE OF o SKIP LOCKED`,
      [orders.map((o) => o.orderId), orders.map((o) => o.refundedFen)],
    );
    return new Set(rows.map((r) => r.id));
  },

  /** Marks orders settled (their settlement entries were just written in this transaction). */
  async markSettled(query: OrdersQuery, orderIds: readonly string[]): Promise<void> {
    if (!orderIds.length) return;
    await query(`UPDATE orders SET settled_at = clock_timestamp(), updated_at = now() WHERE id = ANY($1::uuid[])`, [
      orderIds,
    ]);
  },

  /** The same guard for one order written alone, as literal SQL (a SELECT that returns a row when it may). */
  guardSql(o: SettlingOrder): string {
    if (!Number.isSafeInteger(o.refundedFen)) throw new RangeError('refundedFen must be a whole number');
    return `SELECT id FROM orders WHERE id = ${escapeLiteral(o.orderId)}::uuid AND status = 'completed' AND settled_at IS NULL AND refunded_fen = ${o.refundedFen} FOR UPDATE SKIP LOCKED`;
  },

  /** Marking one order settled, as literal SQL (sent with its entry). */
  markSettledSql(orderId: string): string {
    return `UPDATE orders SET settled_at = clock_timestamp(), updated_at = now() WHERE id = ${escapeLiteral(orderId)}::uuid`;
  },
};
