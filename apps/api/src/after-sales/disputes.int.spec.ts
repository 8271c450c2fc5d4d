import sharp from 'sharp';
import type { AdminDisputeView, AfterSalesView, OrderDto } from '@xiangbo/contracts';
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
 * The platform's decision on after-sales disputes (平台介入) through the real app on real PostgreSQL: the buyer takes
 * a refused (or unanswered) request to the platform once; a platform admin refunds (all or part) through the orders'
 * refund path exactly once, or upholds the refusal, with a reason both sides read. The wrong side is refused.
 */
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('after-sales disputes (real app, real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  async function setup() {
    const coop = await insertCooperative(t, { name: '柞水木耳合作社' });
    const other = await insertCooperative(t);
    const product = await insertProduct(t, coop.id, { name_zh: '柞水黑木耳', stock: 50, price_fen: 4500 });
    const admin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: coop.id }]);
    const otherAdmin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: other.id }]);
    const platform = await userWithRoles(t, [{ role: 'platform_admin' }]);
    const auditor = await userWithRoles(t, [{ role: 'auditor', cooperativeId: coop.id }]);
    const buyer = await registerUser(t, '王小明');
    const stranger = await registerUser(t, '李四');
    return { coop, product, admin, otherAdmin, platform, auditor, buyer, stranger };
  }
  type S = Awaited<ReturnType<typeof setup>>;

  async function shippedOrder(s: S): Promise<OrderDto> {
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
    await t.http
      .post(`/api/console/orders/${id}/ship`)
      .set(bearer(s.admin.token))
      .send({ carrier: '顺丰速运', trackingNumber: `SF${Date.now()}` })
      .expect((r) => expect(r.status).toBeLessThan(300));
    return (await t.http.get(`/api/orders/${id}`).set(bearer(s.buyer.token)).expect(200)).body as OrderDto;
  }

  async function request(
    s: S,
    o: OrderDto,
    body: object = { kind: 'refund', reason: 'quality', text: '泡发后有霉味' },
  ) {
    return (await t.http.post(`/api/orders/${o.id}/after-sales`).set(bearer(s.buyer.token)).send(body).expect(201))
      .body as AfterSalesView;
  }

  const photo = () =>
    sharp({ create: { width: 320, height: 240, channels: 3, background: '#2b2118' } })
      .jpeg()
      .toBuffer();

  const escalate = (token: string, id: string, note: unknown = '合作社说是正常现象，但确实发霉了') =>
    t.http.post(`/api/after-sales/${id}/escalation`).set(bearer(token)).send({ note });

  const decide = (token: string, disputeId: string, body: object) =>
    t.http.post(`/api/admin/after-sales/disputes/${disputeId}/decision`).set(bearer(token)).send(body);

  it('a refused request goes to the platform once; two partial refunds at once pay back once; both sides read why', async () => {
    const s = await setup();
    const o = await shippedOrder(s);
    const req = await request(s, o);
    await t.http
      .post(`/api/after-sales/${req.id}/photos`)
      .set(bearer(s.buyer.token))
      .attach('photo', await photo(), { filename: 'mold.jpg', contentType: 'image/jpeg' })
      .expect(201);

    // Not refused yet and not 48 hours old: too early to ask the platform.
    const early = await escalate(s.buyer.token, req.id).expect(409);
    expect(early.body.code).toBe('AFTER_SALES_TOO_EARLY');

    await t.http
      .post(`/api/console/after-sales/${req.id}/decision`)
      .set(bearer(s.admin.token))
      .send({ accept: false, note: '木耳表面白霜是正常现象' })
      .expect(200);
    const refused = (await t.http.get(`/api/orders/${o.id}/after-sales`).set(bearer(s.buyer.token))).body[0];
    expect(refused).toMatchObject({ status: 'refused', dispute: null });
    expect(new Date(refused.escalatableFrom).getTime()).toBeLessThanOrEqual(Date.now());

    // The wrong side: another buyer, the cooperative's admin, a bad id; an empty note names the field.
    await escalate(s.stranger.token, req.id).expect(404);
    await escalate(s.admin.token, req.id).expect(404);
    await escalate(s.buyer.token, 'not-a-uuid').expect(404);
    const empty = await escalate(s.buyer.token, req.id, '   ').expect(400);
    expect(JSON.stringify(empty.body)).toContain('note');

    // Two taps at once: one dispute; the second (and any later one) is told it was already escalated.
    const taps = await Promise.all([escalate(s.buyer.token, req.id), escalate(s.buyer.token, req.id)]);
    expect(taps.map((r) => r.status).sort()).toEqual([201, 409]);
    const escalated = taps.find((r) => r.status === 201)?.body as AfterSalesView;
    expect(taps.find((r) => r.status === 409)?.body.code).toBe('AFTER_SALES_ESCALATED');
    expect(escalated).toMatchObject({
      status: 'disputed',
      escalatableFrom: null,
      decisionNote: '木耳表面白霜是正常现象',
      dispute: { status: 'open', because: 'refused', buyerNote: '合作社说是正常现象，但确实发霉了' },
    });
    expect((await escalate(s.buyer.token, req.id).expect(409)).body.code).toBe('AFTER_SALES_ESCALATED');
    // While the platform decides, the buyer cannot open another request of the order.
    const another = await t.http
      .post(`/api/orders/${o.id}/after-sales`)
      .set(bearer(s.buyer.token))
      .send({ kind: 'refund', reason: 'missing' })
      .expect(409);
    expect(another.body.code).toBe('AFTER_SALES_OPEN');

    // The queue: the platform only; it sees the request, the photo, the cooperative's reason and the order.
    await t.http.get('/api/admin/after-sales/disputes').set(bearer(s.admin.token)).expect(403);
    await t.http.get('/api/admin/after-sales/disputes').set(bearer(s.auditor.token)).expect(403);
    await t.http.get('/api/admin/after-sales/disputes').expect(401);
    await t.http.get('/api/admin/after-sales/disputes?status=all').set(bearer(s.platform.token)).expect(400);
    const queue = (await t.http.get('/api/admin/after-sales/disputes').set(bearer(s.platform.token)).expect(200))
      .body as AdminDisputeView[];
    const item = queue.find((d) => d.id === req.id) as AdminDisputeView;
    expect(item).toMatchObject({
      text: '泡发后有霉味',
      decisionNote: '木耳表面白霜是正常现象',
      cooperativeName: '柞水木耳合作社',
      orderNumber: o.number,
      order: { totalFen: o.totalFen, refundedFen: 0, lines: [{ name: '柞水黑木耳', quantity: 2 }] },
    });
    expect(item.photos).toHaveLength(1);
    const disputeId = item.dispute.id;

    // The wrong side decides nothing: the cooperative (its own or another), an auditor, the buyer.
    for (const token of [s.admin.token, s.otherAdmin.token, s.auditor.token, s.buyer.token])
      await decide(token, disputeId, { outcome: 'refund', note: '退一半' }).expect(403);
    // Bad input names the field; more than the order paid is refused.
    const noNote = await decide(s.platform.token, disputeId, { outcome: 'refund' }).expect(400);
    expect(JSON.stringify(noNote.body)).toContain('note');
    const upholdAmount = await decide(s.platform.token, disputeId, {
      outcome: 'uphold',
      amountFen: 100,
      note: '维持',
    }).expect(400);
    expect(JSON.stringify(upholdAmount.body)).toContain('amountFen');
    const tooMuch = await decide(s.platform.token, disputeId, {
      outcome: 'refund',
      amountFen: o.totalFen + 1,
      note: '全退',
    }).expect(400);
    expect(tooMuch.body.code).toBe('REFUND_TOO_LARGE');
    await decide(s.platform.token, '00000000-0000-4000-8000-000000000000', { outcome: 'uphold', note: '维持' }).expect(
      404,
    );

    // Two admins decide at once (half, and all): one decision, one refund, sent once.
    const half = Math.floor(o.totalFen / 2);
    const [a, b] = await Promise.all([
      decide(s.platform.token, disputeId, { outcome: 'refund', amountFen: half, note: '照片显示部分霉变，退一半' }),
      decide(s.platform.token, disputeId, { outcome: 'refund', note: '全额退款' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body.code).toBe('AFTER_SALES_DISPUTE_DECIDED');
    const winner = (a.status === 200 ? a : b).body as AfterSalesView;
    const paid = a.status === 200 ? half : o.totalFen;
    expect(winner).toMatchObject({ status: 'refunded', dispute: { status: 'refunded', refundFen: paid } });
    const refunds: { status: string; amount_fen: string }[] = await t.db.query(
      `SELECT status, amount_fen FROM refunds WHERE order_id = $1 ORDER BY created_at`,
      [o.id],
    );
    expect(refunds).toEqual([
      { status: 'declined', amount_fen: String(o.totalFen) },
      { status: 'succeeded', amount_fen: String(paid) },
    ]);
    const paidBack = (await t.http.get(`/api/orders/${o.id}`).set(bearer(s.buyer.token))).body as OrderDto;
    expect(paidBack.refundedFen).toBe(paid);

    // Both sides read the platform's reason; a later decision is refused.
    const buyerView = (await t.http.get(`/api/orders/${o.id}/after-sales`).set(bearer(s.buyer.token))).body[0];
    const coopView = (
      await t.http.get(`/api/console/cooperatives/${s.coop.id}/after-sales`).set(bearer(s.admin.token))
    ).body.find((r: AfterSalesView) => r.id === req.id);
    expect(buyerView.dispute.decisionNote).toBe(winner.dispute?.decisionNote);
    expect(coopView.dispute.decisionNote).toBe(winner.dispute?.decisionNote);
    await decide(s.platform.token, disputeId, { outcome: 'refund', note: '再退' }).expect(409);
    const decided = (
      await t.http.get('/api/admin/after-sales/disputes?status=decided').set(bearer(s.platform.token)).expect(200)
    ).body as AdminDisputeView[];
    expect(decided.map((d) => d.id)).toContain(req.id);
    const stillOpen = (await t.http.get('/api/admin/after-sales/disputes').set(bearer(s.platform.token))).body;
    expect(stillOpen.map((d: AdminDisputeView) => d.id)).not.toContain(req.id);
  });

  it('an unanswered request goes to the platform after 48 hours; the cooperative then cannot decide; upheld', async () => {
    const s = await setup();
    const o = await shippedOrder(s);
    const req = await request(s, o, { kind: 'refund', reason: 'missing', text: '少了一袋', amountFen: 2000 });
    const early = await escalate(s.buyer.token, req.id).expect(409);
    expect(early.body.code).toBe('AFTER_SALES_TOO_EARLY');
    await t.db.query(`UPDATE after_sales_requests SET created_at = now() - interval '49 hours' WHERE id = $1`, [
      req.id,
    ]);
    const escalated = (await escalate(s.buyer.token, req.id, '两天没人理').expect(201)).body as AfterSalesView;
    expect(escalated).toMatchObject({ status: 'disputed', dispute: { because: 'unanswered' } });

    const late = await t.http
      .post(`/api/console/after-sales/${req.id}/decision`)
      .set(bearer(s.admin.token))
      .send({ accept: false, note: '已经发全了' })
      .expect(409);
    expect(late.body.code).toBe('AFTER_SALES_ESCALATED');
    // Nor through the console's ordinary refunds list: the request is the platform's to decide now.
    const [{ id: refundId }] = await t.db.query(`SELECT id FROM refunds WHERE order_id = $1`, [o.id]);
    for (const verb of ['accept', 'decline'])
      expect(
        (await t.http.post(`/api/console/refunds/${refundId}/${verb}`).set(bearer(s.admin.token)).send({}).expect(409))
          .body.code,
      ).toBe('AFTER_SALES_ESCALATED');

    const upheld = (
      await decide(s.platform.token, escalated.dispute?.id as string, {
        outcome: 'uphold',
        note: '物流称重与发货单一致，维持',
      }).expect(200)
    ).body as AfterSalesView;
    expect(upheld).toMatchObject({
      status: 'refused',
      decisionNote: null,
      dispute: { status: 'upheld', decisionNote: '物流称重与发货单一致，维持' },
    });
    const refunds: { status: string }[] = await t.db.query(`SELECT status FROM refunds WHERE order_id = $1`, [o.id]);
    expect(refunds).toEqual([{ status: 'declined' }]);
    // Decided: the buyer may ask again about the order (a new request), but not escalate this one again.
    expect((await escalate(s.buyer.token, req.id).expect(409)).body.code).toBe('AFTER_SALES_ESCALATED');
  });

  it('an unanswered request refunded by the platform in full: the undecided refund is closed, one refund is paid', async () => {
    const s = await setup();
    const o = await shippedOrder(s);
    const req = await request(s, o);
    await t.db.query(`UPDATE after_sales_requests SET created_at = now() - interval '3 days' WHERE id = $1`, [req.id]);
    const d = (await escalate(s.buyer.token, req.id).expect(201)).body as AfterSalesView;
    const done = (
      await decide(s.platform.token, d.dispute?.id as string, {
        outcome: 'refund',
        note: '合作社超时未处理，全额退款',
      }).expect(200)
    ).body as AfterSalesView;
    expect(done).toMatchObject({ status: 'refunded', dispute: { status: 'refunded', refundFen: o.totalFen } });
    const refunds: { status: string; amount_fen: string }[] = await t.db.query(
      `SELECT status, amount_fen FROM refunds WHERE order_id = $1 ORDER BY created_at`,
      [o.id],
    );
    expect(refunds).toEqual([
      { status: 'declined', amount_fen: String(o.totalFen) },
      { status: 'succeeded', amount_fen: String(o.totalFen) },
    ]);
  });

  it('taken to the platform while the cooperative accepts it: one of the two, never both', async () => {
    const s = await setup();
    for (let round = 0; round < 4; round++) {
      const o = await shippedOrder(s);
      const req = await request(s, o);
      await t.db.query(`UPDATE after_sales_requests SET created_at = now() - interval '3 days' WHERE id = $1`, [
        req.id,
      ]);
      const [{ id: refundId }] = await t.db.query(`SELECT id FROM refunds WHERE order_id = $1`, [o.id]);
      const [escalated, accepted] = await Promise.all([
        escalate(s.buyer.token, req.id),
        t.http.post(`/api/console/refunds/${refundId}/accept`).set(bearer(s.admin.token)).send({}),
      ]);
      // exactly one succeeds; the other is told why (the platform decides it / it was accepted meanwhile)
      expect([escalated.status, accepted.status].sort()).toEqual(escalated.status === 201 ? [201, 409] : [200, 409]);
      const [{ n: open }] = await t.db.query(
        `SELECT count(*)::int AS n FROM after_sales_disputes WHERE after_sales_id = $1 AND status = 'open'`,
        [req.id],
      );
      const [{ status }] = await t.db.query(`SELECT status FROM refunds WHERE id = $1`, [refundId]);
      if (escalated.status === 201) expect({ open, status }).toEqual({ open: 1, status: 'requested' });
      else expect({ open, status: status === 'succeeded' ? 'paid' : status }).toEqual({ open: 0, status: 'paid' });
    }
  });

  it('refund with no amount typed: the request’s amount, or what the order can still refund if that is less', async () => {
    const s = await setup();
    const o = await shippedOrder(s);
    const req = await request(s, o); // the whole order
    await t.http
      .post(`/api/console/after-sales/${req.id}/decision`)
      .set(bearer(s.admin.token))
      .send({ accept: false, note: '木耳表面白霜是正常现象' })
      .expect(200);
    // The cooperative then pays back ¥10.00 of its own accord.
    await t.http
      .post(`/api/console/orders/${o.id}/refunds`)
      .set(bearer(s.admin.token))
      .send({ amountFen: 1000, reason: '补偿一部分' })
      .expect((r) => expect(r.status).toBeLessThan(300));
    const d = (await escalate(s.buyer.token, req.id).expect(201)).body as AfterSalesView;
    const done = (
      await decide(s.platform.token, d.dispute?.id as string, { outcome: 'refund', note: '确有霉变，退还余款' }).expect(
        200,
      )
    ).body as AfterSalesView;
    expect(done.dispute).toMatchObject({ status: 'refunded', refundFen: o.totalFen - 1000 });
  });

  it('an accepted request cannot be escalated', async () => {
    const s = await setup();
    const o = await shippedOrder(s);
    const req = await request(s, o);
    await t.http
      .post(`/api/console/after-sales/${req.id}/decision`)
      .set(bearer(s.admin.token))
      .send({ accept: true })
      .expect(200);
    const accepted = await escalate(s.buyer.token, req.id).expect(409);
    expect(accepted.body.code).toBe('AFTER_SALES_NOT_DISPUTABLE');
    expect(await t.db.query(`SELECT 1 FROM after_sales_disputes WHERE after_sales_id = $1`, [req.id])).toEqual([]);
  });
});
