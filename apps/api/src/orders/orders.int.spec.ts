import { DataSource } from 'typeorm';
import {
  createTestApp,
  fastBuyers,
  insertCooperative,
  insertProduct,
  registerUser,
  TEST_ADDRESS,
  TestApp,
  userWithRoles,
} from '../../test/test-app';
import { LiveReader } from '../live/live-reader';
import { liveShowFixture } from '../live/live.test-helpers';
import { LifecycleService } from './lifecycle.service';

const stockOf = async (db: DataSource, id: string) =>
  (await db.query('SELECT stock FROM products WHERE id = $1', [id]))[0].stock as number;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('orders and stock reservation (real app, real PostgreSQL)', () => {
  let t: TestApp;
  let coopId: string;
  beforeAll(async () => {
    t = await createTestApp();
    coopId = (await insertCooperative(t)).id;
  });
  afterAll(() => t.close());

  const order = (token: string, productId: string, quantity = 1, extra: Record<string, unknown> = {}) =>
    t.http
      .post('/api/orders')
      .set(bearer(token))
      .send({ items: [{ productId, quantity }], address: TEST_ADDRESS, ...extra });

  it('200 parallel buyers for 50 units: exactly 50 reservations, 150 clear refusals, stock never negative', async () => {
    const product = await insertProduct(t, coopId, { stock: 50 });
    const buyers = await fastBuyers(t, 200);
    const results = await Promise.all(buyers.map((b) => order(b.token, product.id)));
    const created = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 409);
    expect(created).toHaveLength(50);
    expect(refused).toHaveLength(150);
    expect(new Set(refused.map((r) => r.body.code))).toEqual(new Set(['SOLD_OUT']));
    expect(created.every((r) => r.body.status === 'pending_payment')).toBe(true);
    expect(await stockOf(t.db, product.id)).toBe(0);
    const [{ held }] = await t.db.query(
      `SELECT COALESCE(SUM(quantity),0)::int AS held FROM reservations WHERE product_id = $1 AND status = 'held'`,
      [product.id],
    );
    expect(held).toBe(50);
  });

  it('expiry returns stock exactly once, even when two sweeps race', async () => {
    const product = await insertProduct(t, coopId, { stock: 10 });
    const [b1, b2] = await fastBuyers(t, 2);
    const o1 = await order(b1.token, product.id, 3).expect(201);
    await order(b2.token, product.id, 4).expect(201);
    expect(await stockOf(t.db, product.id)).toBe(3);
    const lifecycle = t.app.get(LifecycleService);
    const later = new Date(Date.now() + 16 * 60_000);
    const [a, b] = await Promise.all([lifecycle.expireDue(later), lifecycle.expireDue(later)]);
    expect(a + b).toBeGreaterThanOrEqual(2);
    expect(await stockOf(t.db, product.id)).toBe(10);
    await lifecycle.expireDue(later);
    expect(await stockOf(t.db, product.id)).toBe(10);
    const detail = await t.http.get(`/api/orders/${o1.body.id}`).set(bearer(b1.token)).expect(200);
    expect(detail.body.status).toBe('cancelled');
    expect(
      detail.body.events.map((e: { toStatus: string; actorKind: string }) => `${e.toStatus}:${e.actorKind}`),
    ).toEqual(['pending_payment:buyer', 'cancelled:system']);
    // an expired checkout cannot be paid any more
    await t.http.post(`/api/payments/demo/${o1.body.checkout.paymentId}/confirm`).set(bearer(b1.token)).expect(409);
  });

  it('enforces the per-buyer limit, also under concurrency from one buyer', async () => {
    const product = await insertProduct(t, coopId, { stock: 100, per_buyer_limit: 2 });
    const [buyer] = await fastBuyers(t, 1);
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => order(buyer.token, product.id, 1)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    const refused = results.filter((r) => r.status === 409);
    expect(refused).toHaveLength(3);
    expect(refused.every((r) => r.body.code === 'LIMIT_REACHED')).toBe(true);
    expect(await stockOf(t.db, product.id)).toBe(98);
  });

  it('refuses a multi-item order as a whole when one item is sold out (nothing half-written)', async () => {
    const plenty = await insertProduct(t, coopId, { stock: 20 });
    const scarce = await insertProduct(t, coopId, { stock: 1, name_zh: '猫爪草' });
    const [buyer] = await fastBuyers(t, 1);
    const res = await t.http
      .post('/api/orders')
      .set(bearer(buyer.token))
      .send({
        items: [
          { productId: plenty.id, quantity: 5 },
          { productId: scarce.id, quantity: 2 },
        ],
        address: TEST_ADDRESS,
      })
      .expect(409);
    expect(res.body.code).toBe('SOLD_OUT');
    expect(res.body.details).toMatchObject({ productId: scarce.id, available: 1 });
    expect(await stockOf(t.db, plenty.id)).toBe(20);
    expect(await stockOf(t.db, scarce.id)).toBe(1);
    const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM orders WHERE buyer_id = $1', [buyer.id]);
    expect(n).toBe(0);
  });

  it('answers bad input with 400 naming the field, and unknown products with 409 PRODUCT_UNAVAILABLE', async () => {
    const [buyer] = await fastBuyers(t, 1);
    const product = await insertProduct(t, coopId);
    const bad = await t.http
      .post('/api/orders')
      .set(bearer(buyer.token))
      .send({ items: [{ productId: product.id, quantity: 0 }], address: { ...TEST_ADDRESS, mobile: '123' } })
      .expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'address.mobile',
      'items.0.quantity',
    ]);
    await t.http
      .post('/api/orders')
      .set(bearer(buyer.token))
      .send({ items: [{ productId: product.id, quantity: 1 }] })
      .expect(400);
    const gone = await order(buyer.token, '00000000-0000-4000-8000-000000000000').expect(409);
    expect(gone.body.code).toBe('PRODUCT_UNAVAILABLE');
    await t.http
      .post('/api/orders')
      .send({ items: [{ productId: product.id, quantity: 1 }], address: TEST_ADDRESS })
      .expect(401);
  });

  it('a purchase started in a live room carries its show id (GMV counts it once paid); the show must be live and list the product', async () => {
    const { product, other, show } = await liveShowFixture(t);
    const outside = await insertProduct(t, coopId);
    const [buyer] = await fastBuyers(t, 1);
    const placed = await order(buyer.token, product.id, 2, { showId: show.id }).expect(201);
    const [row] = await t.db.query(`SELECT show_id FROM orders WHERE id = $1`, [placed.body.id]);
    expect(row.show_id).toBe(show.id);
    // a cart of two of the show's products (the multi-line path) carries it too
    const cart = await t.http
      .post('/api/orders')
      .set(bearer(buyer.token))
      .send({
        items: [
          { productId: product.id, quantity: 1 },
          { productId: other.id, quantity: 1 },
        ],
        address: TEST_ADDRESS,
        showId: show.id,
      })
      .expect(201);
    expect((await t.db.query(`SELECT show_id FROM orders WHERE id = $1`, [cart.body.id]))[0].show_id).toBe(show.id);
    await t.http
      .post(`/api/payments/demo/${placed.body.checkout.paymentId}/confirm`)
      .set(bearer(buyer.token))
      .expect(200);
    expect((await t.app.get(LiveReader).hostStats(show.id)).gmvFen).toBe(placed.body.totalFen);

    // refusals: 400 with a code, nothing written, no stock taken
    const before = await stockOf(t.db, outside.id);
    const notListed = await order(buyer.token, outside.id, 1, { showId: show.id }).expect(400);
    expect(notListed.body).toMatchObject({ code: 'PRODUCT_NOT_IN_SHOW', details: { productIds: [outside.id] } });
    const scheduled = await liveShowFixture(t, { live: false });
    const notLive = await order(buyer.token, scheduled.product.id, 1, { showId: scheduled.show.id }).expect(400);
    expect(notLive.body.code).toBe('SHOW_NOT_LIVE');
    const unknown = await order(buyer.token, product.id, 1, { showId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('SHOW_NOT_LIVE');
    const bad = await order(buyer.token, product.id, 1, { showId: 'not-a-show' }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['showId']);
    expect(await stockOf(t.db, outside.id)).toBe(before);
    expect(await stockOf(t.db, scheduled.product.id)).toBe(1000);
  });

  it('a cart across two cooperatives becomes two orders paid together', async () => {
    const other = await insertCooperative(t);
    const a = await insertProduct(t, coopId, { stock: 5, price_fen: 5900 });
    const b = await insertProduct(t, other.id, { stock: 5, price_fen: 1250, name_zh: '阜南辣椒' });
    const buyer = await registerUser(t);
    await t.http.post('/api/cart/items').set(bearer(buyer.token)).send({ productId: a.id, quantity: 2 }).expect(201);
    await t.http.post('/api/cart/items').set(bearer(buyer.token)).send({ productId: b.id, quantity: 1 }).expect(201);
    const cart = await t.http.get('/api/cart').set(bearer(buyer.token)).expect(200);
    expect(cart.body).toHaveLength(2);
    const res = await t.http
      .post('/api/orders')
      .set(bearer(buyer.token))
      .send({
        items: cart.body.map((l: { productId: string; quantity: number }) => ({
          productId: l.productId,
          quantity: l.quantity,
        })),
        address: TEST_ADDRESS,
        fromCart: true,
      })
      .expect(201);
    expect(res.body.orders).toHaveLength(2);
    expect(res.body.checkout.amountFen).toBe(2 * 5900 + 1250);
    expect(res.body.checkout.provider).toBe('demo');
    expect(new Set(res.body.orders.map((o: { paymentId: string }) => o.paymentId)).size).toBe(1);
    expect((await t.http.get('/api/cart').set(bearer(buyer.token)).expect(200)).body).toEqual([]);
    await t.http.post(`/api/payments/demo/${res.body.checkout.paymentId}/confirm`).set(bearer(buyer.token)).expect(200);
    for (const o of res.body.orders) {
      expect((await t.http.get(`/api/orders/${o.id}`).set(bearer(buyer.token)).expect(200)).body.status).toBe('paid');
    }
  });

  describe('lifecycle and authorization', () => {
    it('pay (demo) → ship → confirm receipt → completed, every step recorded; wrong sides refused', async () => {
      const product = await insertProduct(t, coopId, { stock: 5 });
      const buyer = await registerUser(t);
      const stranger = await registerUser(t);
      const admin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: coopId }]);
      const host = await userWithRoles(t, [{ role: 'host', cooperativeId: coopId }]);
      const otherAdmin = await userWithRoles(t, [
        { role: 'coop_admin', cooperativeId: (await insertCooperative(t)).id },
      ]);

      const placed = await order(buyer.token, product.id, 2).expect(201);
      const id = placed.body.id as string;
      // another buyer can neither see nor act on it; another cooperative's admin neither
      await t.http.get(`/api/orders/${id}`).set(bearer(stranger.token)).expect(404);
      await t.http.post(`/api/orders/${id}/cancel`).set(bearer(stranger.token)).expect(404);
      await t.http
        .post(`/api/payments/demo/${placed.body.checkout.paymentId}/confirm`)
        .set(bearer(stranger.token))
        .expect(404);
      await t.http.get(`/api/orders/${id}`).set(bearer(otherAdmin.token)).expect(404);
      // shipping an unpaid order is refused
      await t.http
        .post(`/api/console/orders/${id}/ship`)
        .set(bearer(admin.token))
        .send({ carrier: '顺丰', trackingNumber: 'SF1234567890' })
        .expect(409);

      await t.http
        .post(`/api/payments/demo/${placed.body.checkout.paymentId}/confirm`)
        .set(bearer(buyer.token))
        .expect(200);
      // paying twice changes nothing
      await t.http
        .post(`/api/payments/demo/${placed.body.checkout.paymentId}/confirm`)
        .set(bearer(buyer.token))
        .expect(200);
      const [{ sold_count }] = await t.db.query('SELECT sold_count FROM products WHERE id = $1', [product.id]);
      expect(sold_count).toBe(2);

      await t.http
        .post(`/api/console/orders/${id}/ship`)
        .set(bearer(host.token))
        .send({ carrier: '顺丰', trackingNumber: 'SF1234567890' })
        .expect(403);
      await t.http
        .post(`/api/console/orders/${id}/ship`)
        .set(bearer(otherAdmin.token))
        .send({ carrier: '顺丰', trackingNumber: 'SF1234567890' })
        .expect(404);
      await t.http
        .post(`/api/console/orders/${id}/ship`)
        .set(bearer(admin.token))
        .send({ carrier: '顺丰', trackingNumber: 'bad tracking!' })
        .expect(400);
      await t.http
        .post(`/api/console/orders/${id}/ship`)
        .set(bearer(admin.token))
        .send({ carrier: '顺丰', trackingNumber: 'SF1234567890' })
        .expect(200);
      await t.http.get(`/api/orders/${id}`).set(bearer(host.token)).expect(200); // staff of the cooperative may read

      const done = await t.http.post(`/api/orders/${id}/confirm-receipt`).set(bearer(buyer.token)).expect(200);
      expect(done.body.status).toBe('completed');
      expect(done.body.events.map((e: { toStatus: string }) => e.toStatus)).toEqual([
        'pending_payment',
        'paid',
        'shipped',
        'delivered',
        'completed',
      ]);
    });

    it('refunds: the buyer asks, a host cannot refund, the coop_admin refunds partly then fully', async () => {
      const product = await insertProduct(t, coopId, { stock: 5, price_fen: 5900 });
      const buyer = await registerUser(t);
      const admin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: coopId }]);
      const host = await userWithRoles(t, [{ role: 'host', cooperativeId: coopId }]);
      const placed = await order(buyer.token, product.id, 1).expect(201);
      const id = placed.body.id as string;
      await t.http
        .post(`/api/payments/demo/${placed.body.checkout.paymentId}/confirm`)
        .set(bearer(buyer.token))
        .expect(200);

      await t.http
        .post(`/api/console/orders/${id}/refunds`)
        .set(bearer(host.token))
        .send({ reason: '破损' })
        .expect(403);
      await t.http
        .post(`/api/console/orders/${id}/refunds`)
        .set(bearer(admin.token))
        .send({ reason: '多收了', amountFen: 6000 })
        .expect(400);
      const partial = await t.http
        .post(`/api/console/orders/${id}/refunds`)
        .set(bearer(admin.token))
        .send({ reason: '少发了一包', amountFen: 900 })
        .expect(201);
      expect(partial.body.refundedFen).toBe(900);
      expect(partial.body.status).toBe('paid');

      const asked = await t.http
        .post(`/api/orders/${id}/refund-requests`)
        .set(bearer(buyer.token))
        .send({ reason: '收到时已经坏了' })
        .expect(201);
      const requestId = asked.body.refunds.find((r: { status: string }) => r.status === 'requested').id;
      await t.http.post(`/api/console/refunds/${requestId}/accept`).set(bearer(host.token)).send({}).expect(403);
      const full = await t.http
        .post(`/api/console/refunds/${requestId}/accept`)
        .set(bearer(admin.token))
        .send({})
        .expect(200);
      expect(full.body.refundedFen).toBe(5900);
      expect(full.body.status).toBe('refunded');
      await t.http.post(`/api/console/refunds/${requestId}/accept`).set(bearer(admin.token)).send({}).expect(409);
      const [{ refunded_fen }] = await t.db.query('SELECT refunded_fen FROM payments WHERE id = $1', [
        placed.body.checkout.paymentId,
      ]);
      expect(Number(refunded_fen)).toBe(5900);
    });

    it('console lists and packing list are scoped to the cooperative', async () => {
      const admin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: coopId }]);
      const otherAdmin = await userWithRoles(t, [
        { role: 'coop_admin', cooperativeId: (await insertCooperative(t)).id },
      ]);
      const buyer = await registerUser(t);
      await t.http.get(`/api/console/cooperatives/${coopId}/orders`).set(bearer(otherAdmin.token)).expect(404);
      await t.http.get(`/api/console/cooperatives/${coopId}/orders`).set(bearer(buyer.token)).expect(403);
      const list = await t.http
        .get(`/api/console/cooperatives/${coopId}/orders?status=paid`)
        .set(bearer(admin.token))
        .expect(200);
      expect(list.body.items.every((o: { cooperative: { id: string } }) => o.cooperative.id === coopId)).toBe(true);
      const csv = await t.http
        .get(`/api/console/cooperatives/${coopId}/packing-list.csv`)
        .set(bearer(admin.token))
        .expect(200);
      expect(csv.text.startsWith('\uFEFF"订单号"')).toBe(true);
      await t.http
        .get(`/api/console/cooperatives/${coopId}/packing-list.csv`)
        .set(bearer(otherAdmin.token))
        .expect(404);
    });
  });
});

describe('reservation expiry as a PostgreSQL-backed job (pg-boss)', () => {
  let t: TestApp;
  afterAll(() => t.close());

  it('an unpaid order gives its stock back by itself when its time is up', async () => {
    t = await createTestApp({ JOBS_ENABLED: 'true', RESERVATION_SECONDS: '2' });
    const coop = await insertCooperative(t);
    const product = await insertProduct(t, coop.id, { stock: 3 });
    const [buyer] = await fastBuyers(t, 1);
    await t.http
      .post('/api/orders')
      .set(bearer(buyer.token))
      .send({ items: [{ productId: product.id, quantity: 3 }], address: TEST_ADDRESS })
      .expect(201);
    expect(await stockOf(t.db, product.id)).toBe(0);
    const deadline = Date.now() + 30_000;
    while ((await stockOf(t.db, product.id)) !== 3 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 250));
    expect(await stockOf(t.db, product.id)).toBe(3);
  });
});
