import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { RoleGrant, ShowStatus } from '@xiangbo/contracts';
import { Principal } from '../auth/principal';
import type { DomainEvents } from '../common/domain-events';
import type { AppConfig } from '../config/config';
import type { JobsService } from '../jobs/jobs.service';
import type { StorageService } from '../storage/storage.service';
import type { DealsRepository } from './deals.repository';
import type { LiveHub } from './live-hub';
import type { LiveReader } from './live-reader';
import { LiveException, LiveRestCode } from './live.exception';
import type { NotificationsService } from './notifications.service';
import type { ListRow, ShowsRepository } from './shows.repository';
import { REMINDER_LEAD_MS, SHOW_REMINDER_JOB, ShowsService } from './shows.service';

const COOP = randomUUID();
const OTHER_COOP = randomUUID();
const HOST = randomUUID();

const principal = (userId: string, roles: RoleGrant[]) => new Principal(userId, roles);
const host = principal(HOST, [{ role: 'host', cooperativeId: COOP }]);
const otherHost = principal(randomUUID(), [{ role: 'host', cooperativeId: COOP }]);
const coopAdmin = principal(randomUUID(), [{ role: 'coop_admin', cooperativeId: COOP }]);
const outsider = principal(randomUUID(), [{ role: 'coop_admin', cooperativeId: OTHER_COOP }]);
const buyer = principal(randomUUID(), [{ role: 'buyer', cooperativeId: null }]);

/** The shows service with its repositories and collaborators replaced by in-memory doubles (no database). */
function setup(opts: { status?: ShowStatus; exists?: boolean; published?: string[] } = {}) {
  const showId = randomUUID();
  const state = { status: opts.status ?? ('scheduled' as ShowStatus), exists: opts.exists ?? true };
  const m = { tag: 'tx' } as unknown as EntityManager;
  const shows = {
    forAccess: jest.fn(async () =>
      state.exists ? { id: showId, status: state.status, cooperative_id: COOP, host_id: HOST } : null,
    ),
    row: jest.fn(async (): Promise<ListRow | null> => (state.exists ? baseRow(showId, state.status) : null)),
    products: jest.fn(async () => []),
    stream: jest.fn(async () => null),
    liveStream: jest.fn(async () => null),
    pins: jest.fn(async () => []),
    insert: jest.fn(async () => undefined),
    update: jest.fn(async () => undefined),
    markLive: jest.fn(async () => {
      state.status = 'live';
    }),
    markEnded: jest.fn(async () => {
      state.status = 'ended';
    }),
    markCancelled: jest.fn(async () => {
      state.status = 'cancelled';
    }),
    unpin: jest.fn(async () => undefined),
    publishedOfCooperative: jest.fn(async (_m: unknown, ids: string[]) =>
      ids.filter((id) => (opts.published ?? ids).includes(id)).map((id) => ({ id })),
    ),
    replaceProducts: jest.fn(async () => undefined),
    lockedStatus: jest.fn(async () => state.status),
    schedule: jest.fn(async () => ({ status: state.status, scheduled_at: new Date('2026-12-08T02:00:00Z') })),
    figures: jest.fn(async () => ({ likes: 7, peak_viewers: 40, duration: 3600, unique_viewers: 300, chat: 12 })),
    orderFigures: jest.fn(async () => ({ orders: 10, paid: 8, gmv: '123400', buyers: 7 })),
    productSales: jest.fn(async () => [
      { product_id: 'p1', product_name: '木耳', unit: 'box', units: 9, revenue: '99000' },
    ]),
    dealSales: jest.fn(async () => [{ id: 'd1', name_zh: '木耳', price_fen: '2900', quantity: 50, sold: 12 }]),
    storeSummary: jest.fn(async () => undefined),
  };
  const deals = { closeOpenOfShow: jest.fn(async () => ['deal-1']) };
  const db = {
    manager: { tag: 'db' },
    transaction: jest.fn(async (fn: (m: EntityManager) => unknown) => fn(m)),
  };
  const hub = {
    change: jest.fn(),
    viewerCount: jest.fn(async () => 3),
    flushUniqueViewers: jest.fn(async () => undefined),
  };
  const reader = {
    hostStats: jest.fn(async () => ({ viewers: 0 })),
    deals: jest.fn(async () => [{ id: 'deal-1', showId, status: 'closed' }]),
  };
  const notifications = {
    forShow: jest.fn(async () => [{ userId: 'u1' }]),
    deliver: jest.fn(async () => undefined),
  };
  const jobs = { register: jest.fn(), sendAt: jest.fn(async () => undefined) };
  const storage = { url: (k: string) => `/media/${k}`, put: jest.fn() };
  const service = new ShowsService(
    db as unknown as DataSource,
    shows as unknown as ShowsRepository,
    deals as unknown as DealsRepository,
    storage as unknown as StorageService,
    reader as unknown as LiveReader,
    hub as unknown as LiveHub,
    jobs as unknown as JobsService,
    notifications as unknown as NotificationsService,
    { on: jest.fn() } as unknown as DomainEvents,
    { MEDIA_SERVER: 'off' } as unknown as AppConfig,
  );
  return { service, showId, state, shows, deals, hub, reader, notifications, jobs, m };
}

