import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { GroupBuyStatus } from '@xiangbo/contracts';
import type { GroupMemberStatus } from './entities/group-buy-member.entity';

/** Rows of a query, whether the driver answered a SELECT (rows) or an UPDATE … RETURNING ([rows, count]). */
const rows = <T>(r: unknown): T[] => (Array.isArray(r) && Array.isArray(r[0]) ? r[0] : r) as T[];
const q =
  (m: EntityManager) =>
  async <T>(sql: string, params: unknown[] = []): Promise<T[]> =>
    rows<T>(await m.query(sql, params));

export interface OfferRow {
  product_id: string;
  cooperative_id: string;
  size: number;
  group_price_fen: string;
  window_hours: number;
  active: boolean;
  /** The product's normal price and whether it can be bought now. */
  price_fen: string;
  on_sale: boolean;
}

export interface GroupRow {
  id: string;
  product_id: string;
  cooperative_id: string;
  leader_id: string;
  size: number;
  group_price_fen: string;
  status: GroupBuyStatus;
  expires_at: Date;
  formed_at: Date | null;
  created_at: Date;
}

export interface MemberRow {
  id: string;
  group_id: string;
  buyer_id: string;
  leader: boolean;
  quantity: number;
  status: GroupMemberStatus;
  order_id: string | null;
  payment_id: string | null;
  refund_id: string | null;
}

/** Every statement of the group-buy feature (rules live in the services). */
@Injectable()
export class GroupBuysRepository {
  // ---- the offer ------------------------------------------------------------------------------------------

  /** The product (published or not) with its cooperative and its offer, if any. */
  async productWithOffer(
    m: EntityManager,
    productId: string,
  ): Promise<{ id: string; cooperative_id: string; price_fen: string; offer: OfferRow | null } | null> {
    const [p] = await q(m)<{ id: string; cooperative_id: string; price_fen: string }>(
      `SELECT id, cooperative_id, price_fen FROM products WHERE id = $1`,
      [productId],
    );
    if (!p) return null;
    return { ...p, offer: await this.offer(m, productId) };
  }

  /** The product's offer, with whether the product can be bought (published, cooperative approved). */
  async offer(m: EntityManager, productId: string, lock = false): Promise<OfferRow | null> {
    const [o] = await q(m)<OfferRow>(
      `SELECT g.product_id, g.cooperative_id, g.size, g.group_price_fen, g.window_hours, g.active, p.price_fen,
              (p.published AND c.status = 'approved') AS on_sale
         FROM group_buy_offers g JOIN products p ON p.id = g.product_id JOIN cooperatives c ON c.id = p.cooperative_id
        WHERE g.product_id = $1 ${lock ? 'FOR SHARE OF g' : ''}`,
      [productId],
    );
    return o ?? null;
  }

