import { randomUUID } from 'node:crypto';
import type { ShowStatus } from '@xiangbo/contracts';
import {
  createTestApp,
  fastBuyers,
  insertCooperative,
  insertProduct,
  TEST_ADDRESS,
  TestApp,
  userWithRoles,
} from '../../test/test-app';
import { orderNumber } from '../orders/claims.service';
import { OrdersRepository } from '../orders/orders.repository';
import { DealsRepository } from './deals.repository';
import { ShowsRepository } from './shows.repository';

/** The shows repository against PostgreSQL (medium tier): the list's filters and order, products, the summary's sums. */
describe('ShowsRepository (real PostgreSQL)', () => {
  let t: TestApp;
  let repo: ShowsRepository;
  let coopId: string;
  let hostId: string;
  beforeAll(async () => {
    t = await createTestApp();
    repo = t.app.get(ShowsRepository);
    coopId = (await insertCooperative(t)).id;
    hostId = (await userWithRoles(t, [{ role: 'host', cooperativeId: coopId }])).user.id;
  });
  afterAll(() => t.close());

  const m = () => t.db.manager;
  const hoursFromNow = (h: number) => new Date(Date.now() + h * 3600_000);

  async function insertShow(
    coop: string,
    status: ShowStatus,
    scheduledAt: Date,
    times: { started?: Date; ended?: Date } = {},
  ): Promise<string> {
    const id = randomUUID();
    await repo.insert(m(), { id, cooperativeId: coop, hostId, title: `${status} show`, description: '', scheduledAt });
    await t.db.query(`UPDATE shows SET status = $2, started_at = $3, ended_at = $4 WHERE id = $1`, [
      id,
      status,
      times.started ?? null,
      times.ended ?? null,
    ]);
    return id;
  }

  it('the public list: approved cooperatives, no cancelled shows; live first, then the next scheduled, then the latest ended', async () => {
    const coop = (await insertCooperative(t)).id;
    const pending = (await insertCooperative(t, { status: 'pending' })).id;
    const later = await insertShow(coop, 'scheduled', hoursFromNow(5));
    const sooner = await insertShow(coop, 'scheduled', hoursFromNow(1));
    const live = await insertShow(coop, 'live', hoursFromNow(-1), { started: hoursFromNow(-1) });
    const endedLongAgo = await insertShow(coop, 'ended', hoursFromNow(-50), {
      started: hoursFromNow(-50),
      ended: hoursFromNow(-49),
    });
    const endedYesterday = await insertShow(coop, 'ended', hoursFromNow(-26), {
      started: hoursFromNow(-26),
      ended: hoursFromNow(-25),
    });
    const cancelled = await insertShow(coop, 'cancelled', hoursFromNow(2));
    await insertShow(pending, 'live', hoursFromNow(-1));

    expect(await repo.countListed(m(), null, coop)).toBe(5);
    const all = await repo.listed(m(), null, null, coop, { limit: 10, offset: 0 });
    expect(all.map((r) => r.id)).toEqual([live, sooner, later, endedYesterday, endedLongAgo]);
    const page2 = await repo.listed(m(), null, null, coop, { limit: 2, offset: 2 });
    expect(page2.map((r) => r.id)).toEqual([later, endedYesterday]);

    expect(await repo.countListed(m(), 'cancelled', coop)).toBe(1);
    expect((await repo.listed(m(), null, 'cancelled', coop, { limit: 10, offset: 0 }))[0].id).toBe(cancelled);
    expect(await repo.countListed(m(), 'live', pending)).toBe(0);
    expect(
      (await repo.listed(m(), null, 'live', null, { limit: 100, offset: 0 })).every(
        (r) => r.cooperative_id !== pending,
      ),
    ).toBe(true);

    // the console sees every show of its cooperative, cancelled ones too; a public page does not see a cancelled show
    expect((await repo.ofCooperative(m(), hostId, coop)).map((r) => r.id)).toContain(cancelled);
    expect(await repo.row(m(), null, cancelled, true)).toBeNull();
    expect((await repo.row(m(), null, cancelled, false))?.status).toBe('cancelled');
  });

  it('a viewer’s subscribed and following flags; product count and the first product photo', async () => {
    const show = await insertShow(coopId, 'scheduled', hoursFromNow(3));
    const [viewer, other] = await fastBuyers(t, 2);
    await t.db.query(`INSERT INTO show_subscriptions (show_id, user_id) VALUES ($1, $2)`, [show, viewer.id]);
    await t.db.query(`INSERT INTO follows (user_id, cooperative_id) VALUES ($1, $2)`, [viewer.id, coopId]);
    const [a, b] = [await insertProduct(t, coopId), await insertProduct(t, coopId)];
    await repo.replaceProducts(m(), show, [b.id, a.id]);
    await t.db.query(
      `INSERT INTO product_photos (product_id, position, storage_key, thumb_key, width, height) VALUES ($1, 0, 'b.webp', 'b-thumb.webp', 800, 600)`,
      [b.id],
    );

    const seen = await repo.row(m(), viewer.id, show, true);
    expect(seen).toMatchObject({
      subscribed: true,
      following: true,
      product_count: 2,
      subscriber_count: 1,
      first_thumb: 'b-thumb.webp',
      cooperative_id: coopId,
      host_id: hostId,
    });
    expect(await repo.row(m(), other.id, show, true)).toMatchObject({ subscribed: false, following: false });
    expect(await repo.row(m(), null, show, true)).toMatchObject({ subscribed: false, following: false });
  });

  it('products: only published ones of the cooperative qualify; replacing keeps the order given', async () => {
    const show = await insertShow(coopId, 'scheduled', hoursFromNow(3));
    const [a, b, c] = [await insertProduct(t, coopId), await insertProduct(t, coopId), await insertProduct(t, coopId)];
    const hidden = await insertProduct(t, coopId);
    await t.db.query(`UPDATE products SET published = false WHERE id = $1`, [hidden.id]);
    const foreign = await insertProduct(t, (await insertCooperative(t)).id);
    const ok = await repo.publishedOfCooperative(m(), [a.id, hidden.id, foreign.id, c.id], coopId);
    expect(ok.map((r) => r.id).sort()).toEqual([a.id, c.id].sort());

    await repo.replaceProducts(m(), show, [c.id, a.id, b.id]);
    expect((await repo.products(m(), show)).map((p) => p.id)).toEqual([c.id, a.id, b.id]);
    await repo.replaceProducts(m(), show, [b.id]);
    expect((await repo.products(m(), show)).map((p) => p.id)).toEqual([b.id]);
  });

  it('update writes only the fields given; forAccess reads what the access checks need', async () => {
    const at = hoursFromNow(4);
    const show = await insertShow(coopId, 'scheduled', at);
    await repo.update(m(), show, { description: '新鲜木耳' });
    const [row] = await t.db.query(`SELECT title, description, scheduled_at FROM shows WHERE id = $1`, [show]);
    expect(row).toEqual({ title: 'scheduled show', description: '新鲜木耳', scheduled_at: at });
    await repo.update(m(), show, { title: '新标题', scheduledAt: hoursFromNow(6) });
    expect((await repo.row(m(), null, show, false))?.title).toBe('新标题');
    await repo.update(m(), show, {}); // nothing to change: no statement
    expect(await t.db.transaction((tx) => repo.forAccess(tx, show, true))).toEqual({
      id: show,
      status: 'scheduled',
      cooperative_id: coopId,
      host_id: hostId,
    });
    expect(await repo.forAccess(m(), randomUUID(), false)).toBeNull();
  });

  it('the summary figures count paid orders only, per product and per deal', async () => {
    const show = await insertShow(coopId, 'live', hoursFromNow(-1), { started: hoursFromNow(-1) });
    const product = await insertProduct(t, coopId, { price_fen: 5900, stock: 100 });
    const deals = t.app.get(DealsRepository);
    const dealId = await deals.insert(m(), {
      showId: show,
      productId: product.id,
      priceFen: 2900,
      listPriceFen: 5900,
      quantity: 50,
      perBuyerCap: 5,
      durationSeconds: 60,
      createdBy: hostId,
    });
    const buyers = await fastBuyers(t, 3);
    const now = new Date();
    const claims = buyers.map((b, i) => ({
      paymentId: randomUUID(),
      orderId: randomUUID(),
      lineId: randomUUID(),
      number: orderNumber(now),
      buyerId: b.id,
      cooperativeId: coopId,
      productId: product.id,
      productName: '柞水木耳',
      unit: 'box',
      unitPriceFen: i === 0 ? 5900 : 2900,
      quantity: i + 1,
      address: TEST_ADDRESS,
      showId: show,
      offerId: i === 0 ? null : dealId,
    }));
    await t.db.transaction((tx) =>
      t.app.get(OrdersRepository).insertClaims(tx, claims, 'demo', new Date(now.getTime() + 900_000), now),
    );
    // buyers 0 and 1 paid (5900×1, 2900×2); buyer 2's order is still unpaid
    await t.db.query(`UPDATE orders SET status = 'paid' WHERE id = ANY($1::uuid[])`, [
      [claims[0].orderId, claims[1].orderId],
    ]);
    await t.db.query(
      `INSERT INTO chat_messages (show_id, user_id, display_name, text) VALUES ($1, $2, 'a', 'hi'), ($1, $2, 'a', 'hello')`,
      [show, buyers[0].id],
    );
    await t.db.query(`INSERT INTO show_viewers (show_id, viewer_key) VALUES ($1, 'k1'), ($1, 'k2'), ($1, 'k3')`, [
      show,
    ]);
    await t.db.query(`UPDATE shows SET likes = 9, peak_viewers = 3 WHERE id = $1`, [show]);

    const figures = await repo.figures(m(), show);
    expect(figures).toMatchObject({ likes: 9, peak_viewers: 3, unique_viewers: 3, chat: 2 });
    expect(figures?.duration).toBeGreaterThanOrEqual(3599);
    expect(await repo.orderFigures(m(), show)).toEqual({ orders: 3, paid: 2, gmv: '11700', buyers: 2 });
    expect(await repo.productSales(m(), show)).toEqual([
      { product_id: product.id, product_name: '柞水木耳', unit: 'box', units: 3, revenue: '11700' },
    ]);
    expect(await repo.dealSales(m(), show)).toEqual([
      { id: dealId, name_zh: '柞水木耳', price_fen: '2900', quantity: 50, sold: 2 },
    ]);

    expect(await repo.hostStats(m(), show)).toEqual({
      likes: 9,
      peak_viewers: 3,
      chat: 2,
      orders: 3,
      paid: 2,
      gmv: '11700',
    });
    expect(await repo.stockInLiveShows(m(), [product.id])).toEqual([]); // not presented in the show
    await repo.replaceProducts(m(), show, [product.id]);
    expect(await repo.stockInLiveShows(m(), [product.id])).toEqual([
      { show_id: show, product_id: product.id, stock: 100 },
    ]);
    expect(await repo.roomShow(m(), show)).toMatchObject({ id: show, status: 'live', likes: 9, peak_viewers: 3 });

    const empty = await insertShow(coopId, 'scheduled', hoursFromNow(1));
    await repo.replaceProducts(m(), empty, [product.id]);
    expect(await repo.stockInLiveShows(m(), [product.id])).toHaveLength(1); // a scheduled show is not live
    expect(await repo.orderFigures(m(), empty)).toEqual({ orders: 0, paid: 0, gmv: '0', buyers: 0 });
    expect(await repo.productSales(m(), empty)).toEqual([]);
    expect(await repo.figures(m(), randomUUID())).toBeUndefined();
  });

  it('status changes: live, ended (slow mode off), cancelled; the reminder’s and the summary’s reads', async () => {
    const show = await insertShow(coopId, 'scheduled', hoursFromNow(2));
    await repo.markLive(m(), show);
    await repo.setSlowMode(m(), show, 30);
    expect(await t.db.transaction((tx) => repo.lockedStatus(tx, show))).toBe('live');
    await repo.markEnded(m(), show);
    const [row] = await t.db.query(
      `SELECT status, slow_mode_seconds, started_at IS NOT NULL AS started, ended_at IS NOT NULL AS ended FROM shows WHERE id = $1`,
      [show],
    );
    expect(row).toEqual({ status: 'ended', slow_mode_seconds: 0, started: true, ended: true });
    const other = await insertShow(coopId, 'scheduled', hoursFromNow(2));
    await repo.markCancelled(m(), other);
    expect(await repo.schedule(m(), other)).toMatchObject({ status: 'cancelled' });
    expect(await repo.schedule(m(), randomUUID())).toBeNull();
  });
});
