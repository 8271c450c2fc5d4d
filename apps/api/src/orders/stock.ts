import { EntityManager } from 'typeorm';

export interface ReservedProduct {
  id: string;
  cooperativeId: string;
  nameZh: string;
  unit: string;
  priceFen: number;
  perBuyerLimit: number | null;
}

/**
 * Takes `quantity` from a product's stock in ONE conditional UPDATE in PostgreSQL: it succeeds only when the
 * product is published, its cooperative approved, and enough stock is left. Never read-then-write: concurrent
 * buyers serialise on the row and the loser sees the decremented stock.
 */
export async function takeStock(
  m: EntityManager,
  productId: string,
  quantity: number,
  expectedPriceFen?: number,
): Promise<ReservedProduct | null> {
  const rows: {
    id: string;
    cooperative_id: string;
    name_zh: string;
    unit: string;
    price_fen: string;
    per_buyer_limit: number | null;
  }[] = await m
    .query(
      `UPDATE products p SET stock = p.stock - $2, updated_at = now()
        WHERE p.id = $1 AND p.published AND p.stock >= $2 AND ($3::bigint IS NULL OR p.price_fen = $3::bigint)
          AND EXISTS (SELECT 1 FROM cooperatives c WHERE c.id = p.cooperative_id AND c.status = 'approved')
        RETURNING p.id, p.cooperative_id, p.name_zh, p.unit, p.price_fen, p.per_buyer_limit`,
      [productId, quantity, expectedPriceFen ?? null],
    )
    .then((r: unknown) => (Array.isArray(r) && Array.isArray(r[0]) ? r[0] : r) as never);
  const row = rows[0];
  if (!row) return null;
  return {
    id: row.id,
    cooperativeId: row.cooperative_id,
    nameZh: row.name_zh,
    unit: row.unit,
    priceFen: Number(row.price_fen),
    perBuyerLimit: row.per_buyer_limit,
  };
}

/** Gives stock back. Only ever called for a reservation whose held→released transition just happened. */
export async function returnStock(m: EntityManager, productId: string, quantity: number): Promise<void> {
  await m.query(`UPDATE products SET stock = stock + $2, updated_at = now() WHERE id = $1`, [productId, quantity]);
}

/**
 * Releases a held reservation exactly once: the conditional UPDATE moves it to released and returns it only to
 * the one caller that made the move; that caller returns the stock. Returns whether this call released it.
 */
export async function releaseReservation(m: EntityManager, reservationId: string): Promise<boolean> {
  const rows: { product_id: string; quantity: number; deal_id: string | null }[] = await m
    .query(
      `UPDATE reservations SET status = 'released', released_at = now() WHERE id = $1 AND status = 'held' RETURNING product_id, quantity, deal_id`,
      [reservationId],
    )
    .then((r: unknown) => (Array.isArray(r) && Array.isArray(r[0]) ? r[0] : r) as never);
  if (!rows[0]) return false;
  await returnStock(m, rows[0].product_id, rows[0].quantity);
  // A flash-deal reservation also gives its units back to the deal (table owned by the live feature).
  if (rows[0].deal_id)
    await m.query(`UPDATE flash_deals SET remaining = remaining + $2 WHERE id = $1`, [
      rows[0].deal_id,
      rows[0].quantity,
    ]);
  return true;
}

/** Serialises one buyer's orders of one product (per-buyer limits) within the current transaction. */
export async function lockBuyerProduct(m: EntityManager, buyerId: string, productId: string): Promise<void> {
  await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`${buyerId}:${productId}`]);
}

/** Units of a product the buyer holds in orders that are not cancelled or refunded. */
export async function unitsHeldByBuyer(m: EntityManager, buyerId: string, productId: string): Promise<number> {
  const [row]: { n: string }[] = await m.query(
    `SELECT COALESCE(SUM(l.quantity), 0) AS n FROM order_lines l JOIN orders o ON o.id = l.order_id
      WHERE o.buyer_id = $1 AND l.product_id = $2 AND o.status NOT IN ('cancelled', 'refunded')`,
    [buyerId, productId],
  );
  return Number(row.n);
}