  async saveOffer(
    m: EntityManager,
    o: {
      productId: string;
      cooperativeId: string;
      size: number;
      groupPriceFen: number;
      windowHours: number;
      active: boolean;
      by: string;
    },
  ): Promise<void> {
    await m.query(
      `INSERT INTO group_buy_offers (product_id, cooperative_id, size, group_price_fen, window_hours, active, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (product_id) DO UPDATE SET size = EXCLUDED.size, group_price_fen = EXCLUDED.group_price_fen,
         window_hours = EXCLUDED.window_hours, active = EXCLUDED.active, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [o.productId, o.cooperativeId, o.size, o.groupPriceFen, o.windowHours, o.active, o.by],
    );
  }

  // ---- groups and seats -----------------------------------------------------------------------------------

  async insertGroup(
    m: EntityManager,
    g: {
      productId: string;
      cooperativeId: string;
      leaderId: string;
      size: number;
      groupPriceFen: number;
      windowHours: number;
    },
  ): Promise<{ id: string; expires_at: Date }> {
    const [row] = await q(m)<{ id: string; expires_at: Date }>(
      `INSERT INTO group_buys (product_id, cooperative_id, leader_id, size, group_price_fen, status, expires_at)
       VALUES ($1, $2, $3, $4, $5, 'open', now() + make_interval(hours => $6)) RETURNING id, expires_at`,
      [g.productId, g.cooperativeId, g.leaderId, g.size, g.groupPriceFen, g.windowHours],
    );
    return row;
  }

  async insertMember(
    m: EntityManager,
    s: { groupId: string; buyerId: string; leader: boolean; quantity: number },
  ): Promise<string> {
    const [row] = await q(m)<{ id: string }>(
      `INSERT INTO group_buy_members (group_id, buyer_id, leader, quantity, status) VALUES ($1, $2, $3, $4, 'holding') RETURNING id`,
      [s.groupId, s.buyerId, s.leader, s.quantity],
    );
    return row.id;
  }

  /** The group row, locked: every change of a group's seats or status is decided under this lock. */
  async lockGroup(m: EntityManager, groupId: string): Promise<GroupRow | null> {
    const [g] = await q(m)<GroupRow>(`SELECT * FROM group_buys WHERE id = $1 FOR UPDATE`, [groupId]);
    return g ?? null;
  }

  /** The group of a seat, locked. */
  async lockGroupOfMember(m: EntityManager, memberId: string): Promise<GroupRow | null> {
    const [g] = await q(m)<GroupRow>(
      `SELECT g.* FROM group_buys g WHERE g.id = (SELECT group_id FROM group_buy_members WHERE id = $1) FOR UPDATE`,
      [memberId],
    );
    return g ?? null;
  }

  async group(m: EntityManager, groupId: string): Promise<GroupRow | null> {
    const [g] = await q(m)<GroupRow>(`SELECT * FROM group_buys WHERE id = $1`, [groupId]);
    return g ?? null;
  }

  /** Seats taken (every live member) and paid, and whether this buyer holds one. */
  async seats(
    m: EntityManager,
    groupId: string,
    buyerId: string,
  ): Promise<{ taken: number; paid: number; mine: boolean }> {
    const [r] = await q(m)<{ taken: number; paid: number; mine: boolean }>(
      `SELECT count(*) FILTER (WHERE status <> 'left')::int AS taken,
              count(*) FILTER (WHERE status IN ('paid', 'refunding'))::int AS paid,
              coalesce(bool_or(buyer_id = $2 AND status <> 'left'), false) AS mine
         FROM group_buy_members WHERE group_id = $1`,
      [groupId, buyerId],
    );
    return r;
  }

  async paidCount(m: EntityManager, groupId: string): Promise<number> {
    const [r] = await q(m)<{ n: number }>(
      `SELECT count(*)::int AS n FROM group_buy_members WHERE group_id = $1 AND status IN ('paid', 'refunding')`,
      [groupId],
    );
    return r.n;
  }

  /** Seats whose order is placed and not yet paid (nor expired). */
  async pendingCount(m: EntityManager, groupId: string): Promise<number> {
    const [r] = await q(m)<{ n: number }>(
      `SELECT count(*)::int AS n FROM group_buy_members WHERE group_id = $1 AND status = 'pending'`,
      [groupId],
    );
    return r.n;
  }

  async member(m: EntityManager, memberId: string, lock = false): Promise<MemberRow | null> {
    const [r] = await q(m)<MemberRow>(`SELECT * FROM group_buy_members WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [
      memberId,
    ]);
    return r ?? null;
  }

  async isMember(m: EntityManager, memberId: string): Promise<boolean> {
    return (await q(m)(`SELECT 1 FROM group_buy_members WHERE id = $1`, [memberId])).length > 0;
  }

  /** The seat with its group's price and product, for pricing its order line. */
  async seatTerms(
    m: EntityManager,
    memberId: string,
  ): Promise<{ status: GroupMemberStatus; product_id: string; group_price_fen: string } | null> {
    const [r] = await q(m)<{ status: GroupMemberStatus; product_id: string; group_price_fen: string }>(
      `SELECT s.status, g.product_id, g.group_price_fen FROM group_buy_members s JOIN group_buys g ON g.id = s.group_id WHERE s.id = $1`,
      [memberId],
    );
    return r ?? null;
  }

  /** holding → pending, once, if the order took at least the seat's quantity. Returns the seat's quantity. */
  async seatOrdered(m: EntityManager, memberId: string, want: number): Promise<number | null> {
    const [r] = await q(m)<{ quantity: number }>(
      `UPDATE group_buy_members SET status = 'pending' WHERE id = $1 AND status = 'holding' AND quantity <= $2 RETURNING quantity`,
      [memberId, want],
    );
    return r?.quantity ?? null;
  }

