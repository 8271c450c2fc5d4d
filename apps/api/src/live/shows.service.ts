import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type {
  ConsoleShow,
  CreateShowRequest,
  Page,
  PinTimelineEntry,
  ShowDetail,
  ShowListItem,
  ShowListQuery,
  ShowStatus,
  ShowSummary,
  UpdateShowRequest,
} from '@xiangbo/contracts';
import type { Principal } from '../auth/principal';
import { cooperativeScope, isUuid } from '../common/cooperative-scope';
import { replayChapters, type RecordedRange } from '@xiangbo/domain';
import { DomainEvents } from '../common/domain-events';
import { APP_CONFIG, AppConfig } from '../config/config';
import { hlsPath, showVideo } from '../media/playback';
import { JobsService } from '../jobs/jobs.service';
import { processImage } from '../storage/image';
import { StorageService } from '../storage/storage.service';
import { LiveException, LiveRestCode } from './live.exception';
import { LiveHub, rowsOf } from './live-hub';
import { LiveReader, PAID_STATUSES } from './live-reader';
import { NotificationsService } from './notifications.service';
import { showAccess, ShowAccess } from './show-access';

export const SHOW_REMINDER_JOB = 'live.show-reminder';
/** Subscribers are reminded this long before the scheduled start. */
export const REMINDER_LEAD_MS = 10 * 60_000;

interface ListRow {
  id: string;
  title: string;
  description: string;
  status: ShowStatus;
  scheduled_at: Date;
  started_at: Date | null;
  ended_at: Date | null;
  cover_key: string | null;
  first_thumb: string | null;
  cooperative_id: string;
  cooperative_name: string;
  province: string;
  county: string;
  host_id: string;
  host_name: string;
  product_count: number;
  subscriber_count: number;
  subscribed: boolean;
  following: boolean;
  summary: ShowSummary | null;
}

const LIST_SELECT = `
  SELECT s.id, s.title, s.description, s.status, s.scheduled_at, s.started_at, s.ended_at, s.cover_key, s.summary, s.host_id,
         c.id AS cooperative_id, c.name AS cooperative_name, c.province, c.county, u.display_name AS host_name,
         (SELECT count(*) FROM show_products sp WHERE sp.show_id = s.id)::int AS product_count,
         (SELECT count(*) FROM show_subscriptions ss WHERE ss.show_id = s.id)::int AS subscriber_count,
         (SELECT ph.thumb_key FROM show_products sp JOIN product_photos ph ON ph.product_id = sp.product_id
           WHERE sp.show_id = s.id ORDER BY sp.position, ph.position LIMIT 1) AS first_thumb,
         ($1::uuid IS NOT NULL AND EXISTS (SELECT 1 FROM show_subscriptions ss WHERE ss.show_id = s.id AND ss.user_id = $1::uuid)) AS subscribed,
         ($1::uuid IS NOT NULL AND EXISTS (SELECT 1 FROM follows f WHERE f.cooperative_id = s.cooperative_id AND f.user_id = $1::uuid)) AS following
    FROM shows s JOIN cooperatives c ON c.id = s.cooperative_id JOIN users u ON u.id = s.host_id`;

/** A show's page with its full summary, sales included (the cooperative's view; detail() trims it for others). */
type FullShowDetail = Omit<ShowDetail, 'summary'> & { summary: ShowSummary | null };

/** Shows: the public list and pages, the host console's schedule, going live, ending (with the summary), cancelling. */
@Injectable()
export class ShowsService implements OnModuleInit {
  private readonly logger = new Logger('Shows');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly storage: StorageService,
    private readonly reader: LiveReader,
    private readonly hub: LiveHub,
    private readonly jobs: JobsService,
    private readonly notifications: NotificationsService,
    private readonly events: DomainEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit() {
    this.jobs.register(SHOW_REMINDER_JOB, (d) =>
      this.remind(String(d.showId), String(d.scheduledAt)).then(() => undefined),
    );
    // A payment that lands after the show ended still belongs to its summary.
    this.events.on('order.paid', (e) => {
      if (e.showId)
        void this.refreshSummaryIfEnded(e.showId).catch((err) => this.logger.warn({ err }, 'summary refresh failed'));
    });
  }

