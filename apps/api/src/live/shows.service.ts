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
  ShowSummary,
  UpdateShowRequest,
} from '@xiangbo/contracts';
import type { Principal } from '../auth/principal';
import { cooperativeScope, isUuid } from '../common/cooperative-scope';
import { replayChapters } from '@xiangbo/domain';
import { DomainEvents } from '../common/domain-events';
import { APP_CONFIG, AppConfig } from '../config/config';
import { hlsPath, showVideo } from '../media/playback';
import { JobsService } from '../jobs/jobs.service';
import { processImage } from '../storage/image';
import { StorageService } from '../storage/storage.service';
import { LiveException, LiveRestCode } from './live.exception';
import { DealsRepository } from './deals.repository';
import { LiveHub } from './live-hub';
import { LiveReader } from './live-reader';
import { NotificationsService } from './notifications.service';
import { showAccess, ShowAccess } from './show-access';
import { type ListRow, type ShowAccessRow, ShowsRepository } from './shows.repository';

export const SHOW_REMINDER_JOB = 'live.show-reminder';
/** Subscribers are reminded this long before the scheduled start. */
export const REMINDER_LEAD_MS = 10 * 60_000;

/** A show's page with its full summary, sales included (the cooperative's view; detail() trims it for others). */
type FullShowDetail = Omit<ShowDetail, 'summary'> & { summary: ShowSummary | null };

/** Shows: the public list and pages, the host console's schedule, going live, ending (with the summary), cancelling. */
@Injectable()
export class ShowsService implements OnModuleInit {
  private readonly logger = new Logger('Shows');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly shows: ShowsRepository,
    private readonly deals: DealsRepository,
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
    const status = q.status ?? null;
    const coop = q.cooperativeId ?? null;
    const n = await this.shows.countListed(this.db.manager, status, coop);
    const rows = await this.shows.listed(this.db.manager, viewerId, status, coop, {
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    });
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
    const rows = await this.shows.ofCooperative(this.db.manager, p.userId, coopId);
    return Promise.all(rows.map((r) => this.consoleOf(p, r)));
  }

  async create(p: Principal, coopId: string, body: CreateShowRequest): Promise<ConsoleShow> {
    this.assertCooperative(p, coopId);
    const id = randomUUID();
    const scheduledAt = new Date(body.scheduledAt);
    const notified = await this.db.transaction(async (m) => {
      await this.shows.insert(m, {
        id,
        cooperativeId: coopId,
        hostId: p.userId,
        title: body.title,
        description: body.description ?? '',
        scheduledAt,
      });
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
      await this.shows.update(m, showId, {
        title: body.title,
        description: body.description,
        scheduledAt: body.scheduledAt !== undefined ? new Date(body.scheduledAt) : undefined,
      });
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
    await this.shows.setCover(this.db.manager, showId, key);
    return this.consoleShow(p, showId);
  }

  async start(p: Principal, showId: string): Promise<ConsoleShow> {
    const notified = await this.db.transaction(async (m) => {
      const show = await this.lockForManage(m, p, showId);
      if (show.status !== 'scheduled')
        throw new LiveException(LiveRestCode.INVALID_SHOW_TRANSITION, `a ${show.status} show cannot go live`);
      await this.shows.markLive(m, showId);
      return this.notifications.forShow(m, showId, 'show_live', 'subscribers_and_followers');
    });
    const stream = await this.shows.liveStream(this.db.manager, showId);
    this.hub.change(showId, { status: 'live', video: showVideo(this.config, 'live', stream) });
    await this.notifications.deliver(notified);
    return this.consoleShow(p, showId);
  }

  async end(p: Principal, showId: string): Promise<ConsoleShow> {
    await this.hub.flushUniqueViewers(); // this process's viewers of the last half second count too
    const closedDeals = await this.db.transaction(async (m) => {
      const show = await this.lockForManage(m, p, showId);
      if (show.status !== 'live')
        throw new LiveException(LiveRestCode.INVALID_SHOW_TRANSITION, `a ${show.status} show cannot end`);
      await this.shows.unpin(m, showId);
      const deals = await this.deals.closeOpenOfShow(m, showId);
      await this.shows.markEnded(m, showId);
      await this.storeSummary(m, showId);
      return deals;
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
      await this.shows.markCancelled(m, showId);
    });
    this.hub.change(showId, { status: 'cancelled' });
    return this.consoleShow(p, showId);
  }

  // ---- summary ---------------------------------------------------------------------------------------------

  /** Peak and unique viewers, chat, likes, orders, GMV (paid orders of the show), per-product sales, conversion. */
  async computeSummary(m: EntityManager, showId: string): Promise<ShowSummary> {
    const s = await this.shows.figures(m, showId);
    const o = await this.shows.orderFigures(m, showId);
    const perProduct = await this.shows.productSales(m, showId);
    const deals = await this.shows.dealSales(m, showId);
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
    await this.shows.storeSummary(m, showId, summary);
  }

  async refreshSummaryIfEnded(showId: string) {
    await this.db.transaction(async (m) => {
      if ((await this.shows.lockedStatus(m, showId)) === 'ended') await this.storeSummary(m, showId);
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
      const s = await this.shows.schedule(m, showId);
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
    const show = isUuid(showId) ? await this.shows.forAccess(m, showId, lock) : null;
    const access: ShowAccess = show
      ? showAccess(p.userId, p.roles, { cooperativeId: show.cooperative_id, hostId: show.host_id })
      : 'none';
    if (access === 'none') throw new LiveException(LiveRestCode.SHOW_NOT_FOUND, 'show not found');
    if (access === 'read')
      throw new LiveException(
        LiveRestCode.SHOW_READ_ONLY,
        'only the host of this show or the cooperative’s admin can change it',
      );
    return show as ShowAccessRow;
  }

  private async setProducts(m: EntityManager, showId: string, coopId: string, productIds: string[]) {
    const unique = [...new Set(productIds)];
    const ok = await this.shows.publishedOfCooperative(m, unique, coopId);
    if (ok.length !== unique.length) {
      throw new LiveException(
        LiveRestCode.PRODUCTS_NOT_OF_COOPERATIVE,
        'every product must be a published product of this cooperative',
        {},
        [{ field: 'productIds', message: 'must be published products of this cooperative' }],
      );
    }
    await this.shows.replaceProducts(m, showId, unique);
  }

  private async row(showId: string, viewerId: string | null, publicOnly: boolean): Promise<ListRow | null> {
    return this.shows.row(this.db.manager, viewerId, showId, publicOnly);
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
    const products = await this.shows.products(this.db.manager, r.id);
    const stream = await this.shows.stream(this.db.manager, r.id);
    const pins = await this.shows.pins(this.db.manager, r.id);
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
      video: showVideo(this.config, r.status, stream),
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
