import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PresaleRowStatus } from './entities/presale.entity';
import type { PresaleOrderStatus } from './entities/presale-order.entity';

/** Rows of a query, whether the driver answered a SELECT (rows) or an UPDATE … RETURNING ([rows, count]). */
const rows = <T>(r: unknown): T[] => (Array.isArray(r) && Array.isArray(r[0]) ? r[0] : r) as T[];
const q =
  (m: EntityManager) =>
  async <T>(sql: string, params: unknown[] = []): Promise<T[]> =>
    rows<T>(await m.query(sql, params));

export interface PresaleRow {
  id: string;
  product_id: string;
  cooperative_id: string;
  deposit_fen: string;
  balance_fen: string;
  guaranteed_fen: string;
  ship_from: string;
  ship_to: string;
  balance_days: number;
  cap: number;
  taken: number;
  status: PresaleRowStatus;
  balance_due_at: Date | null;
  harvested_at: Date | null;
  cancelled_at: Date | null;
  cancel_reason: string | null;
  created_at: Date;
}

export interface PromiseRow {
  household_id: string;
  head_name: string;
  quantity: number;
}

export interface PresaleOrderRow {
  order_id: string;
  presale_id: string;
  buyer_id: string;
  quantity: number;
  status: PresaleOrderStatus;
  balance_order_id: string | null;
  refund_id: string | null;
}

const PRESALE_COLS = `p.id, p.product_id, p.cooperative_id, p.deposit_fen, p.balance_fen, p.guaranteed_fen,
  to_char(p.ship_from, 'YYYY-MM-DD') AS ship_from, to_char(p.ship_to, 'YYYY-MM-DD') AS ship_to, p.balance_days,
  p.cap, p.taken, p.status, p.balance_due_at, p.harvested_at, p.cancelled_at, p.cancel_reason, p.created_at`;

/** Every statement of the pre-sale feature (rules live in the service). */
@Injectable()
export class PresaleRepository {
  // ---- pre-sales ------------------------------------------------------------------------------------------

  async product(
    m: EntityManager,
    productId: string,
  ): Promise<{ id: string; cooperative_id: string; name_zh: string; unit: string } | null> {
    const [p] = await q(m)<{ id: string; cooperative_id: string; name_zh: string; unit: string }>(
      `SELECT id, cooperative_id, name_zh, unit FROM products WHERE id = $1`,
      [productId],
    );
    return p ?? null;
  }

  /** The cooperative's households among `ids`: its members, and those who supplied its lots (the others are not). */
  async householdsOf(m: EntityManager, cooperativeId: string, ids: string[]): Promise<Set<string>> {
    const found = await q(m)<{ id: string }>(
      `SELECT household_id AS id FROM memberships WHERE cooperative_id = $1 AND household_id = ANY($2::uuid[])
       UNION
       SELECT s.household_id FROM lot_supplies s JOIN lots l ON l.id = s.lot_id JOIN products p ON p.id = l.product_id
        WHERE p.cooperative_id = $1 AND s.household_id = ANY($2::uuid[])`,
      [cooperativeId, ids],
    );
    return new Set(found.map((h) => h.id));
  }

