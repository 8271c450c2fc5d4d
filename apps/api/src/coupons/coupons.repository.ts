import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { CouponValidity, LiveCoupon, MyCoupon } from '@xiangbo/contracts';

/**
 * The live coupons' SQL. Every method runs on the caller's EntityManager (a transaction or the pool); the rules
 * (who may drop, which coupon an order uses, the batch's caps) live in the service and in libs/domain.
 */

type Query = (sql: string, params?: unknown[]) => Promise<unknown>;
const q =
  (m: EntityManager): Query =>
  (sql, params) =>
    m.query(sql, params);

/** node-postgres through TypeORM answers UPDATE … RETURNING with [rows, count]. */
function rows<T>(r: unknown): T[] {
  return (Array.isArray(r) && Array.isArray(r[0]) ? r[0] : r) as T[];
}

export interface ShowForCoupons {
  id: string;
  cooperativeId: string;
  hostId: string;
  status: string;
  title: string;
}

/** A coupon with what a claim needs to know of its show. */
export type CouponRow = LiveCoupon & { showStatus: string; showTitle: string };

/** A claimed coupon a buyer can still use (for the discount hook and the quote). */
export interface UsableRow {
  id: string;
  userId: string;
  couponId: string;
  showId: string;
  showTitle: string;
  cooperativeId: string;
  cooperativeName: string;
  amountOffFen: number;
  minSpendFen: number;
  validUntil: string | null;
  claimedAt: string;
}

const COUPON_COLUMNS = `c.id, c.show_id, c.cooperative_id, co.name AS cooperative_name, c.amount_off_fen::text,
  c.min_spend_fen::text, c.quantity, c.claimed, c.per_viewer_limit, c.validity, c.status, c.created_at,
  s.status AS show_status, s.title AS show_title`;

interface CouponDbRow {
  id: string;
  show_id: string;
  cooperative_id: string;
  cooperative_name: string;
  amount_off_fen: string;
  min_spend_fen: string;
  quantity: number;
  claimed: number;
  per_viewer_limit: number;
  validity: CouponValidity;
  status: 'live' | 'stopped';
  created_at: Date;
  show_status: string;
  show_title: string;
}

function toCoupon(r: CouponDbRow): CouponRow {
  return {
    id: r.id,
    showId: r.show_id,
    cooperativeId: r.cooperative_id,
    cooperativeName: r.cooperative_name,
    amountOffFen: Number(r.amount_off_fen),
    minSpendFen: Number(r.min_spend_fen),
    quantity: r.quantity,
    claimed: r.claimed,
    perViewerLimit: r.per_viewer_limit,
    validity: r.validity,
    status: r.status,
    createdAt: new Date(r.created_at).toISOString(),
    showStatus: r.show_status,
    showTitle: r.show_title,
  };
}

/** Whether a claimed coupon can be used now: a dated one until its time, a show one while its show is live. */
const STILL_VALID = `((cc.valid_until IS NOT NULL AND cc.valid_until > now()) OR (cc.valid_until IS NULL AND s.status = 'live'))`;

@Injectable()
export class CouponsRepository {
  async show(m: EntityManager, showId: string): Promise<ShowForCoupons | null> {
    const [r] = rows<{ id: string; cooperative_id: string; host_id: string; status: string; title: string }>(
      await q(m)(`SELECT id, cooperative_id, host_id, status, title FROM shows WHERE id = $1`, [showId]),
    );
    return r
      ? { id: r.id, cooperativeId: r.cooperative_id, hostId: r.host_id, status: r.status, title: r.title }
      : null;
  }