async function refusal(p: Promise<unknown>): Promise<{ code: string; status: number }> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(LiveException);
    const { code, status } = e as LiveException;
    return { code, status };
  }
  throw new Error('expected a refusal');
}

describe('ShowsService rules (unit, no database)', () => {
  describe('who may change a show', () => {
    it('its host and its cooperative’s coop_admin may; the row is locked for the change', async () => {
      for (const who of [host, coopAdmin]) {
        const t = setup();
        await t.service.cancel(who, t.showId);
        expect(t.shows.forAccess).toHaveBeenCalledWith(t.m, t.showId, true);
        expect(t.shows.markCancelled).toHaveBeenCalledWith(t.m, t.showId);
      }
    });

    it('another host of the cooperative may look but not change (403 SHOW_READ_ONLY)', async () => {
      const t = setup();
      expect(await refusal(t.service.start(otherHost, t.showId))).toEqual({
        code: LiveRestCode.SHOW_READ_ONLY,
        status: 403,
      });
      expect(t.shows.markLive).not.toHaveBeenCalled();
      expect((await t.service.consoleShow(otherHost, t.showId)).canManage).toBe(false);
    });

    it('another cooperative’s admin, a buyer, a missing show and a malformed id are all 404 SHOW_NOT_FOUND', async () => {
      for (const who of [outsider, buyer]) {
        const t = setup();
        expect(await refusal(t.service.start(who, t.showId))).toEqual({
          code: LiveRestCode.SHOW_NOT_FOUND,
          status: 404,
        });
        expect(await refusal(t.service.consoleShow(who, t.showId))).toMatchObject({ status: 404 });
        expect(t.shows.markLive).not.toHaveBeenCalled();
      }
      const gone = setup({ exists: false });
      expect(await refusal(gone.service.end(host, gone.showId))).toMatchObject({ code: 'SHOW_NOT_FOUND' });
      const bad = setup();
      expect(await refusal(bad.service.cancel(host, 'not-a-uuid'))).toMatchObject({ code: 'SHOW_NOT_FOUND' });
      expect(bad.shows.forAccess).not.toHaveBeenCalled();
    });

    it('assertManage reads without the lock, on the data source', async () => {
      const t = setup();
      await t.service.assertManage(host, t.showId);
      expect(t.shows.forAccess).toHaveBeenCalledWith({ tag: 'db' }, t.showId, false);
      expect(await refusal(t.service.assertManage(otherHost, t.showId))).toMatchObject({ status: 403 });
    });

    it('the console of a cooperative is for its staff only (404 COOPERATIVE_NOT_FOUND to others)', async () => {
      const t = setup();
      expect(await refusal(t.service.listForCooperative(outsider, COOP))).toEqual({
        code: LiveRestCode.COOPERATIVE_NOT_FOUND,
        status: 404,
      });
      expect(
        await refusal(t.service.create(buyer, COOP, { title: 'x', scheduledAt: '', productIds: [] })),
      ).toMatchObject({ code: LiveRestCode.COOPERATIVE_NOT_FOUND });
      expect(t.shows.insert).not.toHaveBeenCalled();
    });
  });

  describe('state transitions', () => {
    const cases: [ShowStatus, 'start' | 'end' | 'cancel' | 'update', boolean][] = [
      ['scheduled', 'start', true],
      ['live', 'start', false],
      ['ended', 'start', false],
      ['cancelled', 'start', false],
      ['live', 'end', true],
      ['scheduled', 'end', false],
      ['ended', 'end', false],
      ['scheduled', 'cancel', true],
      ['live', 'cancel', false],
      ['ended', 'cancel', false],
      ['scheduled', 'update', true],
      ['live', 'update', false],
      ['cancelled', 'update', false],
    ];
    it.each(cases)(
      'a %s show: %s allowed = %s (otherwise 409 INVALID_SHOW_TRANSITION, nothing written)',
      async (status, action, ok) => {
        const t = setup({ status });
        const run = () =>
          action === 'update'
            ? t.service.update(host, t.showId, { title: '新标题' })
            : t.service[action](host, t.showId);
        if (ok) {
          await run();
        } else {
          expect(await refusal(run())).toEqual({ code: LiveRestCode.INVALID_SHOW_TRANSITION, status: 409 });
          for (const write of [t.shows.markLive, t.shows.markEnded, t.shows.markCancelled, t.shows.update])
            expect(write).not.toHaveBeenCalled();
          expect(t.hub.change).not.toHaveBeenCalled();
        }
      },
    );

    it('going live marks the show live, tells subscribers and followers, and broadcasts the status', async () => {
      const t = setup();
      await t.service.start(host, t.showId);
      expect(t.shows.markLive).toHaveBeenCalledWith(t.m, t.showId);
      expect(t.notifications.forShow).toHaveBeenCalledWith(t.m, t.showId, 'show_live', 'subscribers_and_followers');
      expect(t.notifications.deliver).toHaveBeenCalledWith([{ userId: 'u1' }]);
      expect(t.hub.change).toHaveBeenCalledWith(t.showId, expect.objectContaining({ status: 'live' }));
    });

    it('ending unpins, closes the open deal, stores the summary, and broadcasts the closed deal and the end', async () => {
      const t = setup({ status: 'live' });
      await t.service.end(host, t.showId);
      expect(t.hub.flushUniqueViewers).toHaveBeenCalled();
      expect(t.shows.unpin).toHaveBeenCalledWith(t.m, t.showId);
      expect(t.deals.closeOpenOfShow).toHaveBeenCalledWith(t.m, t.showId);
      expect(t.shows.markEnded).toHaveBeenCalledWith(t.m, t.showId);
      expect(t.shows.storeSummary).toHaveBeenCalledWith(t.m, t.showId, expect.objectContaining({ gmvFen: 123400 }));
      expect(t.reader.deals).toHaveBeenCalledWith(['deal-1']);
      expect(t.hub.change).toHaveBeenCalledWith(t.showId, { deal: { id: 'deal-1', status: 'closed' } });
      expect(t.hub.change).toHaveBeenLastCalledWith(t.showId, expect.objectContaining({ status: 'ended', pin: null }));
    });

    it('editing writes only the fields given; a new time schedules a new reminder', async () => {
      const t = setup();
      const at = new Date(Date.now() + 3 * 3600_000);
      await t.service.update(host, t.showId, { description: '新鲜', scheduledAt: at.toISOString() });
      expect(t.shows.update).toHaveBeenCalledWith(t.m, t.showId, {
        title: undefined,
        description: '新鲜',
        scheduledAt: at,
      });
      expect(t.jobs.sendAt).toHaveBeenCalledWith(
        SHOW_REMINDER_JOB,
        { showId: t.showId, scheduledAt: at.toISOString() },
        new Date(at.getTime() - REMINDER_LEAD_MS),
        `reminder:${t.showId}:${at.toISOString()}`,
      );
      const same = setup();
      await same.service.update(host, same.showId, { title: '只改标题' });
      expect(same.jobs.sendAt).not.toHaveBeenCalled();
    });

    it('no reminder for a show starting within the lead time', async () => {
      const t = setup();
      const at = new Date(Date.now() + REMINDER_LEAD_MS - 60_000);
      await t.service.create(host, COOP, { title: '马上开播', scheduledAt: at.toISOString(), productIds: [] });
      expect(t.shows.insert).toHaveBeenCalledWith(t.m, expect.objectContaining({ hostId: HOST, description: '' }));
      expect(t.jobs.sendAt).not.toHaveBeenCalled();
    });
  });

  describe('products of a show', () => {
    it('must all be published products of the cooperative (400, field productIds); duplicates count once', async () => {
      const [a, b] = [randomUUID(), randomUUID()];
      const t = setup({ published: [a] });
      const e = await t.service
        .update(host, t.showId, { productIds: [a, b] })
        .then(() => null)
        .catch((err: LiveException) => err);
      expect(e).toMatchObject({ code: LiveRestCode.PRODUCTS_NOT_OF_COOPERATIVE, status: 400 });
      expect(e?.errors).toEqual([{ field: 'productIds', message: expect.any(String) }]);
      expect(t.shows.replaceProducts).not.toHaveBeenCalled();

      const ok = setup();
      await ok.service.update(host, ok.showId, { productIds: [a, b, a] });
      expect(ok.shows.publishedOfCooperative).toHaveBeenCalledWith(ok.m, [a, b], COOP);
      expect(ok.shows.replaceProducts).toHaveBeenCalledWith(ok.m, ok.showId, [a, b]);
    });
  });

  describe('summary', () => {
    it('conversion is paying buyers over unique viewers (4 decimals); money as numbers; no viewers: 0', async () => {
      const t = setup();
      const s = await t.service.computeSummary(t.m, t.showId);
      expect(s).toEqual({
        peakViewers: 40,
        uniqueViewers: 300,
        chatMessages: 12,
        likes: 7,
        orders: 10,
        paidOrders: 8,
        gmvFen: 123400,
        buyers: 7,
        conversion: 0.0233,
        perProduct: [{ productId: 'p1', productName: '木耳', unit: 'box', units: 9, revenueFen: 99000 }],
        deals: [{ id: 'd1', productName: '木耳', priceFen: 2900, quantity: 50, sold: 12 }],
        durationSeconds: 3600,
      });
      t.shows.figures.mockResolvedValueOnce({ likes: 0, peak_viewers: 0, duration: -5, unique_viewers: 0, chat: 0 });
      const empty = await t.service.computeSummary(t.m, t.showId);
      expect(empty.conversion).toBe(0);
      expect(empty.durationSeconds).toBe(0);
    });

    it('a late payment refreshes the summary of an ended show only', async () => {
      const ended = setup({ status: 'ended' });
      await ended.service.refreshSummaryIfEnded(ended.showId);
      expect(ended.shows.storeSummary).toHaveBeenCalled();
      const live = setup({ status: 'live' });
      await live.service.refreshSummaryIfEnded(live.showId);
      expect(live.shows.storeSummary).not.toHaveBeenCalled();
    });

    it('the public page shows sales figures to the cooperative’s staff only', async () => {
      const t = setup({ status: 'ended' });
      const summary = await t.service.computeSummary(t.m, t.showId);
      t.shows.row.mockResolvedValue({ ...baseRow(t.showId, t.state.status), summary });
      const staff = await t.service.detail(t.showId, otherHost);
      expect(staff.summary).toMatchObject({ gmvFen: 123400, buyers: 7 });
      const visitor = await t.service.detail(t.showId, null);
      expect(visitor.summary).toEqual({
        peakViewers: 40,
        uniqueViewers: 300,
        chatMessages: 12,
        likes: 7,
        durationSeconds: 3600,
      });
      expect(await refusal(t.service.detail('nope', null))).toMatchObject({ code: 'SHOW_NOT_FOUND' });
    });
  });

  describe('reminder job', () => {
    it('reminds subscribers only if the show is still scheduled for the time the job was made for', async () => {
      const t = setup();
      expect(await t.service.remind(t.showId, '2026-12-08T02:00:00.000Z')).toBe(1);
      expect(t.notifications.forShow).toHaveBeenCalledWith(t.m, t.showId, 'show_reminder', 'subscribers');
      const moved = setup();
      expect(await moved.service.remind(moved.showId, '2026-12-08T03:00:00.000Z')).toBe(0);
      const cancelled = setup({ status: 'cancelled' });
      expect(await cancelled.service.remind(cancelled.showId, '2026-12-08T02:00:00.000Z')).toBe(0);
      expect(moved.notifications.forShow).not.toHaveBeenCalled();
      expect(cancelled.notifications.forShow).not.toHaveBeenCalled();
    });
  });
});

function baseRow(showId: string, status: ShowStatus): ListRow {
  return {
    id: showId,
    title: '秦岭木耳专场',
    description: '',
    status,
    scheduled_at: new Date('2026-12-08T02:00:00Z'),
    started_at: new Date('2026-12-08T02:00:00Z'),
    ended_at: new Date('2026-12-08T03:00:00Z'),
    cover_key: null,
    first_thumb: null,
    cooperative_id: COOP,
    cooperative_name: '柞水县木耳合作社',
    province: '陕西省',
    county: '柞水县',
    host_id: HOST,
    host_name: '李主播',
    product_count: 0,
    subscriber_count: 0,
    subscribed: false,
    following: false,
    summary: null,
  };
}