  async insert(
    m: EntityManager,
    p: {
      productId: string;
      cooperativeId: string;
      depositFen: number;
      balanceFen: number;
      guaranteedFen: number;
      shipFrom: string;
      shipTo: string;
      balanceDays: number;
      promises: { householdId: string; quantity: number }[];
      by: string;
    },
  ): Promise<string> {
    const cap = p.promises.reduce((s, x) => s + x.quantity, 0);
    const [row] = await q(m)<{ id: string }>(
      `INSERT INTO presales (product_id, cooperative_id, deposit_fen, balance_fen, guaranteed_fen, ship_from, ship_to,
                             balance_days, cap, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [
        p.productId,
        p.cooperativeId,
        p.depositFen,
        p.balanceFen,
        p.guaranteedFen,
        p.shipFrom,
        p.shipTo,
        p.balanceDays,
        cap,
        p.by,
      ],
    );
    await q(m)(
      `INSERT INTO presale_promises (presale_id, household_id, quantity)
       SELECT $1, h, n FROM unnest($2::uuid[], $3::int[]) AS t(h, n)`,
      [row.id, p.promises.map((x) => x.householdId), p.promises.map((x) => x.quantity)],
    );
    return row.id;
  }

  async presale(m: EntityManager, id: string, lock = false): Promise<PresaleRow | null> {
    const [row] = await q(m)<PresaleRow>(
      `SELECT ${PRESALE_COLS} FROM presales p WHERE p.id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return row ?? null;
  }

  /** The product's pre-sale that is not cancelled (open or harvested), if any. */
  async liveOfProduct(m: EntityManager, productId: string): Promise<PresaleRow | null> {
    const [row] = await q(m)<PresaleRow>(
      `SELECT ${PRESALE_COLS} FROM presales p WHERE p.product_id = $1 AND p.status <> 'cancelled'`,
      [productId],
    );
    return row ?? null;
  }

  /** The id of the product's open pre-sale (the offer its orders are placed under), if any. */
  async openIdOfProduct(m: EntityManager, productId: string): Promise<string | null> {
    return (await this.openIdsOfProducts(m, [productId])).get(productId) ?? null;
  }

  /** The open pre-sale of each of these products that has one (product id → pre-sale id), in one statement. */
  async openIdsOfProducts(m: EntityManager, productIds: string[]): Promise<Map<string, string>> {
    const rows = await q(m)<{ id: string; product_id: string }>(
      `SELECT id, product_id FROM presales WHERE product_id = ANY($1::uuid[]) AND status = 'open'`,
      [productIds],
    );
    return new Map(rows.map((r) => [r.product_id, r.id]));
  }

  async ofCooperative(m: EntityManager, cooperativeId: string): Promise<(PresaleRow & { product_name: string })[]> {
    return q(m)<PresaleRow & { product_name: string }>(
      `SELECT ${PRESALE_COLS}, pr.name_zh AS product_name FROM presales p JOIN products pr ON pr.id = p.product_id
        WHERE p.cooperative_id = $1 ORDER BY p.created_at DESC LIMIT 100`,
      [cooperativeId],
    );
  }

  async promises(m: EntityManager, presaleIds: string[]): Promise<Map<string, PromiseRow[]>> {
    const found = await q(m)<PromiseRow & { presale_id: string }>(
      `SELECT s.presale_id, s.household_id, h.head_name, s.quantity FROM presale_promises s
         JOIN households h ON h.id = s.household_id
        WHERE s.presale_id = ANY($1::uuid[]) ORDER BY s.quantity DESC, s.household_id`,
      [presaleIds],
    );
    const out = new Map<string, PromiseRow[]>();
    for (const r of found) out.set(r.presale_id, [...(out.get(r.presale_id) ?? []), r]);
    return out;
  }

  /** open → harvested (balance due by `dueAt`), or open → cancelled; false when it was not open. */
  async harvest(m: EntityManager, id: string, dueAt: Date): Promise<boolean> {
    const moved = await q(m)(
      `UPDATE presales SET status = 'harvested', harvested_at = now(), balance_due_at = $2
        WHERE id = $1 AND status = 'open' RETURNING id`,
      [id, dueAt],
    );
    return moved.length > 0;
  }

  async cancel(m: EntityManager, id: string, reason: string): Promise<boolean> {
    const moved = await q(m)(
      `UPDATE presales SET status = 'cancelled', cancelled_at = now(), cancel_reason = $2
        WHERE id = $1 AND status = 'open' RETURNING id`,
      [id, reason],
    );
    return moved.length > 0;
  }

  // ---- units (orders' reserve and release hooks) ------------------------------------------------------------

  /** Takes up to `want` units of an open pre-sale with ONE conditional statement: how many it took and what is left. */
  async take(m: EntityManager, id: string, want: number): Promise<{ taken: number; left: number } | null> {
    const [row] = await q(m)<{ taken: number; left: number }>(
      `WITH cur AS (SELECT id, LEAST($2::int, cap - taken) AS n FROM presales
                     WHERE id = $1 AND status = 'open' AND taken < cap FOR UPDATE)
       UPDATE presales p SET taken = p.taken + cur.n FROM cur WHERE p.id = cur.id
       RETURNING cur.n AS taken, p.cap - p.taken AS left`,
      [id, want],
    );
    return row ? { taken: Number(row.taken), left: Number(row.left) } : null;
  }

  async giveBack(m: EntityManager, id: string, quantity: number): Promise<void> {
    await q(m)(`UPDATE presales SET taken = GREATEST(0, taken - $2::int) WHERE id = $1`, [id, quantity]);
  }

  async isPresale(m: EntityManager, id: string): Promise<boolean> {
    const [row] = await q(m)(`SELECT 1 FROM presales WHERE id = $1`, [id]);
    return Boolean(row);
  }

  // ---- the buyers' pre-sale orders --------------------------------------------------------------------------

  /** The deposit was paid: the buyer's pre-sale order (once: a repeated delivery writes nothing). */
  async depositPaid(m: EntityManager, o: { orderId: string; presaleId: string; buyerId: string; quantity: number }) {
    await q(m)(
      `INSERT INTO presale_orders (order_id, presale_id, buyer_id, quantity) VALUES ($1, $2, $3, $4)
       ON CONFLICT (order_id) DO NOTHING`,
      [o.orderId, o.presaleId, o.buyerId, o.quantity],
    );
  }

  /** The pre-sale order an order belongs to, as its deposit order or its balance order (locked if asked). */
  async orderOf(
    m: EntityManager,
    orderId: string,
    lock = false,
  ): Promise<(PresaleOrderRow & { balance: boolean }) | null> {
    const [row] = await q(m)<PresaleOrderRow & { balance: boolean }>(
      `SELECT po.*, po.balance_order_id = $1 AS balance FROM presale_orders po
        WHERE po.order_id = $1 OR po.balance_order_id = $1${lock ? ' FOR UPDATE' : ''}`,
      [orderId],
    );
    return row ?? null;
  }

  async setBalanceOrder(m: EntityManager, orderId: string, balanceOrderId: string): Promise<void> {
    await q(m)(`UPDATE presale_orders SET status = 'balance_pending', balance_order_id = $2 WHERE order_id = $1`, [
      orderId,
      balanceOrderId,
    ]);
  }

  /** A balance order's units were sold once already (its deposit order's): takes them off the product's count. */
  async uncountSold(m: EntityManager, balanceOrderId: string): Promise<void> {
    await q(m)(
      `UPDATE products p SET sold_count = GREATEST(0, p.sold_count - l.quantity)
         FROM order_lines l WHERE l.order_id = $1 AND l.product_id = p.id`,
      [balanceOrderId],
    );
  }

  async setStatus(m: EntityManager, orderId: string, status: PresaleOrderStatus): Promise<void> {
    await q(m)(`UPDATE presale_orders SET status = $2 WHERE order_id = $1`, [orderId, status]);
  }

  async setRefunding(m: EntityManager, orderId: string, refundId: string | null): Promise<void> {
    await q(m)(`UPDATE presale_orders SET status = 'refunding', refund_id = $2 WHERE order_id = $1`, [
      orderId,
      refundId,
    ]);
  }

  /**
   * Deposit orders paid without their pre-sale order (a payment that arrived after the order had expired is taken
   * again by orders without the afterPayment hook): written now, their units taken from the promises again (up to
   * the cap), so they are shipped, settled or refunded like the others. Returns how many.
   */
  async adoptPaidDeposits(m: EntityManager, presaleId?: string): Promise<number> {
    const adopted = await q(m)<{ presale_id: string; quantity: number }>(
      `INSERT INTO presale_orders (order_id, presale_id, buyer_id, quantity)
       SELECT o.id, l.deal_id, o.buyer_id, l.quantity
         FROM order_lines l JOIN presales p ON p.id = l.deal_id JOIN orders o ON o.id = l.order_id
        WHERE ($1::uuid IS NULL OR p.id = $1) AND o.status = 'paid'
          AND NOT EXISTS (SELECT 1 FROM presale_orders x WHERE x.order_id = o.id OR x.balance_order_id = o.id)
       ON CONFLICT (order_id) DO NOTHING
       RETURNING presale_id, quantity`,
      [presaleId ?? null],
    );
    for (const a of adopted)
      await q(m)(`UPDATE presales SET taken = LEAST(cap, taken + $2::int) WHERE id = $1`, [a.presale_id, a.quantity]);
    return adopted.length;
  }

  /** Deposit orders to refund: of a cancelled pre-sale, or whose balance was not paid by `lateBefore`. */
  async toRefund(m: EntityManager, lateBefore: Date, presaleId?: string): Promise<string[]> {
    const found = await q(m)<{ order_id: string }>(
      `SELECT po.order_id FROM presale_orders po JOIN presales p ON p.id = po.presale_id
        WHERE ($2::uuid IS NULL OR p.id = $2)
          AND ((p.status = 'cancelled' AND po.status IN ('deposit_paid', 'balance_pending', 'refunding'))
            OR (p.status = 'harvested' AND p.balance_fen > 0 AND p.balance_due_at < $1
                AND po.status IN ('deposit_paid', 'balance_pending', 'refunding')))
          AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = po.order_id AND r.status = 'succeeded')
        ORDER BY po.created_at LIMIT 500`,
      [lateBefore, presaleId ?? null],
    );
    return found.map((r) => r.order_id);
  }

  /** Status of orders by id (orders' own column, read only). */
  async orderStatuses(m: EntityManager, ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const found = await q(m)<{ id: string; status: string }>(
      `SELECT id, status FROM orders WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(found.map((r) => [r.id, r.status]));
  }

  async ofBuyer(m: EntityManager, buyerId: string) {
    return q(m)<
      PresaleOrderRow & {
        product_id: string;
        product_name: string;
        order_status: string;
        balance_status: string | null;
      }
    >(
      `SELECT po.*, p.product_id, pr.name_zh AS product_name, o.status AS order_status, b.status AS balance_status
         FROM presale_orders po JOIN presales p ON p.id = po.presale_id JOIN products pr ON pr.id = p.product_id
         JOIN orders o ON o.id = po.order_id LEFT JOIN orders b ON b.id = po.balance_order_id
        WHERE po.buyer_id = $1 ORDER BY po.created_at DESC LIMIT 200`,
      [buyerId],
    );
  }

  /** The cooperative's pre-sale orders, newest first, with both orders' statuses. */
  async ofCooperativeOrders(m: EntityManager, cooperativeId: string) {
    return q(m)<
      PresaleOrderRow & {
        number: string;
        product_name: string;
        order_status: string;
        balance_status: string | null;
      }
    >(
      `SELECT po.*, o.number, pr.name_zh AS product_name, o.status AS order_status, b.status AS balance_status
         FROM presale_orders po JOIN presales p ON p.id = po.presale_id JOIN products pr ON pr.id = p.product_id
         JOIN orders o ON o.id = po.order_id LEFT JOIN orders b ON b.id = po.balance_order_id
        WHERE p.cooperative_id = $1 ORDER BY po.created_at DESC LIMIT 500`,
      [cooperativeId],
    );
  }

  /** Counts of a pre-sale's orders by state, and units held by paid deposits. */
  async counts(m: EntityManager, presaleIds: string[]) {
    const found = await q(m)<{ presale_id: string; status: string; n: number; units: number }>(
      `SELECT presale_id, status, count(*)::int AS n, sum(quantity)::int AS units FROM presale_orders
        WHERE presale_id = ANY($1::uuid[]) GROUP BY presale_id, status`,
      [presaleIds],
    );
    return found;
  }

  /** For settlement: the pre-sale terms of orders among `orderIds` (deposit or balance orders). */
  async settlementTerms(m: EntityManager, orderIds: string[]) {
    return q(m)<{
      order_id: string;
      balance: boolean;
      quantity: number;
      presale_id: string;
      deposit_fen: string;
      balance_fen: string;
      guaranteed_fen: string;
    }>(
      `SELECT x.id AS order_id, x.id = po.balance_order_id AS balance, po.quantity, p.id AS presale_id,
              p.deposit_fen, p.balance_fen, p.guaranteed_fen
         FROM unnest($1::uuid[]) AS x(id)
         JOIN presale_orders po ON po.order_id = x.id OR po.balance_order_id = x.id
         JOIN presales p ON p.id = po.presale_id`,
      [orderIds],
    );
  }

  /** Public: the cooperative's pre-sales that are not cancelled, newest first. */
  async publicOfCooperative(m: EntityManager, cooperativeId: string) {
    return q(m)<PresaleRow & { product_name: string; ordered: number }>(
      `SELECT ${PRESALE_COLS}, pr.name_zh AS product_name,
              (SELECT coalesce(sum(po.quantity), 0)::int FROM presale_orders po
                WHERE po.presale_id = p.id AND po.status <> 'refunding') AS ordered
         FROM presales p JOIN products pr ON pr.id = p.product_id
        WHERE p.cooperative_id = $1 ORDER BY p.created_at DESC LIMIT 50`,
      [cooperativeId],
    );
  }
}
