import { Inject, Injectable, Logger, OnModuleInit, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { NotificationDto, NotificationKind, NotificationPage } from '@xiangbo/contracts';
import { isUuid } from '../common/cooperative-scope';
import { DomainEvents, type DomainEventMap } from '../common/domain-events';
import { LiveException, LiveRestCode } from './live.exception';
import { LiveHub, rooms } from './live-hub';
import { type Audience, type NotificationRow, NotificationsRepository } from './notifications.repository';

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
    private readonly repo: NotificationsRepository,
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
    const rows = await this.repo.answered(this.db.manager, conversationId);
    const items = rows.map((r) => ({ userId: r.user_id, notification: dto(r) }));
    await this.deliver(items);
    return items;
  }

  /** The buyer read the conversation: its entry is read too. */
  async conversationRead(conversationId: string): Promise<void> {
    await this.repo.conversationRead(this.db.manager, conversationId);
  }

  /** A group was decided: each member who paid hears it (title: the product; body: the cooperative). */
  async groupDecided(groupId: string, status: 'formed' | 'failed'): Promise<Delivered[]> {
    const kind: NotificationKind = `group_${status}`;
    return this.deliverRows(await this.repo.groupDecided(this.db.manager, groupId, kind));
  }

  /** A pre-sale's harvest is in: each buyer whose deposit is paid hears that the balance is due, once per order. */
  async balanceDue(presaleId: string): Promise<Delivered[]> {
    return this.deliverRows(await this.repo.balanceDue(this.db.manager, presaleId));
  }

  private async deliverRows(rows: NotificationRow[]): Promise<Delivered[]> {
    const items = rows.map((r) => ({ userId: r.user_id, notification: dto(r) }));
    await this.deliver(items);
    return items;
  }

  /** A parcel step the buyer waits for: once per order and step. Title: the order's first product; body: the cooperative. */
  async parcelMoved(orderId: string, status: DomainEventMap['parcel.moved']['status']): Promise<Delivered[]> {
    const kind: NotificationKind = `parcel_${status}`;
    const rows = await this.repo.parcelMoved(this.db.manager, orderId, kind);
    const items = rows.map((r) => ({ userId: r.user_id, notification: dto(r) }));
    await this.deliver(items);
    return items;
  }

  /**
   * Writes one notification per member of the audience, inside the caller's transaction (deduplicated per
   * show and kind, so a retried job or a second process adds nothing). Deliver the result after commit.
   */
  async forShow(m: EntityManager, showId: string, kind: NotificationKind, audience: Audience): Promise<Delivered[]> {
    const rows = await this.repo.forShow(m, showId, kind, audience);
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
    const rows = await this.repo.page(this.db.manager, userId, pageSize, (page - 1) * pageSize);
    const c = await this.repo.counts(this.db.manager, userId);
    return { items: rows.map(dto), unread: c.unread, total: c.total, page, pageSize };
  }

  async markRead(userId: string, id: string): Promise<void> {
    if (!isUuid(id)) throw new LiveException(LiveRestCode.NOTIFICATION_NOT_FOUND, 'notification not found');
    if (!(await this.repo.markRead(this.db.manager, userId, id)))
      throw new LiveException(LiveRestCode.NOTIFICATION_NOT_FOUND, 'notification not found');
  }

  async markAllRead(userId: string): Promise<void> {
    await this.repo.markAllRead(this.db.manager, userId);
  }
}

function dto(r: NotificationRow): NotificationDto {
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