  // ---- public ----------------------------------------------------------------------------------------------

  async list(q: ShowListQuery, viewerId: string | null): Promise<Page<ShowListItem>> {
    // $a = status (null: all but cancelled), $b = cooperative (null: all)
    const filter = (a: number, b: number) =>
      `WHERE c.status = 'approved' AND (($${a}::text IS NULL AND s.status <> 'cancelled') OR s.status = $${a}::text)
         AND ($${b}::uuid IS NULL OR s.cooperative_id = $${b}::uuid)`;
    const order = `ORDER BY CASE s.status WHEN 'live' THEN 0 WHEN 'scheduled' THEN 1 ELSE 2 END,
                   CASE WHEN s.status = 'scheduled' THEN s.scheduled_at END ASC,
                   COALESCE(s.ended_at, s.started_at, s.scheduled_at) DESC, s.id`;
    const status = q.status ?? null;
    const coop = q.cooperativeId ?? null;
    const [{ n }] = await this.db.query(
      `SELECT count(*)::int AS n FROM shows s JOIN cooperatives c ON c.id = s.cooperative_id ${filter(1, 2)}`,
      [status, coop],
    );
    const rows: ListRow[] = await this.db.query(
      `${LIST_SELECT} ${filter(2, 3)} ${order} LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`,
      [viewerId, status, coop],
    );
    // A live show says how many watch it now (the home page and the live list show it on the card).
    const items = await Promise.all(
      rows.map(async (r) => {
        const item = this.listItem(r);
        return item.status === 'live' ? { ...item, viewers: await this.hub.viewerCount(item.id) } : item;
      }),
    );
    return { items, total: n, page: q.page, pageSize: q.pageSize };
  }

  /** The public show page; its sales figures (GMV, orders, conversion, per product) only for its cooperative's staff. */
  async detail(showId: string, viewer: Principal | null): Promise<ShowDetail> {
    const row = isUuid(showId) ? await this.row(showId, viewer?.userId ?? null, true) : null;
    if (!row) throw new LiveException(LiveRestCode.SHOW_NOT_FOUND, 'show not found');
    const detail = await this.detailOf(row);
    const staff =
      viewer &&
      showAccess(viewer.userId, viewer.roles, { cooperativeId: row.cooperative_id, hostId: row.host_id }) !== 'none';
    if (staff || !detail.summary) return detail;
    const { peakViewers, uniqueViewers, chatMessages, likes, durationSeconds } = detail.summary;
    return { ...detail, summary: { peakViewers, uniqueViewers, chatMessages, likes, durationSeconds } };
  }

  // ---- console ---------------------------------------------------------------------------------------------

  async listForCooperative(p: Principal, coopId: string): Promise<ConsoleShow[]> {
    this.assertCooperative(p, coopId);
    const rows: ListRow[] = await this.db.query(
      `${LIST_SELECT} WHERE s.cooperative_id = $2 ORDER BY CASE s.status WHEN 'live' THEN 0 WHEN 'scheduled' THEN 1 ELSE 2 END, s.scheduled_at DESC LIMIT 200`,
      [p.userId, coopId],
    );
    return Promise.all(rows.map((r) => this.consoleOf(p, r)));
  }

  async create(p: Principal, coopId: string, body: CreateShowRequest): Promise<ConsoleShow> {
    this.assertCooperative(p, coopId);
    const id = randomUUID();
    const scheduledAt = new Date(body.scheduledAt);
    const notified = await this.db.transaction(async (m) => {
      await m.query(
        `INSERT INTO shows (id, cooperative_id, host_id, title, description, scheduled_at, status) VALUES ($1, $2, $3, $4, $5, $6, 'scheduled')`,
        [id, coopId, p.userId, body.title, body.description ?? '', scheduledAt],
      );
      await this.setProducts(m, id, coopId, body.productIds);
      return this.notifications.forShow(m, id, 'show_scheduled', 'followers');
    });
    await this.notifications.deliver(notified);
    await this.scheduleReminder(id, scheduledAt);
    return this.consoleShow(p, id);
  }