  /** The seat is given up (its order expired or was cancelled, or could not be placed). */
  async leave(
    m: EntityManager,
    memberId: string,
    from: GroupMemberStatus[] = ['holding', 'pending'],
  ): Promise<boolean> {
    const r = await q(m)(
      `UPDATE group_buy_members SET status = 'left' WHERE id = $1 AND status = ANY($2::text[]) RETURNING id`,
      [memberId, from],
    );
    return r.length > 0;
  }

  async setOrder(m: EntityManager, memberId: string, orderId: string, paymentId: string): Promise<void> {
    await m.query(`UPDATE group_buy_members SET order_id = $2, payment_id = $3 WHERE id = $1`, [
      memberId,
      orderId,
      paymentId,
    ]);
  }

  async markPaid(m: EntityManager, memberId: string, orderId: string): Promise<void> {
    await m.query(
      `UPDATE group_buy_members SET status = 'paid', paid_at = now(), order_id = $2 WHERE id = $1 AND status IN ('holding', 'pending')`,
      [memberId, orderId],
    );
  }

  /** Compare-and-set of the group's status (the caller holds the group's lock). */
  async moveGroup(m: EntityManager, groupId: string, to: 'formed' | 'failed'): Promise<boolean> {
    const r = await q(m)(
      `UPDATE group_buys SET status = $2, ${to === 'formed' ? 'formed_at' : 'failed_at'} = now()
        WHERE id = $1 AND status = 'open' RETURNING id`,
      [groupId, to],
    );
    return r.length > 0;
  }

  // ---- refunds of a failed group --------------------------------------------------------------------------

  /** Seats of a failed group still to refund: paid ones, and refunding ones whose refund is still pending. */
  async seatsToRefund(m: EntityManager, groupId: string): Promise<{ id: string; refund_id: string | null }[]> {
    return q(m)(
      `SELECT s.id, s.refund_id FROM group_buy_members s
        WHERE s.group_id = $1 AND (s.status = 'paid'
          OR (s.status = 'refunding' AND EXISTS (SELECT 1 FROM refunds r WHERE r.id = s.refund_id AND r.status = 'pending')))
        ORDER BY s.created_at`,
      [groupId],
    );
  }

  async setRefunding(m: EntityManager, memberId: string, refundId: string | null): Promise<void> {
    await m.query(
      `UPDATE group_buy_members SET status = 'refunding', refund_id = $2 WHERE id = $1 AND status = 'paid'`,
      [memberId, refundId],
    );
  }

  /**
   * Seats taken but never ordered (the process died between taking the seat and placing its order): given up after
   * `olderThanMs`. Safe against a claim still under way: its reserve hook moves the seat only from holding.
   */
  async releaseOrphanSeats(m: EntityManager, now: Date, olderThanMs: number): Promise<number> {
    const r = await q(m)(
      `UPDATE group_buy_members SET status = 'left'
        WHERE status = 'holding' AND order_id IS NULL AND created_at < $1::timestamptz - make_interval(secs => $2)
        RETURNING id`,
      [now, olderThanMs / 1000],
    );
    return r.length;
  }

  /** Open groups whose window is over, and failed groups with seats still to refund (the sweep). */
  async groupsDue(m: EntityManager, now: Date): Promise<string[]> {
    const r = await q(m)<{ id: string }>(
      `(SELECT id FROM group_buys WHERE status = 'open' AND expires_at <= $1 ORDER BY expires_at LIMIT 200)
       UNION
       (SELECT DISTINCT g.id FROM group_buys g JOIN group_buy_members s ON s.group_id = g.id
         WHERE g.status = 'failed' AND (s.status = 'paid'
           OR (s.status = 'refunding' AND EXISTS (SELECT 1 FROM refunds r WHERE r.id = s.refund_id AND r.status = 'pending')))
         LIMIT 200)`,
      [now],
    );
    return r.map((x) => x.id);
  }

  // ---- reading --------------------------------------------------------------------------------------------