  async insertCoupon(
    m: EntityManager,
    c: {
      showId: string;
      cooperativeId: string;
      amountOffFen: number;
      minSpendFen: number;
      quantity: number;
      perViewerLimit: number;
      validity: CouponValidity;
      createdBy: string;
    },
  ): Promise<string> {
    const [r] = rows<{ id: string }>(
      await q(m)(
        `INSERT INTO coupons (show_id, cooperative_id, amount_off_fen, min_spend_fen, quantity, per_viewer_limit, validity, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [
          c.showId,
          c.cooperativeId,
          c.amountOffFen,
          c.minSpendFen,
          c.quantity,
          c.perViewerLimit,
          c.validity,
          c.createdBy,
        ],
      ),
    );
    return r.id;
  }

  async coupon(m: EntityManager, id: string): Promise<CouponRow | null> {
    const [r] = rows<CouponDbRow>(
      await q(m)(
        `SELECT ${COUPON_COLUMNS} FROM coupons c JOIN shows s ON s.id = c.show_id
           JOIN cooperatives co ON co.id = c.cooperative_id WHERE c.id = $1`,
        [id],
      ),
    );
    return r ? toCoupon(r) : null;
  }

  /** A show's coupons, newest first, with how many each viewer (if any) holds, and (console) used and paid. */
  async forShow(
    m: EntityManager,
    showId: string,
    userId: string | null,
  ): Promise<(CouponRow & { mine: number; used: number; paid: number })[]> {
    const found = rows<CouponDbRow & { mine: number; used: number; paid: number }>(
      await q(m)(
        `SELECT ${COUPON_COLUMNS},
                (SELECT count(*)::int FROM coupon_claims x WHERE x.coupon_id = c.id AND x.user_id = $2) AS mine,
                (SELECT count(*)::int FROM coupon_claims x WHERE x.coupon_id = c.id AND x.status = 'used') AS used,
                (SELECT count(*)::int FROM coupon_claims x JOIN orders o ON o.id = x.order_id
                  WHERE x.coupon_id = c.id AND x.status = 'used' AND o.paid_at IS NOT NULL) AS paid
           FROM coupons c JOIN shows s ON s.id = c.show_id JOIN cooperatives co ON co.id = c.cooperative_id
          WHERE c.show_id = $1 ORDER BY c.created_at DESC, c.id`,
        [showId, userId],
      ),
    );
    return found.map((r) => ({ ...toCoupon(r), mine: r.mine, used: r.used, paid: r.paid }));
  }

  async stop(m: EntityManager, couponId: string): Promise<void> {
    await q(m)(`UPDATE coupons SET status = 'stopped' WHERE id = $1`, [couponId]);
  }

  /**
   * Serialises viewers' claims of one coupon until the transaction ends (sorted: two batches never wait in a circle),
   * so each viewer's limit is decided with what they hold, exactly, over every process.
   */
  async lockViewers(m: EntityManager, couponId: string, userIds: string[]): Promise<void> {
    const keys = [...new Set(userIds)].sort().map((u) => `coupon:${couponId}:${u}`);
    if (!keys.length) return;
    await q(m)(`SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) AS k`, [keys]);
  }

  /** How many of a coupon each viewer holds (claimed or used). */
  async held(m: EntityManager, couponId: string, userIds: string[]): Promise<Map<string, number>> {
    const found = rows<{ user_id: string; n: number }>(
      await q(m)(
        `SELECT user_id, count(*)::int AS n FROM coupon_claims WHERE coupon_id = $1 AND user_id = ANY($2::uuid[]) GROUP BY user_id`,
        [couponId, [...new Set(userIds)]],
      ),
    );
    return new Map(found.map((r) => [r.user_id, r.n]));
  }

  /**
   * A batch's ONE guarded statement on the coupon's row: takes `want` coupons or what remains (claimed never above
   * quantity), only while the drop is live and its show on air. How many it took and how many are left, or why none.
   */
  async takeUpTo(
    m: EntityManager,
    couponId: string,
    want: number,
  ): Promise<{ taken: number; left: number } | { taken: 0; reason: 'GONE' | 'CLOSED' }> {
    const [row] = rows<{ taken: number; left: number }>(
      await q(m)(
        `WITH cur AS (SELECT c.id, c.quantity - c.claimed AS remaining FROM coupons c WHERE c.id = $1 FOR NO KEY UPDATE)
         UPDATE coupons c SET claimed = c.claimed + LEAST(cur.remaining, $2) FROM cur
          WHERE c.id = cur.id AND cur.remaining > 0 AND c.status = 'live'
            AND EXISTS (SELECT 1 FROM shows s WHERE s.id = c.show_id AND s.status = 'live')
          RETURNING LEAST(cur.remaining, $2)::int AS taken, (c.quantity - c.claimed)::int AS left`,
        [couponId, want],
      ),
    );
    if (row) return { taken: row.taken, left: row.left };
    const [now] = rows<{ remaining: number; open: boolean }>(
      await q(m)(
        `SELECT c.quantity - c.claimed AS remaining, (c.status = 'live' AND s.status = 'live') AS open
           FROM coupons c JOIN shows s ON s.id = c.show_id WHERE c.id = $1`,
        [couponId],
      ),
    );
    return { taken: 0, reason: !now || !now.open ? 'CLOSED' : 'GONE' };
  }

  /** Gives back coupons a batch took but could not hand out. */
  async giveBack(m: EntityManager, couponId: string, n: number): Promise<void> {
    if (n > 0) await q(m)(`UPDATE coupons SET claimed = claimed - $2 WHERE id = $1`, [couponId, n]);
  }

  /** The winners' claims in one statement; (coupon, user, n) is unique, so a mistake can never hand out more. */
  async insertClaims(
    m: EntityManager,
    couponId: string,
    claims: { id: string; userId: string; n: number; validUntil: Date | null }[],
    now: Date,
  ): Promise<void> {
    if (!claims.length) return;
    await q(m)(
      `INSERT INTO coupon_claims (id, coupon_id, user_id, n, status, valid_until, claimed_at)
       SELECT x.id, $1, x.user_id, x.n, 'claimed', x.valid_until, $6
         FROM unnest($2::uuid[], $3::uuid[], $4::int[], $5::timestamptz[]) AS x(id, user_id, n, valid_until)`,
      [
        couponId,
        claims.map((c) => c.id),
        claims.map((c) => c.userId),
        claims.map((c) => c.n),
        claims.map((c) => c.validUntil),
        now,
      ],
    );
  }

  /** The claimed coupons these buyers can still use now (the discount hook, the quote). */
  async usable(m: EntityManager, userIds: string[]): Promise<UsableRow[]> {
    return this.claimsOf(m, userIds, `cc.status = 'claimed' AND c.status IN ('live','stopped') AND ${STILL_VALID}`);
  }

  /** Every coupon a buyer holds, newest first (我的优惠券), with its status. */
  async mine(m: EntityManager, userId: string): Promise<MyCoupon[]> {
    const found = rows<
      UsableDb & { status: string; valid: boolean; order_id: string | null; discount_fen: string | null }
    >(
      await q(m)(
        `SELECT ${CLAIM_COLUMNS}, cc.status, ${STILL_VALID} AS valid, cc.order_id, cc.discount_fen::text
           FROM coupon_claims cc JOIN coupons c ON c.id = cc.coupon_id JOIN shows s ON s.id = c.show_id
           JOIN cooperatives co ON co.id = c.cooperative_id
          WHERE cc.user_id = $1 ORDER BY cc.claimed_at DESC, cc.id LIMIT 200`,
        [userId],
      ),
    );
    return found.map((r) => ({
      ...toUsable(r),
      status: r.status === 'used' ? 'used' : r.valid ? 'usable' : 'expired',
      orderId: r.order_id,
      discountFen: r.discount_fen === null ? null : Number(r.discount_fen),
    }));
  }

  private async claimsOf(m: EntityManager, userIds: string[], where: string): Promise<UsableRow[]> {
    if (!userIds.length) return [];
    const found = rows<UsableDb>(
      await q(m)(
        `SELECT ${CLAIM_COLUMNS}
           FROM coupon_claims cc JOIN coupons c ON c.id = cc.coupon_id JOIN shows s ON s.id = c.show_id
           JOIN cooperatives co ON co.id = c.cooperative_id
          WHERE cc.user_id = ANY($1::uuid[]) AND ${where}`,
        [[...new Set(userIds)]],
      ),
    );
    return found.map(toUsable);
  }

  /**
   * Using a coupon: the compare-and-set claimed → used, only by its holder, only while it is valid. Whether this
   * call made the move (a coupon is never on two orders).
   */
  async use(m: EntityManager, claimId: string, userId: string, orderId: string, discountFen: number): Promise<boolean> {
    const r = rows<{ id: string }>(
      await q(m)(
        `UPDATE coupon_claims cc SET status = 'used', order_id = $3, discount_fen = $4, used_at = now()
           FROM coupons c JOIN shows s ON s.id = c.show_id
          WHERE cc.id = $1 AND cc.user_id = $2 AND cc.status = 'claimed' AND c.id = cc.coupon_id AND ${STILL_VALID}
          RETURNING cc.id`,
        [claimId, userId, orderId, discountFen],
      ),
    );
    return r.length > 0;
  }

  /** Gives back the coupon an unpaid order held: used → claimed, once (the one caller that moves it). */
  async release(m: EntityManager, orderId: string): Promise<{ id: string; couponId: string }[]> {
    const r = rows<{ id: string; coupon_id: string }>(
      await q(m)(
        `UPDATE coupon_claims SET status = 'claimed', order_id = NULL, discount_fen = NULL, used_at = NULL
          WHERE order_id = $1 AND status = 'used' RETURNING id, coupon_id`,
        [orderId],
      ),
    );
    return r.map((x) => ({ id: x.id, couponId: x.coupon_id }));
  }

  /** The coupon an order used (its detail). */
  async ofOrder(
    m: EntityManager,
    orderId: string,
  ): Promise<{ claimId: string; amountOffFen: number; discountFen: number } | null> {
    const [r] = rows<{ id: string; amount_off_fen: string; discount_fen: string }>(
      await q(m)(
        `SELECT cc.id, c.amount_off_fen::text, cc.discount_fen::text FROM coupon_claims cc JOIN coupons c ON c.id = cc.coupon_id
          WHERE cc.order_id = $1 AND cc.status = 'used'`,
        [orderId],
      ),
    );
    return r ? { claimId: r.id, amountOffFen: Number(r.amount_off_fen), discountFen: Number(r.discount_fen) } : null;
  }
}

const CLAIM_COLUMNS = `cc.id, cc.user_id, cc.coupon_id, c.show_id, s.title AS show_title, c.cooperative_id,
  co.name AS cooperative_name, c.amount_off_fen::text, c.min_spend_fen::text, cc.valid_until, cc.claimed_at`;

interface UsableDb {
  id: string;
  user_id: string;
  coupon_id: string;
  show_id: string;
  show_title: string;
  cooperative_id: string;
  cooperative_name: string;
  amount_off_fen: string;
  min_spend_fen: string;
  valid_until: Date | null;
  claimed_at: Date;
}

function toUsable(r: UsableDb): UsableRow {
  return {
    id: r.id,
    userId: r.user_id,
    couponId: r.coupon_id,
    showId: r.show_id,
    showTitle: r.show_title,
    cooperativeId: r.cooperative_id,
    cooperativeName: r.cooperative_name,
    amountOffFen: Number(r.amount_off_fen),
    minSpendFen: Number(r.min_spend_fen),
    validUntil: r.valid_until ? new Date(r.valid_until).toISOString() : null,
    claimedAt: new Date(r.claimed_at).toISOString(),
  };
}
