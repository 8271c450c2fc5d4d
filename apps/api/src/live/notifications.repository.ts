import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { NotificationKind } from '@xiangbo/contracts';

export type Audience = 'followers' | 'subscribers' | 'subscribers_and_followers';

/** A notification as stored. */
export interface NotificationRow {
  id: string;
  user_id: string;
  kind: NotificationKind;
  title: string;
  body: string;
  link: string;
  read_at: Date | null;
  created_at: Date;
}

const RETURNING = 'RETURNING id, user_id, kind, title, body, link, read_at, created_at';

/**
 * The notification centre's SQL (table `notifications`, owned by the live feature; it reads whom to tell from the
 * shows, conversations, orders, groups and pre-sales it words). Every insert is deduplicated per user and
 * `dedupe_key` and returns only the rows it wrote. Every method runs on the given manager.
 */
@Injectable()
export class NotificationsRepository {
  /** The buyer's entry for a conversation the cooperative answered: new, or renewed if it was read. */
  answered(m: EntityManager, conversationId: string): Promise<NotificationRow[]> {
    return m.query(
      `INSERT INTO notifications (user_id, kind, title, body, link, dedupe_key)
       SELECT c.buyer_id, 'message_received', left(co.name, 100), '', '/messages/' || c.id, 'message:' || c.id
         FROM conversations c JOIN cooperatives co ON co.id = c.cooperative_id
        WHERE c.id = $1
       ON CONFLICT (user_id, dedupe_key) DO UPDATE SET read_at = NULL, created_at = now(), title = EXCLUDED.title
        WHERE notifications.read_at IS NOT NULL
       ${RETURNING}`,
      [conversationId],
    );
  }

  /** The conversation's entry is read. */
  async conversationRead(m: EntityManager, conversationId: string): Promise<void> {
    await m.query(
      `UPDATE notifications n SET read_at = now() FROM conversations c
        WHERE c.id = $1 AND n.user_id = c.buyer_id AND n.dedupe_key = 'message:' || c.id AND n.read_at IS NULL`,
      [conversationId],
    );
  }

  /** Each member of the group who paid (title: the product; body: the cooperative). */
  groupDecided(m: EntityManager, groupId: string, kind: NotificationKind): Promise<NotificationRow[]> {
    return m.query(
      `INSERT INTO notifications (user_id, kind, title, body, link, dedupe_key)
       SELECT DISTINCT gm.buyer_id, $2::varchar, left(p.name_zh, 100), left(c.name, 300), '/groups/' || g.id,
              $2::text || ':' || g.id
         FROM group_buys g JOIN group_buy_members gm ON gm.group_id = g.id AND gm.paid_at IS NOT NULL
         JOIN products p ON p.id = g.product_id JOIN cooperatives c ON c.id = g.cooperative_id
        WHERE g.id = $1
       ON CONFLICT (user_id, dedupe_key) DO NOTHING
       ${RETURNING}`,
      [groupId, kind],
    );
  }

  /** Each buyer of the pre-sale whose deposit is paid, once per order (nothing when there is no balance). */
  balanceDue(m: EntityManager, presaleId: string): Promise<NotificationRow[]> {
    return m.query(
      `INSERT INTO notifications (user_id, kind, title, body, link, dedupe_key)
       SELECT po.buyer_id, 'balance_due', left(p.name_zh, 100), left(c.name, 300), '/orders/' || po.order_id,
              'balance_due:' || po.order_id
         FROM presale_orders po JOIN presales s ON s.id = po.presale_id
         JOIN products p ON p.id = s.product_id JOIN cooperatives c ON c.id = s.cooperative_id
        WHERE po.presale_id = $1 AND po.status = 'deposit_paid' AND s.balance_fen > 0
       ON CONFLICT (user_id, dedupe_key) DO NOTHING
       ${RETURNING}`,
      [presaleId],
    );
  }

  /** The order's buyer, once per order and step (title: the first product; body: the cooperative). */
  parcelMoved(m: EntityManager, orderId: string, kind: NotificationKind): Promise<NotificationRow[]> {
    return m.query(
      `INSERT INTO notifications (user_id, kind, title, body, link, dedupe_key)
       SELECT o.buyer_id, $2::varchar,
              left(coalesce((SELECT l.product_name FROM order_lines l WHERE l.order_id = o.id ORDER BY l.id LIMIT 1), ''), 100),
              left(co.name, 300), '/orders/' || o.id, $2::text || ':' || o.id
         FROM orders o JOIN cooperatives co ON co.id = o.cooperative_id
        WHERE o.id = $1
       ON CONFLICT (user_id, dedupe_key) DO NOTHING
       ${RETURNING}`,
      [orderId, kind],
    );
  }

  /** One per member of the show's audience, once per show and kind (title: the show; body: the cooperative). */
  forShow(m: EntityManager, showId: string, kind: NotificationKind, audience: Audience): Promise<NotificationRow[]> {
    const who = {
      followers: `SELECT f.user_id FROM follows f WHERE f.cooperative_id = s.cooperative_id`,
      subscribers: `SELECT ss.user_id FROM show_subscriptions ss WHERE ss.show_id = s.id`,
      subscribers_and_followers: `SELECT ss.user_id FROM show_subscriptions ss WHERE ss.show_id = s.id
                                  UNION SELECT f.user_id FROM follows f WHERE f.cooperative_id = s.cooperative_id`,
    }[audience];
    return m.query(
      `INSERT INTO notifications (user_id, kind, title, body, link, dedupe_key)
       SELECT a.user_id, $2::varchar, left(s.title, 100), left(c.name, 300), '/live/' || s.id, $2::text || ':' || s.id
         FROM shows s JOIN cooperatives c ON c.id = s.cooperative_id, LATERAL (${who}) a
        WHERE s.id = $1
       ON CONFLICT (user_id, dedupe_key) DO NOTHING
       RETURNING id, user_id, kind, title, body, link, read_at, created_at`,
      [showId, kind],
    );
  }

  /** One page of the user's notifications, newest first. */
  page(m: EntityManager, userId: string, limit: number, offset: number): Promise<NotificationRow[]> {
    return m.query(
      `SELECT id, user_id, kind, title, body, link, read_at, created_at FROM notifications WHERE user_id = $1
        ORDER BY created_at DESC, id LIMIT $2 OFFSET $3`,
      [userId, limit, offset],
    );
  }

  async counts(m: EntityManager, userId: string): Promise<{ total: number; unread: number }> {
    const [c] = await m.query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE read_at IS NULL)::int AS unread FROM notifications WHERE user_id = $1`,
      [userId],
    );
    return c;
  }

  /** Marks the user's notification read (kept as first read); false when the user has no such notification. */
  async markRead(m: EntityManager, userId: string, id: string): Promise<boolean> {
    const rows = await m.query(
      `UPDATE notifications SET read_at = COALESCE(read_at, now()) WHERE id = $1 AND user_id = $2 RETURNING id`,
      [id, userId],
    );
    return (Array.isArray(rows[0]) ? rows[0] : rows).length > 0;
  }

  async markAllRead(m: EntityManager, userId: string): Promise<void> {
    await m.query(`UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL`, [userId]);
  }
}
