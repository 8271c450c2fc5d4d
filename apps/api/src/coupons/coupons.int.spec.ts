import type { ConsoleCoupon, CouponQuote, LiveCoupon, MyCoupon } from '@xiangbo/contracts';
import {
  createTestApp,
  fastBuyers,
  insertCooperative,
  TestApp,
  TEST_ADDRESS,
  userWithRoles,
} from '../../test/test-app';
import { LifecycleService } from '../orders/lifecycle.service';
import { bearer, joined, listen, liveShowFixture, nextEvent, secondApp } from '../live/live.test-helpers';
import { CouponsService } from './coupons.service';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * 直播间专享券 on real PostgreSQL: the host drops coupons in the room, viewers claim them through batched claims
 * (never more than issued, each viewer's limit exact, also over two app instances), checkout applies the best one by
 * compare-and-set (one coupon, one order), cancelling gives it back once, and the wrong side is refused.
 */
describe('live coupons', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp({ REDIS_URL });
    port = await listen(t);
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  const drop = (showId: string, token: string, body: Record<string, unknown>) =>
    t.http.post(`/api/console/shows/${showId}/coupons`).set(bearer(token)).send(body);
  const claim = (couponId: string, token: string) =>
    t.http.post(`/api/coupons/${couponId}/claim`).set(bearer(token)).send({});
  const order = (token: string, productId: string, quantity: number, extra: Record<string, unknown> = {}) =>
    t.http
      .post('/api/orders')
      .set(bearer(token))
      .send({ items: [{ productId, quantity }], address: TEST_ADDRESS, ...extra });
  const counts = async (couponId: string) => {
    const [r] = await t.db.query(
      `SELECT c.claimed, c.quantity, (SELECT count(*)::int FROM coupon_claims x WHERE x.coupon_id = c.id) AS rows
         FROM coupons c WHERE c.id = $1`,
      [couponId],
    );
    return r as { claimed: number; quantity: number; rows: number };
  };

  it('the host drops a coupon and the room hears it live; 1,000 viewers claiming 100 get exactly 100', async () => {
    const { show, host } = await liveShowFixture(t);
    const viewer = (await joined(port, show.id)).s;
    const heard = nextEvent(viewer, 'coupon:changed');
    const dropped = await drop(show.id, host.token, {
      amountOffFen: 500,
      minSpendFen: 5000,
      quantity: 100,
      perViewerLimit: 1,
      validity: 'show',
    }).expect(201);
    const coupon = dropped.body as ConsoleCoupon;
    expect((await heard) as LiveCoupon).toMatchObject({ id: coupon.id, quantity: 100, claimed: 0, amountOffFen: 500 });
    viewer.disconnect();

    const buyers = await fastBuyers(t, 1000);
    const results = await Promise.all(buyers.map((b) => claim(coupon.id, b.token)));
    const won = results.filter((r) => r.status === 201);
    const lost = results.filter((r) => r.status !== 201);
    expect(won).toHaveLength(100);
    expect(new Set(lost.map((r) => `${r.status} ${r.body.code}`))).toEqual(new Set(['409 COUPONS_GONE']));
    expect(await counts(coupon.id)).toEqual({ claimed: 100, quantity: 100, rows: 100 });
    // decided in batches, not one transaction per viewer
    expect(t.app.get(CouponsService).stats.batches).toBeLessThan(200);
  }, 120_000);

  it('each viewer’s limit is exact, also when one viewer taps many times at once', async () => {
    const { show, host } = await liveShowFixture(t);
    const coupon = (
      await drop(show.id, host.token, {
        amountOffFen: 300,
        minSpendFen: 0,
        quantity: 1000,
        perViewerLimit: 2,
        validity: '24h',
      }).expect(201)
    ).body as ConsoleCoupon;
    const viewers = await fastBuyers(t, 20);
    const taps = viewers.flatMap((v) => Array.from({ length: 5 }, () => claim(coupon.id, v.token)));
    const results = await Promise.all(taps);
    expect(results.filter((r) => r.status === 201)).toHaveLength(40);
    expect(new Set(results.filter((r) => r.status !== 201).map((r) => r.body.code))).toEqual(
      new Set(['COUPON_LIMIT_REACHED']),
    );
    const per: { n: number }[] = await t.db.query(
      `SELECT count(*)::int AS n FROM coupon_claims WHERE coupon_id = $1 GROUP BY user_id`,
      [coupon.id],
    );
    expect(per.map((r) => r.n)).toEqual(Array(20).fill(2));
    expect((await counts(coupon.id)).claimed).toBe(40);
  }, 60_000);

  it('two app instances on the same database: never more than issued, limits exact', async () => {
    const { show, host } = await liveShowFixture(t);
    const coupon = (
      await drop(show.id, host.token, {
        amountOffFen: 200,
        minSpendFen: 0,
        quantity: 150,
        perViewerLimit: 1,
        validity: 'show',
      }).expect(201)
    ).body as ConsoleCoupon;
    const b = await secondApp(t.databaseUrl, { REDIS_URL });
    try {
      const request = (await import('supertest')).default;
      const other = request(b.app.getHttpServer());
      const viewers = await fastBuyers(t, 400);
      // every viewer taps on both instances at once
      const results = await Promise.all(
        viewers.flatMap((v) => [
          claim(coupon.id, v.token),
          other.post(`/api/coupons/${coupon.id}/claim`).set(bearer(v.token)).send({}),
        ]),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(150);
      expect(await counts(coupon.id)).toEqual({ claimed: 150, quantity: 150, rows: 150 });
      const twice: unknown[] = await t.db.query(
        `SELECT user_id FROM coupon_claims WHERE coupon_id = $1 GROUP BY user_id HAVING count(*) > 1`,
        [coupon.id],
      );
      expect(twice).toEqual([]);
    } finally {
      await b.close();
    }
  }, 120_000);

  it('checkout applies the best coupon; one coupon is used on one order only; cancelling returns it once', async () => {
    const { show, host, product } = await liveShowFixture(t); // product: ¥59.00
    const small = (
      await drop(show.id, host.token, {
        amountOffFen: 300,
        minSpendFen: 0,
        quantity: 10,
        perViewerLimit: 1,
        validity: '24h',
      }).expect(201)
    ).body as ConsoleCoupon;
    const big = (
      await drop(show.id, host.token, {
        amountOffFen: 1000,
        minSpendFen: 10000,
        quantity: 10,
        perViewerLimit: 1,
        validity: 'show',
      }).expect(201)
    ).body as ConsoleCoupon;
    const [buyer] = await fastBuyers(t, 1);
    await claim(small.id, buyer.token).expect(201);
    const bigClaim = (await claim(big.id, buyer.token).expect(201)).body.claim as MyCoupon;

    // the quote: for one unit (¥59) only the small one reaches its threshold; for two (¥118) the big one is best
    const q1 = (
      await t.http
        .post('/api/coupons/quote')
        .set(bearer(buyer.token))
        .send({ items: [{ productId: product.id, quantity: 1 }] })
        .expect(201)
    ).body as CouponQuote;
    expect(q1.best).toMatchObject({ couponId: small.id, discountFen: 300 });
    const q2 = (
      await t.http
        .post('/api/coupons/quote')
        .set(bearer(buyer.token))
        .send({ items: [{ productId: product.id, quantity: 2 }] })
        .expect(201)
    ).body as CouponQuote;
    expect(q2.usable.map((c) => c.discountFen)).toEqual([1000, 300]);

    // a chosen coupon below its threshold is refused before anything is written
    const refused = await order(buyer.token, product.id, 1, { couponId: bigClaim.id }).expect(409);
    expect(refused.body.code).toBe('COUPON_NOT_USABLE');

    // "none": the full price
    const none = await order(buyer.token, product.id, 1, { couponId: null }).expect(201);
    expect(none.body.checkout.amountFen).toBe(5900);

    // the best one automatically: two units, ¥10 off
    const first = await order(buyer.token, product.id, 2).expect(201);
    expect(first.body.totalFen).toBe(11800 - 1000);
    expect(first.body.checkout.amountFen).toBe(10800);
    expect(first.body.discountFen).toBe(1000);
    const detail = await t.http.get(`/api/orders/${first.body.id}`).set(bearer(buyer.token)).expect(200);
    expect(detail.body).toMatchObject({ totalFen: 10800, discountFen: 1000 });

    // the same coupon named on a second order is refused; the next best is used automatically
    await order(buyer.token, product.id, 2, { couponId: bigClaim.id }).expect(409);
    const second = await order(buyer.token, product.id, 2).expect(201);
    expect(second.body.checkout.amountFen).toBe(11800 - 300);
    const third = await order(buyer.token, product.id, 2).expect(201);
    expect(third.body.checkout.amountFen).toBe(11800);

    // cancelling the first order gives the big coupon back, once (a second cancel, an expiry sweep: nothing more)
    await t.http.post(`/api/orders/${first.body.id}/cancel`).set(bearer(buyer.token)).expect(200);
    await t.http.post(`/api/orders/${first.body.id}/cancel`).set(bearer(buyer.token));
    await t.app.get(LifecycleService).expireDue(new Date(Date.now() + 16 * 60_000));
    const rows: { status: string; order_id: string | null }[] = await t.db.query(
      `SELECT status, order_id FROM coupon_claims WHERE user_id = $1 ORDER BY status`,
      [buyer.id],
    );
    // the expiry cancelled the second order too: both coupons are back, each exactly once
    expect(rows).toEqual([
      { status: 'claimed', order_id: null },
      { status: 'claimed', order_id: null },
    ]);
    const mine = (await t.http.get('/api/me/coupons').set(bearer(buyer.token)).expect(200)).body as MyCoupon[];
    expect(mine.map((c) => c.status)).toEqual(['usable', 'usable']);

    // the buyer pays with it: the paid amount is reduced, the coupon shows as used
    const paid = await order(buyer.token, product.id, 2).expect(201);
    await t.http
      .post(`/api/payments/demo/${paid.body.checkout.paymentId}/confirm`)
      .set(bearer(buyer.token))
      .expect(200);
    const [pay] = await t.db.query(`SELECT amount_fen::int AS a, status FROM payments WHERE id = $1`, [
      paid.body.checkout.paymentId,
    ]);
    expect(pay).toEqual({ a: 10800, status: 'succeeded' });
    const console = (await t.http.get(`/api/console/shows/${show.id}/coupons`).set(bearer(host.token)).expect(200))
      .body as ConsoleCoupon[];
    expect(console.find((c) => c.id === big.id)).toMatchObject({ claimed: 1, used: 1, paid: 1 });
  }, 60_000);

  it('a checkout of two cooperatives: the coupon lowers only its own cooperative’s order and the one payment', async () => {
    const a = await liveShowFixture(t); // product ¥59.00
    const b = await liveShowFixture(t);
    const c = (
      await drop(a.show.id, a.host.token, {
        amountOffFen: 800,
        minSpendFen: 10000,
        quantity: 5,
        perViewerLimit: 1,
        validity: '24h',
      }).expect(201)
    ).body as ConsoleCoupon;
    const [buyer] = await fastBuyers(t, 1);
    await claim(c.id, buyer.token).expect(201);
    const placed = await t.http
      .post('/api/orders')
      .set(bearer(buyer.token))
      .send({
        items: [
          { productId: a.product.id, quantity: 2 },
          { productId: b.product.id, quantity: 1 },
        ],
        address: TEST_ADDRESS,
      })
      .expect(201);
    const orders = placed.body.orders as { id: string; cooperative: { id: string }; totalFen: number }[];
    const byCoop = new Map(orders.map((o) => [o.cooperative.id, o.totalFen]));
    expect(byCoop.get(a.coop.id)).toBe(11800 - 800);
    expect(byCoop.get(b.coop.id)).toBe(5900);
    expect(placed.body.checkout.amountFen).toBe(11800 - 800 + 5900);
    // cancelling the checkout gives the coupon back, once
    await t.app.get(LifecycleService).expireDue(new Date(Date.now() + 16 * 60_000));
    const [row] = await t.db.query(`SELECT status, order_id FROM coupon_claims WHERE user_id = $1`, [buyer.id]);
    expect(row).toEqual({ status: 'claimed', order_id: null });
  }, 60_000);

  it('two orders racing for one coupon: only one gets it', async () => {
    const { show, host, product } = await liveShowFixture(t);
    const c = (
      await drop(show.id, host.token, {
        amountOffFen: 500,
        minSpendFen: 0,
        quantity: 5,
        perViewerLimit: 1,
        validity: '24h',
      }).expect(201)
    ).body as ConsoleCoupon;
    const [buyer] = await fastBuyers(t, 1);
    await claim(c.id, buyer.token).expect(201);
    const results = await Promise.all(Array.from({ length: 8 }, () => order(buyer.token, product.id, 1)));
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(results.filter((r) => r.body.checkout.amountFen === 5400)).toHaveLength(1);
    expect(results.filter((r) => r.body.checkout.amountFen === 5900)).toHaveLength(7);
  }, 60_000);

  it('the wrong side is refused: another cooperative’s host, a plain viewer, another buyer’s coupon', async () => {
    const { show, host } = await liveShowFixture(t);
    const body = { amountOffFen: 500, minSpendFen: 0, quantity: 5, perViewerLimit: 1, validity: 'show' };
    const otherCoop = await insertCooperative(t);
    const otherHost = await userWithRoles(t, [{ role: 'host', cooperativeId: otherCoop.id }]);
    expect((await drop(show.id, otherHost.token, body)).status).toBe(404);
    const [viewer, thief] = await fastBuyers(t, 2);
    expect((await drop(show.id, viewer.token, body)).status).toBe(404);
    await t.http.get(`/api/console/shows/${show.id}/coupons`).set(bearer(otherHost.token)).expect(404);

    const c = (await drop(show.id, host.token, body).expect(201)).body as ConsoleCoupon;
    const held = (await claim(c.id, viewer.token).expect(201)).body.claim as MyCoupon;
    const { product } = await liveShowFixture(t);
    const stolen = await order(thief.token, product.id, 1, { couponId: held.id });
    expect(stolen.status).toBe(409);
    expect(stolen.body.code).toBe('COUPON_NOT_USABLE');
    // and a coupon of this cooperative does not apply to another cooperative's product
    const elsewhere = await order(viewer.token, product.id, 1);
    expect(elsewhere.body.checkout.amountFen).toBe(5900);

    // bad input names the field
    const bad = await drop(show.id, host.token, { ...body, minSpendFen: 100 }).expect(400);
    expect(JSON.stringify(bad.body)).toContain('minSpendFen');

    // a show not on air: no drops, no claims
    await t.http.post(`/api/console/shows/${show.id}/end`).set(bearer(host.token)).expect(200);
    expect((await drop(show.id, host.token, body)).body.code).toBe('COUPON_SHOW_OVER');
    const [late] = await fastBuyers(t, 1);
    expect((await claim(c.id, late.token)).body.code).toBe('COUPON_CLOSED');
    // a show coupon is not usable once its show ended
    const mine = (await t.http.get('/api/me/coupons').set(bearer(viewer.token)).expect(200)).body as MyCoupon[];
    expect(mine.map((x) => x.status)).toEqual(['expired']);
  }, 60_000);
});
