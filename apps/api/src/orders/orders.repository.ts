import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { AddressInput } from '@xiangbo/contracts';

/**
 * The orders feature's SQL: stock, reservations, per-buyer counts and the multi-row writes of a batch of claims.
 * Every method runs on the caller's EntityManager (its transaction); the rules live in the services.
 */

export interface ReservedProduct {
  id: string;
  cooperativeId: string;
  nameZh: string;
  unit: string;
  priceFen: number;
  perBuyerLimit: number | null;
}

export type ProductForSale = ReservedProduct & { stock: number; onSale: boolean; cooperativeName: string };

/** What taking stock for a batch found: how many units it took, and why none when it took none. */
export type TakeUpTo =
  { taken: number; left: number } | { taken: 0; reason: 'UNAVAILABLE' | 'PRICE_CHANGED' | 'EMPTY' };

/** One winner of a batch: its payment, order, line and reservation, written together with the others. */
export interface ClaimRow {
  paymentId: string;
  orderId: string;
  lineId: string;
  number: string;
  buyerId: string;
  cooperativeId: string;
  productId: string;
  productName: string;
  unit: string;
  unitPriceFen: number;
  quantity: number;
  address: AddressInput;
  showId: string | null;
  offerId: string | null;
  /** The buyer's coupon choice (a claim id, null for none, undefined for the best usable one). */
  couponId?: string | null;
  /** The discount a coupon took off (set in the batch's transaction). */
  discountFen?: number;
  /** The provider's intent when it was made before the write (a local provider's, no I/O); else set later. */
  providerRef?: string | null;
  clientSecret?: string | null;
}

type Query = (sql: string, params?: unknown[]) => Promise<unknown>;
const q =
  (m: EntityManager): Query =>
  (sql, params) =>
    m.query(sql, params);

/** node-postgres through TypeORM answers UPDATE … RETURNING with [rows, count]. */
function rows<T>(r: unknown): T[] {
  return (Array.isArray(r) && Array.isArray(r[0]) ? r[0] : r) as T[];
}

@Injectable()
export class OrdersRepository {
  /** The products of an order as they are now (no locks), with whether each is on sale. */
  async readProducts(m: EntityManager, ids: string[]): Promise<Map<string, ProductForSale>> {
    const found = rows<{
      id: string;
      cooperative_id: string;
      cooperative_name: string;
      name_zh: string;
      unit: string;
      price_fen: string;
      per_buyer_limit: number | null;
      stock: number;
      on_sale: boolean;
    }>(
      await q(m)(
        `SELECT p.id, p.cooperative_id, c.name AS cooperative_name, p.name_zh, p.unit, p.price_fen, p.per_buyer_limit,
                p.stock, (p.published AND c.status = 'approved') AS on_sale
           FROM products p JOIN cooperatives c ON c.id = p.cooperative_id WHERE p.id = ANY($1::uuid[])`,
        [ids],
      ),
    );
    return new Map(
      found.map((r) => [
        r.id,
        {
          id: r.id,
          cooperativeId: r.cooperative_id,
          cooperativeName: r.cooperative_name,
          nameZh: r.name_zh,
          unit: r.unit,
          priceFen: Number(r.price_fen),
          perBuyerLimit: r.per_buyer_limit,
          stock: r.stock,
          onSale: r.on_sale,
        },
      ]),
    );
  }

  /**
   * Takes `quantity` from a product's stock in ONE conditional UPDATE: it succeeds only when the product is
   * published, its cooperative approved, enough stock is left (and the price is still the one expected). Never
   * read-then-write: concurrent buyers serialise on the row and the loser sees the decremented stock.
   */
  async takeStock(m: EntityManager, productId: string, quantity: number, expectedPriceFen?: number): Promise<boolean> {
    const r = rows<{ id: string }>(
      await q(m)(
        `UPDATE products p SET stock = p.stock - $2, updated_at = now()
          WHERE p.id = $1 AND p.published AND p.stock >= $2 AND ($3::bigint IS NULL OR p.price_fen = $3::bigint)
            AND EXISTS (SELECT 1 FROM cooperatives c WHERE c.id = p.cooperative_id AND c.status = 'approved')
          RETURNING p.id`,
        [productId, quantity, expectedPriceFen ?? null],
      ),
    );
    return r.length > 0;
  }