  /** A group as the shared page shows it, with its members (names read only to be masked) and its product. */
  async view(m: EntityManager, groupId: string) {
    const [g] = await q(m)<
      GroupRow & {
        name_zh: string;
        name_en: string | null;
        unit: string;
        price_fen: string;
        thumb_key: string | null;
        members: {
          buyer_id: string;
          name: string;
          leader: boolean;
          status: GroupMemberStatus;
          order_id: string | null;
        }[];
      }
    >(
      `SELECT g.*, p.name_zh, p.name_en, p.unit, p.price_fen,
              (SELECT ph.thumb_key FROM product_photos ph WHERE ph.product_id = p.id ORDER BY ph.position LIMIT 1) AS thumb_key,
              (SELECT coalesce(json_agg(json_build_object('buyer_id', s.buyer_id, 'name', u.display_name, 'leader', s.leader,
                                                          'status', s.status, 'order_id', s.order_id)
                                        ORDER BY s.leader DESC, s.created_at), '[]')
                 FROM group_buy_members s JOIN users u ON u.id = s.buyer_id
                WHERE s.group_id = g.id AND s.status <> 'left') AS members
         FROM group_buys g JOIN products p ON p.id = g.product_id
        WHERE g.id = $1`,
      [groupId],
    );
    return g ?? null;
  }

  /** Open groups of a product that someone has paid into, soonest to close first. */
  async openGroups(m: EntityManager, productId: string, now: Date) {
    return q(m)<{ id: string; size: number; expires_at: Date; paid: number; leader_name: string }>(
      `SELECT g.id, g.size, g.expires_at, x.paid, u.display_name AS leader_name
         FROM group_buys g JOIN users u ON u.id = g.leader_id,
              LATERAL (SELECT count(*) FILTER (WHERE s.status IN ('paid', 'refunding'))::int AS paid,
                              count(*)::int AS taken
                         FROM group_buy_members s WHERE s.group_id = g.id AND s.status <> 'left') x
        WHERE g.product_id = $1 AND g.status = 'open' AND g.expires_at > $2
          AND x.paid > 0 AND x.taken < g.size
        ORDER BY g.expires_at LIMIT 10`,
      [productId, now],
    );
  }

  /** The buyer's seats with an order, newest first (the order list's badges). */
  async seatsOfBuyer(m: EntityManager, buyerId: string) {
    return q(m)<{ order_id: string; group_id: string; status: GroupBuyStatus; refunded: boolean }>(
      `SELECT s.order_id, s.group_id, g.status,
              EXISTS (SELECT 1 FROM refunds r WHERE r.id = s.refund_id AND r.status = 'succeeded') AS refunded
         FROM group_buy_members s JOIN group_buys g ON g.id = s.group_id
        WHERE s.buyer_id = $1 AND s.order_id IS NOT NULL
        ORDER BY s.created_at DESC LIMIT 200`,
      [buyerId],
    );
  }

  /** Group orders of a cooperative (seats with an order, newest first), for its console's order list. */
  async seatsOfCooperative(m: EntityManager, cooperativeId: string) {
    return q(m)<{ order_id: string; group_id: string; status: GroupBuyStatus; refunded: boolean }>(
      `SELECT s.order_id, s.group_id, g.status,
              EXISTS (SELECT 1 FROM refunds r WHERE r.id = s.refund_id AND r.status = 'succeeded') AS refunded
         FROM group_buy_members s JOIN group_buys g ON g.id = s.group_id
        WHERE g.cooperative_id = $1 AND s.order_id IS NOT NULL AND s.status <> 'left'
        ORDER BY s.created_at DESC LIMIT 500`,
      [cooperativeId],
    );
  }

  /** The product's groups for its cooperative's console, newest first. */
  async groupsOfProduct(m: EntityManager, productId: string) {
    return q(m)<{ id: string; status: GroupBuyStatus; size: number; expires_at: Date; paid: number; created_at: Date }>(
      `SELECT g.id, g.status, g.size, g.expires_at, g.created_at,
              (SELECT count(*)::int FROM group_buy_members s WHERE s.group_id = g.id AND s.status IN ('paid', 'refunding')) AS paid
         FROM group_buys g WHERE g.product_id = $1 ORDER BY g.created_at DESC LIMIT 50`,
      [productId],
    );
  }
}
