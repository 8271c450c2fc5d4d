import { Inject, Injectable, Logger, OnModuleInit, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { NotificationDto, NotificationKind, NotificationPage } from '@xiangbo/contracts';
import { isUuid } from '../common/cooperative-scope';
import { DomainEvents, type DomainEventMap } from '../common/domain-events';
import { LiveException, LiveRestCode } from './live.exception';
import { LiveHub, rooms } from './live-hub';

export interface Delivered {
  userId: string;
  notification: NotificationDto;
}

/**
 * A way to reach a person besides the in-app centre (which is the notifications table itself): the open
 * socket (below), and later push or e-mail — provide more under NOTIFICATION_CHANNELS.
 */
export interface NotificationChannel {
  readonly name: string;
  deliver(items: Delivered[]): Promise<void>;
}
export const NOTIFICATION_CHANNELS = Symbol('NOTIFICATION_CHANNELS');

/** Pushes new notifications to the user's open live sockets (any process, through the adapter). */
@Injectable()
export class SocketNotificationChannel implements NotificationChannel {
  readonly name = 'socket';
  constructor(private readonly hub: LiveHub) {}

  async deliver(items: Delivered[]) {
    const nsp = this.hub.namespace;
    if (!nsp) return;
    for (const it of items) nsp.to(rooms.user(it.userId)).emit('notification', it.notification);
  }
}

type Audience = 'followers' | 'subscribers' | 'subscribers_and_followers';

interface Row {
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
 * The in-app notification centre: show announcements, reminders and "now live", once per person and event; and,
 * heard from other features' events after their commit, a cooperative's answer in 客服 (one entry per
 * conversation, renewed when a read one gets a new answer, read when the buyer reads the conversation) and the
 * parcel's steps a buyer waits for (派送中, 签收, a problem, sent back), once each.
 */
@Injectable()
export class NotificationsService implements OnModuleInit {
  private readonly logger = new Logger('Notifications');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly socket: SocketNotificationChannel,
    private readonly events: DomainEvents,
    @Optional() @Inject(NOTIFICATION_CHANNELS) private readonly extra: NotificationChannel[] = [],
  ) {}

  onModuleInit(): void {
    this.events.on('conversation.answered', (e) => this.heard('answer', () => this.answered(e.conversationId)));
    this.events.on('conversation.read', (e) => {
      if (e.side === 'buyer') this.heard('read', () => this.conversationRead(e.conversationId));
    });
    this.events.on('parcel.moved', (e) => this.heard('parcel', () => this.parcelMoved(e.orderId, e.status)));
    this.events.on('group.decided', (e) => this.heard('group', () => this.groupDecided(e.groupId, e.status)));
    this.events.on('presale.harvested', (e) => this.heard('presale', () => this.balanceDue(e.presaleId)));
  }

  /** Events arrive after the commit that caused them: a failure here is logged, never the caller's. */
  private heard(what: string, work: () => Promise<unknown>): void {
    void work().catch((err) => this.logger.warn({ err, what }, 'notification not written'));
  }

  /** The cooperative answered in 客服: the buyer's entry for the conversation, new or renewed if read. */
  async answered(conversationId: string): Promise<Delivered[]> {
    const rows: Row[] = await this.db.query(
      `INSERT INTO notifications (user_id, kind, title, body, link, dedupe_key)
       SELECT c.buyer_id, 'message_received', left(co.name, 100), '', '/messages/' || c.id, 'message:' || c.id
         FROM conversations c JOIN cooperatives co ON co.id = c.cooperative_id
        WHERE c.id = $1
       ON CONFLICT (user_id, dedupe_key) DO UPDATE SET read_at = NULL, created_at = now(), title = EXCLUDED.title
        WHERE notifications.read_at IS NOT NULL
       ${RETURNING}`,
      [conversationId],
    );
    const items = rows.map((r) => ({ userId: r.user_id, notification: dto(r) }));
    await this.deliver(items);
    return items;
  }

  /** The buyer read the conversation: its entry is read too. */
  async conversationRead(conversationId: string): Promise<void> {
    await this.db.query(
      `UPDATE notifications n SET read_at = now() FROM conversations c
        WHERE c.id = $1 AND n.user_id = c.buyer_id AND n.dedupe_key = 'message:' || c.id AND n.read_at IS NULL`,
      [conversationId],
    );
  }

  /** A group was decided: each member who paid hears it (title: the product; body: the cooperative). */
  async groupDecided(groupId: string, status: 'formed' | 'failed'): Promise<Delivered[]> {
    const kind: NotificationKind = `group_${status}`;
    return this.insertAndDeliver(
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

  /** A pre-sale's harvest is in: each buyer whose deposit is paid hears that the balance is due, once per order. */
  async balanceDue(presaleId: string): Promise<Delivered[]> {
    return this.insertAndDeliver(
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

  private async insertAndDeliver(sql: string, params: unknown[]): Promise<Delivered[]> {
    const rows: Row[] = await this.db.query(sql, params);
    const items = rows.map((r) => ({ userId: r.user_id, notification: dto(r) }));
    await this.deliver(items);
    return items;
  }

  /** A parcel step the buyer waits for: once per order and step. Title: the order's first product; body: the cooperative. */
  async parcelMoved(orderId: string, status: DomainEventMap['parcel.moved']['status']): Promise<Delivered[]> {
    const kind: NotificationKind = `parcel_${status}`;
    const rows: Row[] = await this.db.query(
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
    const items = rows.map((r) => ({ userId: r.user_id, notification: dto(r) }));
    await this.deliver(items);
    return items;
  }

  /**
   * Writes one notification per member of the audience, inside the caller's transaction (deduplicated per
   * show and kind, so a retried job or a second process adds nothing). Deliver the result after commit.
   */
  async forShow(m: EntityManager, showId: string, kind: NotificationKind, audience: Audience): Promise<Delivered[]> {
    const who = {
      followers: `SELECT f.user_id FROM follows f WHERE f.cooperative_id = s.cooperative_id`,
      subscribers: `SELECT ss.user_id FROM show_subscriptions ss WHERE ss.show_id = s.id`,
      subscribers_and_followers: `SELECT ss.user_id FROM show_subscriptions ss WHERE ss.show_id = s.id
                                  UNION SELECT f.user_id FROM follows f WHERE f.cooperative_id = s.cooperative_id`,
    }[audience];
    // title = the show's title, body = the cooperative's name: the storefront words them per kind and language.
    const rows: Row[] = await m.query(
      `INSERT INTO notifications (user_id, kind, title, body, link, dedupe_key)
       SELECT a.user_id, $2::varchar, left(s.title, 100), left(c.name, 300), '/live/' || s.id, $2::text || ':' || s.id
         FROM shows s JOIN cooperatives c ON c.id = s.cooperative_id, LATERAL (${who}) a
        WHERE s.id = $1
       ON CONFLICT (user_id, dedupe_key) DO NOTHING
       RETURNING id, user_id, kind, title, body, link, read_at, created_at`,
      [showId, kind],
    );
    return rows.map((r) => ({ userId: r.user_id, notification: dto(r) }));
  }

  async deliver(items: Delivered[]): Promise<void> {
    if (!items.length) return;
    for (const ch of [this.socket, ...this.extra]) {
      await ch
        .deliver(items)
        .catch((e) => this.logger.warn({ err: e, channel: ch.name }, 'notification channel failed'));
    }
  }

  async list(userId: string, page: number, pageSize: number): Promise<NotificationPage> {
    const rows: Row[] = await this.db.query(
      `SELECT id, user_id, kind, title, body, link, read_at, created_at FROM notifications WHERE user_id = $1
        ORDER BY created_at DESC, id LIMIT $2 OFFSET $3`,
      [userId, pageSize, (page - 1) * pageSize],
    );
    const [c] = await this.db.query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE read_at IS NULL)::int AS unread FROM notifications WHERE user_id = $1`,
      [userId],
    );
    return { items: rows.map(dto), unread: c.unread, total: c.total, page, pageSize };
  }

  async markRead(userId: string, id: string): Promise<void> {
    if (!isUuid(id)) throw new LiveException(LiveRestCode.NOTIFICATION_NOT_FOUND, 'notification not found');
    const rows = await this.db.query(
      `UPDATE notifications SET read_at = COALESCE(read_at, now()) WHERE id = $1 AND user_id = $2 RETURNING id`,
      [id, userId],
    );
    if (!(Array.isArray(rows[0]) ? rows[0] : rows).length)
      throw new LiveException(LiveRestCode.NOTIFICATION_NOT_FOUND, 'notification not found');
  }

  async markAllRead(userId: string): Promise<void> {
    await this.db.query(`UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL`, [userId]);
  }
}

function dto(r: Row): NotificationDto {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    body: r.body,
    link: r.link,
    readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
    createdAt: new Date(r.created_at).toISOString(),
  };
}