  /**
   * A batch's ONE conditional UPDATE of a product: takes `want` units or what remains (never below zero), only
   * while it is on sale at the expected price. Returns how many it took and what is left, or why it took none.
   */
  async takeUpTo(m: EntityManager, productId: string, want: number, expectedPriceFen: number): Promise<TakeUpTo> {
    const [row] = rows<{ taken: number; left: number }>(
      await q(m)(
        `WITH cur AS (SELECT p.id, p.stock FROM products p WHERE p.id = $1 FOR NO KEY UPDATE)
         UPDATE products p SET stock = p.stock - LEAST(cur.stock, $2), updated_at = now() FROM cur
          WHERE p.id = cur.id AND cur.stock > 0 AND p.published AND p.price_fen = $3::bigint
            AND EXISTS (SELECT 1 FROM cooperatives c WHERE c.id = p.cooperative_id AND c.status = 'approved')
          RETURNING LEAST(cur.stock, $2)::int AS taken, p.stock AS left`,
        [productId, want, expectedPriceFen],
      ),
    );
    if (row) return { taken: row.taken, left: row.left };
    const [now] = rows<{ stock: number; on_sale: boolean; price_fen: string }>(
      await q(m)(
        `SELECT p.stock, (p.published AND c.status = 'approved') AS on_sale, p.price_fen FROM products p
           JOIN cooperatives c ON c.id = p.cooperative_id WHERE p.id = $1`,
        [productId],
      ),
    );
    if (!now || !now.on_sale) return { taken: 0, reason: 'UNAVAILABLE' };
    if (Number(now.price_fen) !== expectedPriceFen) return { taken: 0, reason: 'PRICE_CHANGED' };
    return { taken: 0, reason: 'EMPTY' };
  }

  /** Why a product's stock UPDATE took nothing: gone/unpublished, the price changed, or not enough stock. */
  async stockState(
    m: EntityManager,
    productId: string,
  ): Promise<{ stock: number; onSale: boolean; priceFen: number } | null> {
    const [row] = rows<{ stock: number; published: boolean; approved: boolean; price_fen: string }>(
      await q(m)(
        `SELECT p.stock, p.published, p.price_fen, c.status = 'approved' AS approved FROM products p JOIN cooperatives c ON c.id = p.cooperative_id WHERE p.id = $1`,
        [productId],
      ),
    );
    return row ? { stock: row.stock, onSale: row.published && row.approved, priceFen: Number(row.price_fen) } : null;
  }

  /** Gives stock back. Only ever called for units whose reservation was just released (or never handed out). */
  async returnStock(m: EntityManager, productId: string, quantity: number): Promise<void> {
    if (quantity <= 0) return;
    await q(m)(`UPDATE products SET stock = stock + $2, updated_at = now() WHERE id = $1`, [productId, quantity]);
  }

  /**
   * Releases held reservations exactly once: the conditional UPDATE moves each to released and returns it only to
   * the one caller that made the move; that caller returns the stock (and the offer's units, through its hook).
   */
  async releaseHeld(
    m: EntityManager,
    orderId: string,
  ): Promise<{ productId: string; quantity: number; offerId: string | null }[]> {
    const released = rows<{ product_id: string; quantity: number; deal_id: string | null }>(
      await q(m)(
        `UPDATE reservations SET status = 'released', released_at = now() WHERE order_id = $1 AND status = 'held'
          RETURNING product_id, quantity, deal_id`,
        [orderId],
      ),
    );
    return released.map((r) => ({ productId: r.product_id, quantity: r.quantity, offerId: r.deal_id }));
  }

  /**
   * Serialises buyers' claims under one scope (a product's per-buyer limit, an offer's cap) until the transaction
   * ends. Keys are taken in sorted order, so two batches never wait for each other in a circle.
   */
  async lockBuyerKeys(m: EntityManager, keys: string[]): Promise<void> {
    const sorted = [...new Set(keys)].sort();
    if (!sorted.length) return;
    await q(m)(`SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) AS k`, [sorted]);
  }

  /** Units each buyer holds in live orders (not cancelled or refunded) of a product, or under an offer. */
  async unitsHeld(
    m: EntityManager,
    buyerIds: string[],
    scope: { productId: string } | { offerId: string },
  ): Promise<Map<string, number>> {
    if (!buyerIds.length) return new Map();
    const byOffer = 'offerId' in scope;
    const found = rows<{ buyer_id: string; n: number }>(
      await q(m)(
        `SELECT o.buyer_id, SUM(l.quantity)::int AS n FROM order_lines l JOIN orders o ON o.id = l.order_id
          WHERE o.buyer_id = ANY($1::uuid[]) AND ${byOffer ? 'l.deal_id' : 'l.product_id'} = $2
            AND o.status NOT IN ('cancelled', 'refunded')
          GROUP BY o.buyer_id`,
        [[...new Set(buyerIds)], byOffer ? scope.offerId : scope.productId],
      ),
    );
    return new Map(found.map((r) => [r.buyer_id, r.n]));
  }

