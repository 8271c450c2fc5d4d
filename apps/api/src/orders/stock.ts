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
