import sharp from 'sharp';
import type { AfterSalesView, CooperativePromises, OrderDto } from '@xiangbo/contracts';
import {
  createTestApp,
  insertCooperative,
  insertProduct,
  registerUser,
  TEST_ADDRESS,
  TestApp,
  userWithRoles,
} from '../../test/test-app';

/**
 * After-sales through the real app on real PostgreSQL: the buyer asks with photos, the cooperative's admin
 * answers, an accepted request is refunded through the orders' refund path exactly once, promises bind; the wrong
 * side (another buyer, another cooperative, the host) is refused.
 */
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const NONE: CooperativePromises = { sevenDayReturn: false, badFruitCover: false, shipWithin48h: false };

describe('after-sales (real app, real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  async function setup(promises: CooperativePromises = NONE) {
    const coop = await insertCooperative(t);
    const other = await insertCooperative(t);
    const product = await insertProduct(t, coop.id, { name_zh: '猕猴桃', stock: 50, price_fen: 6800 });
    const admin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: coop.id }]);
    const host = await userWithRoles(t, [{ role: 'host', cooperativeId: coop.id }]);
    const otherAdmin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: other.id }]);
    const buyer = await registerUser(t, '王小明');
    const stranger = await registerUser(t, '李四');
    await t.http
      .put(`/api/console/cooperatives/${coop.id}/promises`)
      .set(bearer(admin.token))
      .send(promises)
      .expect(200);
    return { coop, product, admin, host, otherAdmin, buyer, stranger };
  }
  type S = Awaited<ReturnType<typeof setup>>;

  async function order(s: S, until: 'paid' | 'shipped' | 'completed'): Promise<OrderDto> {
    const placed = await t.http
      .post('/api/orders')
      .set(bearer(s.buyer.token))
      .send({ items: [{ productId: s.product.id, quantity: 2 }], address: TEST_ADDRESS })
      .expect(201);
    const id = placed.body.id as string;
    await t.http
      .post(`/api/payments/demo/${placed.body.checkout.paymentId}/confirm`)
      .set(bearer(s.buyer.token))
      .expect(200);
    if (until !== 'paid')
      await t.http
        .post(`/api/console/orders/${id}/ship`)
        .set(bearer(s.admin.token))
        .send({ carrier: '顺丰速运', trackingNumber: `SF${Date.now()}` })
        .expect((r) => expect(r.status).toBeLessThan(300));
    if (until === 'completed')
      await t.http.post(`/api/orders/${id}/confirm-receipt`).set(bearer(s.buyer.token)).expect(200);
    return (await t.http.get(`/api/orders/${id}`).set(bearer(s.buyer.token)).expect(200)).body as OrderDto;
  }

  const photo = () =>
    sharp({ create: { width: 640, height: 480, channels: 3, background: '#6b4b2a' } })
      .jpeg()
      .toBuffer();

  it('a damaged-fruit request with a photo under 坏果包赔 cannot be refused; accepting refunds it exactly once', async () => {
    const s = await setup({ ...NONE, badFruitCover: true });
    const o = await order(s, 'completed');
    const created = await t.http
      .post(`/api/orders/${o.id}/after-sales`)
      .set(bearer(s.buyer.token))
      .send({ kind: 'refund', reason: 'damaged', text: '到货有三个猕猴桃压坏了，流汁' })
      .expect(201);
    const req = created.body as AfterSalesView;
    expect(req).toMatchObject({ status: 'requested', amountFen: o.totalFen, buyerMasked: '王*明', coveredBy: null });

    // Wrong side: another buyer neither reads, adds photos to, nor asks about this order.
    await t.http.get(`/api/orders/${o.id}/after-sales`).set(bearer(s.stranger.token)).expect(404);
    await t.http
      .post(`/api/orders/${o.id}/after-sales`)
      .set(bearer(s.stranger.token))
      .send({ kind: 'refund', reason: 'quality' })
      .expect(404);
    await t.http
      .post(`/api/after-sales/${req.id}/photos`)
      .set(bearer(s.stranger.token))
      .attach('photo', await photo(), { filename: 'x.jpg', contentType: 'image/jpeg' })
      .expect(404);

    // The photo binds the promise.
    const withPhoto = await t.http
      .post(`/api/after-sales/${req.id}/photos`)
      .set(bearer(s.buyer.token))
      .attach('photo', await photo(), { filename: 'bad.jpg', contentType: 'image/jpeg' })
      .expect(201);
    expect((withPhoto.body as AfterSalesView).photos[0].thumbUrl).toMatch(/\/api\/files\/after-sales\/.+-thumb\.webp$/);
    expect((withPhoto.body as AfterSalesView).coveredBy).toBe('badFruitCover');

    // Another cooperative learns nothing; the host reads but does not decide; refusing a promised case is refused.
    await t.http
      .post(`/api/console/after-sales/${req.id}/decision`)
      .set(bearer(s.otherAdmin.token))
      .send({ accept: true })
      .expect(404);
    await t.http.get(`/api/console/cooperatives/${s.coop.id}/after-sales`).set(bearer(s.otherAdmin.token)).expect(404);
    const list = await t.http
      .get(`/api/console/cooperatives/${s.coop.id}/after-sales`)
      .set(bearer(s.host.token))
      .expect(200);
    expect((list.body as AfterSalesView[]).map((r) => r.id)).toEqual([req.id]);
    const hostTry = await t.http
      .post(`/api/console/after-sales/${req.id}/decision`)
      .set(bearer(s.host.token))
      .send({ accept: true })
      .expect(403);
    expect(hostTry.body.code).toBe('AFTER_SALES_READ_ONLY');
    const refuse = await t.http
      .post(`/api/console/after-sales/${req.id}/decision`)
      .set(bearer(s.admin.token))
      .send({ accept: false, note: '压坏是快递问题' })
      .expect(409);
    expect(refuse.body.code).toBe('AFTER_SALES_PROMISED');

    // Two accepts at once (a double tap, two admins): one refund, sent once.
    const [a, b] = await Promise.all(
      [0, 1].map(() =>
        t.http
          .post(`/api/console/after-sales/${req.id}/decision`)
          .set(bearer(s.admin.token))
          .send({ accept: true, note: '抱歉，已全额退款' }),
      ),
    );
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const after = (await t.http.get(`/api/orders/${o.id}/after-sales`).set(bearer(s.buyer.token)).expect(200))
      .body as AfterSalesView[];
    expect(after[0]).toMatchObject({ status: 'refunded', decisionNote: '抱歉，已全额退款' });
    const refunds: { status: string; amount_fen: string }[] = await t.db.query(
      `SELECT status, amount_fen FROM refunds WHERE order_id = $1`,
      [o.id],
    );
    expect(refunds).toEqual([{ status: 'succeeded', amount_fen: String(o.totalFen) }]);
    const refunded = (await t.http.get(`/api/orders/${o.id}`).set(bearer(s.buyer.token))).body as OrderDto;
    expect(refunded.refundedFen).toBe(o.totalFen);
    await t.http
      .post(`/api/console/after-sales/${req.id}/decision`)
      .set(bearer(s.admin.token))
      .send({ accept: true })
      .expect(409);
  });

  it('without a promise the cooperative refuses with a reason the buyer reads; a second open request is refused', async () => {
    const s = await setup();
    const o = await order(s, 'shipped');
    const paid = await order(s, 'paid');
    const early = await t.http
      .post(`/api/orders/${paid.id}/after-sales`)
      .set(bearer(s.buyer.token))
      .send({ kind: 'refund', reason: 'quality' })
      .expect(409);
    expect(early.body.code).toBe('AFTER_SALES_NOT_RECEIVED');

    const req = (
      await t.http
        .post(`/api/orders/${o.id}/after-sales`)
        .set(bearer(s.buyer.token))
        .send({ kind: 'refund', reason: 'quality', text: '口感偏酸', amountFen: 1000 })
        .expect(201)
    ).body as AfterSalesView;
    expect(req.amountFen).toBe(1000);
    const twice = await t.http
      .post(`/api/orders/${o.id}/after-sales`)
      .set(bearer(s.buyer.token))
      .send({ kind: 'refund', reason: 'missing' })
      .expect(409);
    expect(twice.body.code).toBe('AFTER_SALES_OPEN');
    const bad = await t.http
      .post(`/api/orders/${o.id}/after-sales`)
      .set(bearer(s.buyer.token))
      .send({ kind: 'swap', reason: 'whatever', text: 'x\u0000' })
      .expect(400);
    expect(bad.body.code).toBe('CONTROL_CHARACTERS');

    const noNote = await t.http
      .post(`/api/console/after-sales/${req.id}/decision`)
      .set(bearer(s.admin.token))
      .send({ accept: false })
      .expect(400);
    expect(noNote.body).toMatchObject({ code: 'AFTER_SALES_NOTE_REQUIRED', errors: [{ field: 'note' }] });
    await t.http
      .post(`/api/console/after-sales/${req.id}/decision`)
      .set(bearer(s.admin.token))
      .send({ accept: false, note: '酸甜是这个品种的口味，不属于质量问题' })
      .expect(200);
    const mine = (await t.http.get(`/api/orders/${o.id}/after-sales`).set(bearer(s.buyer.token)))
      .body as AfterSalesView[];
    expect(mine[0]).toMatchObject({ status: 'refused', decisionNote: '酸甜是这个品种的口味，不属于质量问题' });
    const refunds: { status: string }[] = await t.db.query(`SELECT status FROM refunds WHERE order_id = $1`, [o.id]);
    expect(refunds).toEqual([{ status: 'declined' }]);
  });

  it('7天无理由 only when promised: a return is agreed, sent back with a number, received, then refunded', async () => {
    const s = await setup();
    const o = await order(s, 'completed');
    const notPromised = await t.http
      .post(`/api/orders/${o.id}/after-sales`)
      .set(bearer(s.buyer.token))
      .send({ kind: 'return', reason: 'no_reason' })
      .expect(409);
    expect(notPromised.body.code).toBe('AFTER_SALES_NOT_PROMISED');
    await t.http
      .put(`/api/console/cooperatives/${s.coop.id}/promises`)
      .set(bearer(s.host.token))
      .send({ ...NONE, sevenDayReturn: true })
      .expect(403); // a host does not make promises for the cooperative
    await t.http
      .put(`/api/console/cooperatives/${s.coop.id}/promises`)
      .set(bearer(s.otherAdmin.token))
      .send({ ...NONE, sevenDayReturn: true })
      .expect(404);
    await t.http
      .put(`/api/console/cooperatives/${s.coop.id}/promises`)
      .set(bearer(s.admin.token))
      .send({ ...NONE, sevenDayReturn: true })
      .expect(200);
    expect((await t.http.get(`/api/cooperatives/${s.coop.id}/promises`).expect(200)).body).toEqual({
      ...NONE,
      sevenDayReturn: true,
    });

    const req = (
      await t.http
        .post(`/api/orders/${o.id}/after-sales`)
        .set(bearer(s.buyer.token))
        .send({ kind: 'return', reason: 'no_reason' })
        .expect(201)
    ).body as AfterSalesView;
    expect(req.coveredBy).toBe('sevenDayReturn');
    await t.http
      .post(`/api/console/after-sales/${req.id}/decision`)
      .set(bearer(s.admin.token))
      .send({ accept: false, note: '不想退' })
      .expect(409);
    const agreed = await t.http
      .post(`/api/console/after-sales/${req.id}/decision`)
      .set(bearer(s.admin.token))
      .send({ accept: true, note: '请寄回：陕西省柞水县小岭镇金米村' })
      .expect(200);
    expect(agreed.body.status).toBe('awaiting_return');
    const early = await t.http
      .post(`/api/console/after-sales/${req.id}/received`)
      .set(bearer(s.admin.token))
      .send({})
      .expect(409);
    expect(early.body.code).toBe('AFTER_SALES_RETURN_STEP');
    await t.http
      .post(`/api/after-sales/${req.id}/return-shipment`)
      .set(bearer(s.stranger.token))
      .send({ carrier: '中通快递', trackingNumber: 'ZT123456789' })
      .expect(404);
    const sent = await t.http
      .post(`/api/after-sales/${req.id}/return-shipment`)
      .set(bearer(s.buyer.token))
      .send({ carrier: '中通快递', trackingNumber: 'ZT123456789' })
      .expect(200);
    expect(sent.body).toMatchObject({ status: 'returned', returnShipment: { trackingNumber: 'ZT123456789' } });
    const done = await t.http
      .post(`/api/console/after-sales/${req.id}/received`)
      .set(bearer(s.admin.token))
      .send({})
      .expect(200);
    expect(done.body.status).toBe('refunded');
    await t.http.post(`/api/console/after-sales/${req.id}/received`).set(bearer(s.admin.token)).send({}).expect(409);
    const refunds: { status: string }[] = await t.db.query(`SELECT status FROM refunds WHERE order_id = $1`, [o.id]);
    expect(refunds).toEqual([{ status: 'succeeded' }]);

    // After the 7 days since delivery, no more no-reason returns.
    const late = await order(s, 'completed');
    await t.db.query(`UPDATE orders SET delivered_at = now() - interval '8 days' WHERE id = $1`, [late.id]);
    const closed = await t.http
      .post(`/api/orders/${late.id}/after-sales`)
      .set(bearer(s.buyer.token))
      .send({ kind: 'return', reason: 'no_reason' })
      .expect(409);
    expect(closed.body.code).toBe('AFTER_SALES_WINDOW_CLOSED');
  });

  it('48小时发货 missed: the unshipped order’s refund is covered and cannot be refused', async () => {
    const s = await setup({ ...NONE, shipWithin48h: true });
    const o = await order(s, 'paid');
    await t.db.query(`UPDATE orders SET paid_at = now() - interval '49 hours' WHERE id = $1`, [o.id]);
    const req = (
      await t.http
        .post(`/api/orders/${o.id}/after-sales`)
        .set(bearer(s.buyer.token))
        .send({ kind: 'refund', reason: 'late_shipping' })
        .expect(201)
    ).body as AfterSalesView;
    expect(req.coveredBy).toBe('shipWithin48h');
    const refused = await t.http
      .post(`/api/console/after-sales/${req.id}/decision`)
      .set(bearer(s.admin.token))
      .send({ accept: false, note: '马上发' })
      .expect(409);
    expect(refused.body.code).toBe('AFTER_SALES_PROMISED');
  });
});