  /**
   * The winners of a batch in ONE statement: their payments, orders, lines, reservations and first events (ids made
   * by the caller, so nothing has to be read back). Foreign keys are checked at the end of the statement.
   */
  async insertClaims(
    m: EntityManager,
    claims: ClaimRow[],
    provider: string,
    expiresAt: Date,
    now: Date,
  ): Promise<void> {
    if (!claims.length) return;
    const col = <T>(f: (c: ClaimRow) => T) => claims.map(f);
    await q(m)(
      `WITH x AS (
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::varchar[], $5::uuid[], $6::uuid[], $7::uuid[],
                              $8::varchar[], $9::varchar[], $10::bigint[], $11::int[], $12::jsonb[], $13::uuid[], $14::uuid[],
                              $18::varchar[], $19::varchar[])
           AS t(payment_id, order_id, line_id, number, buyer_id, cooperative_id, product_id, product_name, unit,
                unit_price_fen, quantity, address, show_id, deal_id, provider_ref, client_secret)
       ), pay AS (
         INSERT INTO payments (id, buyer_id, provider, amount_fen, currency, status, provider_ref, client_secret, created_at, updated_at)
         SELECT payment_id, buyer_id, $15, unit_price_fen * quantity, 'CNY', 'pending', provider_ref, client_secret, $17, $17 FROM x
       ), ord AS (
         INSERT INTO orders (id, number, buyer_id, cooperative_id, payment_id, status, subtotal_fen, shipping_fen, total_fen,
                             refunded_fen, currency, address, buyer_province, expires_at, show_id, created_at, updated_at)
         SELECT order_id, number, buyer_id, cooperative_id, payment_id, 'pending_payment', unit_price_fen * quantity, 0,
                unit_price_fen * quantity, 0, 'CNY', address, address->>'province', $16, show_id, $17, $17 FROM x
       ), lin AS (
         INSERT INTO order_lines (id, order_id, product_id, product_name, unit, unit_price_fen, quantity, line_total_fen, deal_id)
         SELECT line_id, order_id, product_id, product_name, unit, unit_price_fen, quantity, unit_price_fen * quantity, deal_id
           FROM x
       ), res AS (
         INSERT INTO reservations (order_id, product_id, deal_id, quantity, expires_at, created_at)
         SELECT order_id, product_id, deal_id, quantity, $16, $17 FROM x
       )
       INSERT INTO order_events (order_id, from_status, to_status, actor_kind, actor_id, note, at)
       SELECT order_id, NULL, 'pending_payment', 'buyer', buyer_id, '', $17 FROM x`,
      [
        col((c) => c.paymentId),
        col((c) => c.orderId),
        col((c) => c.lineId),
        col((c) => c.number),
        col((c) => c.buyerId),
        col((c) => c.cooperativeId),
        col((c) => c.productId),
        col((c) => c.productName),
        col((c) => c.unit),
        col((c) => c.unitPriceFen),
        col((c) => c.quantity),
        col((c) => JSON.stringify(c.address)),
        col((c) => c.showId),
        col((c) => c.offerId),
        provider,
        expiresAt,
        now,
        col((c) => c.providerRef ?? null),
        col((c) => c.clientSecret ?? null),
      ],
    );
  }

  /**
   * Takes discounts off orders just written (still pending payment, in this transaction) and off their payments, in
   * one statement each: never below one fen to pay (the discount hook caps it; the CHECKs hold it).
   */
  async applyDiscounts(m: EntityManager, discounts: Map<string, number>): Promise<void> {
    if (!discounts.size) return;
    const ids = [...discounts.keys()];
    const fen = ids.map((id) => discounts.get(id) as number);
    await q(m)(
      `WITH d AS (SELECT * FROM unnest($1::uuid[], $2::bigint[]) AS d(order_id, fen)),
            o AS (UPDATE orders SET total_fen = orders.total_fen - d.fen FROM d
                   WHERE orders.id = d.order_id AND orders.status = 'pending_payment' AND orders.total_fen > d.fen
                   RETURNING orders.payment_id, d.fen)
       UPDATE payments p SET amount_fen = p.amount_fen - s.fen
         FROM (SELECT payment_id, SUM(fen) AS fen FROM o GROUP BY payment_id) s WHERE p.id = s.payment_id`,
      [ids, fen],
    );
  }

  /** Removes products from buyers' carts (they were just ordered from the cart). */
  async clearCarts(m: EntityManager, items: { buyerId: string; productId: string }[]): Promise<void> {
    if (!items.length) return;
    await q(m)(
      `DELETE FROM cart_items c USING unnest($1::uuid[], $2::uuid[]) AS x(user_id, product_id)
        WHERE c.user_id = x.user_id AND c.product_id = x.product_id`,
      [items.map((i) => i.buyerId), items.map((i) => i.productId)],
    );
  }

  /** The units of an order's lines bought under an offer, per offer. */
  async offerUnits(m: EntityManager, orderId: string): Promise<{ offerId: string; quantity: number }[]> {
    const found = rows<{ deal_id: string; n: number }>(
      await q(m)(
        `SELECT deal_id, SUM(quantity)::int AS n FROM order_lines WHERE order_id = $1 AND deal_id IS NOT NULL GROUP BY deal_id`,
        [orderId],
      ),
    );
    return found.map((r) => ({ offerId: r.deal_id, quantity: r.n }));
  }

  /** Adds an order's lines to their products' sold counts (it was paid). */
  async countSold(m: EntityManager, orderId: string): Promise<void> {
    await q(m)(
      `UPDATE products p SET sold_count = p.sold_count + l.quantity FROM order_lines l WHERE l.order_id = $1 AND l.product_id = p.id`,
      [orderId],
    );
  }
}