  async consoleShow(p: Principal, showId: string): Promise<ConsoleShow> {
    const row = isUuid(showId) ? await this.row(showId, p.userId, false) : null;
    if (!row || showAccess(p.userId, p.roles, { cooperativeId: row.cooperative_id, hostId: row.host_id }) === 'none') {
      throw new LiveException(LiveRestCode.SHOW_NOT_FOUND, 'show not found');
    }
    return this.consoleOf(p, row);
  }

  async update(p: Principal, showId: string, body: UpdateShowRequest): Promise<ConsoleShow> {
    const rescheduled = await this.db.transaction(async (m) => {
      const show = await this.lockForManage(m, p, showId);
      if (show.status !== 'scheduled')
        throw new LiveException(LiveRestCode.INVALID_SHOW_TRANSITION, 'only a scheduled show can be edited');
      const sets: string[] = [];
      const params: unknown[] = [showId];
      const set = (col: string, v: unknown) => {
        params.push(v);
        sets.push(`${col} = $${params.length}`);
      };
      if (body.title !== undefined) set('title', body.title);
      if (body.description !== undefined) set('description', body.description);
      if (body.scheduledAt !== undefined) set('scheduled_at', new Date(body.scheduledAt));
      if (sets.length) await m.query(`UPDATE shows SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, params);
      if (body.productIds) await this.setProducts(m, showId, show.cooperative_id, body.productIds);
      return body.scheduledAt ? new Date(body.scheduledAt) : null;
    });
    if (rescheduled) await this.scheduleReminder(showId, rescheduled);
    return this.consoleShow(p, showId);
  }

  async setCover(p: Principal, showId: string, bytes: Buffer | undefined): Promise<ConsoleShow> {
    await this.db.transaction((m) => this.lockForManage(m, p, showId));
    const image = await processImage(bytes);
    const key = `shows/${showId}/${randomUUID()}.webp`;
    await this.storage.put(key, image.thumb, image.contentType);
    await this.db.query(`UPDATE shows SET cover_key = $2, updated_at = now() WHERE id = $1`, [showId, key]);
    return this.consoleShow(p, showId);
  }

  async start(p: Principal, showId: string): Promise<ConsoleShow> {
    const notified = await this.db.transaction(async (m) => {
      const show = await this.lockForManage(m, p, showId);
      if (show.status !== 'scheduled')
        throw new LiveException(LiveRestCode.INVALID_SHOW_TRANSITION, `a ${show.status} show cannot go live`);
      await m.query(`UPDATE shows SET status = 'live', started_at = now(), updated_at = now() WHERE id = $1`, [showId]);
      return this.notifications.forShow(m, showId, 'show_live', 'subscribers_and_followers');
    });
    const [stream] = await this.db.query(`SELECT playback_id, receiving FROM show_streams WHERE show_id = $1`, [
      showId,
    ]);
    this.hub.change(showId, { status: 'live', video: showVideo(this.config, 'live', stream ?? null) });
    await this.notifications.deliver(notified);
    return this.consoleShow(p, showId);
  }

  async end(p: Principal, showId: string): Promise<ConsoleShow> {
    await this.hub.flushUniqueViewers(); // this process's viewers of the last half second count too
    const closedDeals = await this.db.transaction(async (m) => {
      const show = await this.lockForManage(m, p, showId);
      if (show.status !== 'live')
        throw new LiveException(LiveRestCode.INVALID_SHOW_TRANSITION, `a ${show.status} show cannot end`);
      await m.query(`UPDATE pins SET unpinned_at = clock_timestamp() WHERE show_id = $1 AND unpinned_at IS NULL`, [
        showId,
      ]);
      const deals = await m
        .query(
          `UPDATE flash_deals SET status = 'closed', closed_at = now() WHERE show_id = $1 AND status = 'open' RETURNING id`,
          [showId],
        )
        .then(rowsOf);
      await m.query(
        `UPDATE shows SET status = 'ended', ended_at = now(), slow_mode_seconds = 0, updated_at = now() WHERE id = $1`,
        [showId],
      );
      await this.storeSummary(m, showId);
      return deals.map((d) => String(d.id));
    });
    const [closed] = await this.reader.deals(closedDeals);
    if (closed) {
      const { showId: _show, ...deal } = closed;
      this.hub.change(showId, { deal });
    }
    this.hub.change(showId, { status: 'ended', pin: null, video: showVideo(this.config, 'ended', null) });
    return this.consoleShow(p, showId);
  }

  async cancel(p: Principal, showId: string): Promise<ConsoleShow> {
    await this.db.transaction(async (m) => {
      const show = await this.lockForManage(m, p, showId);
      if (show.status !== 'scheduled')
        throw new LiveException(LiveRestCode.INVALID_SHOW_TRANSITION, 'only a scheduled show can be cancelled');
      await m.query(`UPDATE shows SET status = 'cancelled', updated_at = now() WHERE id = $1`, [showId]);
    });
    this.hub.change(showId, { status: 'cancelled' });
    return this.consoleShow(p, showId);
  }

  // ---- summary ---------------------------------------------------------------------------------------------

  /** Peak and unique viewers, chat, likes, orders, GMV (paid orders of the show), per-product sales, conversion. */
  async computeSummary(m: EntityManager, showId: string): Promise<ShowSummary> {
    const [s] = await m.query(
      `SELECT s.likes, s.peak_viewers, EXTRACT(epoch FROM (COALESCE(s.ended_at, now()) - COALESCE(s.started_at, now())))::int AS duration,
              (SELECT count(*) FROM show_viewers v WHERE v.show_id = s.id)::int AS unique_viewers,
              (SELECT count(*) FROM chat_messages c WHERE c.show_id = s.id)::int AS chat
         FROM shows s WHERE s.id = $1`,
      [showId],
    );
    const [o] = await m.query(
      `SELECT count(*)::int AS orders,
              count(*) FILTER (WHERE status IN ${PAID_STATUSES})::int AS paid,
              COALESCE(sum(total_fen) FILTER (WHERE status IN ${PAID_STATUSES}), 0) AS gmv,
              count(DISTINCT buyer_id) FILTER (WHERE status IN ${PAID_STATUSES})::int AS buyers
         FROM orders WHERE show_id = $1`,
      [showId],
    );
    const perProduct: { product_id: string; product_name: string; unit: string; units: number; revenue: string }[] =
      await m.query(
        `SELECT l.product_id, l.product_name, l.unit, sum(l.quantity)::int AS units, sum(l.line_total_fen) AS revenue
         FROM order_lines l JOIN orders o ON o.id = l.order_id
        WHERE o.show_id = $1 AND o.status IN ${PAID_STATUSES}
        GROUP BY l.product_id, l.product_name, l.unit ORDER BY revenue DESC`,
        [showId],
      );
    const deals: { id: string; name_zh: string; price_fen: string; quantity: number; sold: number }[] = await m.query(
      `SELECT d.id, p.name_zh, d.price_fen, d.quantity,
              (SELECT COALESCE(sum(l.quantity), 0) FROM order_lines l JOIN orders o ON o.id = l.order_id
                WHERE l.deal_id = d.id AND o.status IN ${PAID_STATUSES})::int AS sold
         FROM flash_deals d JOIN products p ON p.id = d.product_id WHERE d.show_id = $1 ORDER BY d.created_at`,
      [showId],
    );
    const uniqueViewers = s?.unique_viewers ?? 0;
    return {
      peakViewers: s?.peak_viewers ?? 0,
      uniqueViewers,
      chatMessages: s?.chat ?? 0,
      likes: s?.likes ?? 0,
      orders: o.orders,
      paidOrders: o.paid,
      gmvFen: Number(o.gmv),
      buyers: o.buyers,
      conversion: uniqueViewers ? Math.round((o.buyers / uniqueViewers) * 10_000) / 10_000 : 0,
      perProduct: perProduct.map((r) => ({
        productId: r.product_id,
        productName: r.product_name,
        unit: r.unit as never,
        units: r.units,
        revenueFen: Number(r.revenue),
      })),
      deals: deals.map((d) => ({
        id: d.id,
        productName: d.name_zh,
        priceFen: Number(d.price_fen),
        quantity: d.quantity,
        sold: d.sold,
      })),
      durationSeconds: Math.max(0, s?.duration ?? 0),
    };
  }

  private async storeSummary(m: EntityManager, showId: string) {
    const summary = await this.computeSummary(m, showId);
    await m.query(`UPDATE shows SET summary = $2 WHERE id = $1`, [showId, JSON.stringify(summary)]);
  }

  async refreshSummaryIfEnded(showId: string) {
    await this.db.transaction(async (m) => {
      const [s] = await m.query(`SELECT status FROM shows WHERE id = $1 FOR UPDATE`, [showId]);
      if (s?.status === 'ended') await this.storeSummary(m, showId);
    });
  }

  // ---- reminders -------------------------------------------------------------------------------------------

  private async scheduleReminder(showId: string, scheduledAt: Date) {
    const at = new Date(scheduledAt.getTime() - REMINDER_LEAD_MS);
    if (at.getTime() <= Date.now()) return;
    await this.jobs.sendAt(
      SHOW_REMINDER_JOB,
      { showId, scheduledAt: scheduledAt.toISOString() },
      at,
      `reminder:${showId}:${scheduledAt.toISOString()}`,
    );
  }

  /** The reminder job: only if the show is still scheduled for the time the job was made for (not moved, not cancelled). */
  async remind(showId: string, scheduledAt: string): Promise<number> {
    const notified = await this.db.transaction(async (m) => {
      const [s] = await m.query(`SELECT status, scheduled_at FROM shows WHERE id = $1`, [showId]);
      if (!s || s.status !== 'scheduled' || new Date(s.scheduled_at).toISOString() !== scheduledAt) return [];
      return this.notifications.forShow(m, showId, 'show_reminder', 'subscribers');
    });
    await this.notifications.deliver(notified);
    return notified.length;
  }

  // ---- helpers ---------------------------------------------------------------------------------------------

  private assertCooperative(p: Principal, coopId: string) {
    if (cooperativeScope(p, coopId, 'read') !== 'ok')
      throw new LiveException(LiveRestCode.COOPERATIVE_NOT_FOUND, 'cooperative not found');
  }

  /** Locks the show for a change by its host or coop_admin (404 to outsiders, 403 to the cooperative's other hosts). */
  lockForManage(m: EntityManager, p: Principal, showId: string) {
    return this.manageable(m, p, showId, true);
  }

  /**
   * The same check without the row lock, for reads only the show's managers may make (the stream key, polled by
   * the host console every two seconds: it must not queue behind the room's writes to the show).
   */
  assertManage(p: Principal, showId: string) {
    return this.manageable(this.db.manager, p, showId, false);
  }

  private async manageable(m: EntityManager, p: Principal, showId: string, lock: boolean) {
    const [show] = isUuid(showId)
      ? await m.query(
          `SELECT id, status, cooperative_id, host_id FROM shows WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
          [showId],
        )
      : [];
    const access: ShowAccess = show
      ? showAccess(p.userId, p.roles, { cooperativeId: show.cooperative_id, hostId: show.host_id })
      : 'none';
    if (access === 'none') throw new LiveException(LiveRestCode.SHOW_NOT_FOUND, 'show not found');
    if (access === 'read')
      throw new LiveException(
        LiveRestCode.SHOW_READ_ONLY,
        'only the host of this show or the cooperative’s admin can change it',
      );
    return show as { id: string; status: ShowStatus; cooperative_id: string; host_id: string };
  }

  private async setProducts(m: EntityManager, showId: string, coopId: string, productIds: string[]) {
    const unique = [...new Set(productIds)];
    const ok: { id: string }[] = await m.query(
      `SELECT id FROM products WHERE id = ANY($1::uuid[]) AND cooperative_id = $2 AND published`,
      [unique, coopId],
    );
    if (ok.length !== unique.length) {
      throw new LiveException(
        LiveRestCode.PRODUCTS_NOT_OF_COOPERATIVE,
        'every product must be a published product of this cooperative',
        {},
        [{ field: 'productIds', message: 'must be published products of this cooperative' }],
      );
    }
    await m.query(`DELETE FROM show_products WHERE show_id = $1`, [showId]);
    await m.query(
      `INSERT INTO show_products (show_id, product_id, position) SELECT $1, id, ord - 1 FROM unnest($2::uuid[]) WITH ORDINALITY AS t(id, ord)`,
      [showId, unique],
    );
  }

  private async row(showId: string, viewerId: string | null, publicOnly: boolean): Promise<ListRow | null> {
    const [row] = await this.db.query(
      `${LIST_SELECT} WHERE s.id = $2 ${publicOnly ? `AND s.status <> 'cancelled' AND c.status = 'approved'` : ''}`,
      [viewerId, showId],
    );
    return (row as ListRow) ?? null;
  }

  private listItem(r: ListRow): ShowListItem {
    const cover = r.cover_key ?? r.first_thumb;
    return {
      id: r.id,
      title: r.title,
      status: r.status,
      scheduledAt: new Date(r.scheduled_at).toISOString(),
      startedAt: r.started_at ? new Date(r.started_at).toISOString() : null,
      endedAt: r.ended_at ? new Date(r.ended_at).toISOString() : null,
      coverUrl: cover ? this.storage.url(cover) : null,
      cooperative: { id: r.cooperative_id, name: r.cooperative_name, province: r.province, county: r.county },
      hostName: r.host_name,
      productCount: r.product_count,
      subscriberCount: r.subscriber_count,
      subscribed: r.subscribed,
      following: r.following,
    };
  }

  private async detailOf(r: ListRow): Promise<FullShowDetail> {
    const products: {
      id: string;
      name_zh: string;
      unit: string;
      price_fen: string;
      stock: number;
      sold_count: number;
      thumb_key: string | null;
    }[] = await this.db.query(
      `SELECT p.id, p.name_zh, p.unit, p.price_fen, p.stock, p.sold_count,
              (SELECT ph.thumb_key FROM product_photos ph WHERE ph.product_id = p.id ORDER BY ph.position LIMIT 1) AS thumb_key
         FROM show_products sp JOIN products p ON p.id = sp.product_id WHERE sp.show_id = $1 ORDER BY sp.position`,
      [r.id],
    );
    const [stream]: {
      playback_id: string;
      receiving: boolean;
      recording: string;
      recording_ranges: RecordedRange[] | null;
      recording_ms: number | null;
    }[] = await this.db.query(
      `SELECT playback_id, receiving, recording, recording_ranges, recording_ms FROM show_streams WHERE show_id = $1`,
      [r.id],
    );
    const pins: { product_id: string; name_zh: string; pinned_at: Date; unpinned_at: Date | null }[] =
      await this.db.query(
        `SELECT pn.product_id, p.name_zh, pn.pinned_at, pn.unpinned_at FROM pins pn JOIN products p ON p.id = pn.product_id
        WHERE pn.show_id = $1 ORDER BY pn.pinned_at`,
        [r.id],
      );
    const timeline = pins.map((p): PinTimelineEntry => ({
      productId: p.product_id,
      productName: p.name_zh,
      pinnedAt: new Date(p.pinned_at).toISOString(),
      unpinnedAt: p.unpinned_at ? new Date(p.unpinned_at).toISOString() : null,
    }));
    return {
      ...this.listItem(r),
      description: r.description,
      products: products.map((p) => ({
        id: p.id,
        nameZh: p.name_zh,
        unit: p.unit as never,
        priceFen: Number(p.price_fen),
        stock: p.stock,
        soldCount: Number(p.sold_count),
        coverThumbUrl: p.thumb_key ? this.storage.url(p.thumb_key) : null,
      })),
      summary: r.status === 'ended' ? r.summary : null,
      pins: timeline,
      video: showVideo(this.config, r.status, stream ?? null),
      replay:
        r.status === 'ended' && stream?.recording === 'ready' && stream.recording_ranges
          ? {
              url: hlsPath(stream.playback_id),
              durationSeconds: (stream.recording_ms ?? 0) / 1000,
              chapters: replayChapters(
                { ranges: stream.recording_ranges, durationSeconds: (stream.recording_ms ?? 0) / 1000, ended: true },
                timeline,
              ),
            }
          : null,
    };
  }

  private async consoleOf(p: Principal, r: ListRow): Promise<ConsoleShow> {
    const stats = await this.reader.hostStats(r.id);
    stats.viewers = r.status === 'live' ? await this.hub.viewerCount(r.id) : 0;
    return {
      ...(await this.detailOf(r)),
      hostId: r.host_id,
      canManage: showAccess(p.userId, p.roles, { cooperativeId: r.cooperative_id, hostId: r.host_id }) === 'manage',
      stats,
    };
  }
}
