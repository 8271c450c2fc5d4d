import {
  createTestApp,
  fastBuyers,
  insertCooperative,
  insertProduct,
  TEST_ADDRESS,
  TestApp,
  userWithRoles,
} from '../../test/test-app';
import { chinaDateTime } from '@xiangbo/domain';
import { LifecycleService } from '../orders/lifecycle.service';
import { OrderPaymentEffects } from '../orders/payment-effects.service';
import { PAYMENT_PROVIDER, type PaymentProvider } from '../payments/payment-provider';
import { notifiedOf } from '../live/live.test-helpers';
import { GROUP_PAYMENT_GRACE_MS, GroupBuysService } from './group-buys.service';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
type Buyer = { id: string; token: string };

describe('group buying 拼团 (real app, real PostgreSQL)', () => {
  let t: TestApp;
  let coopId: string;
  let admin: { token: string };
  beforeAll(async () => {
    t = await createTestApp();
    coopId = (await insertCooperative(t)).id;
    admin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: coopId }]);
  });
  afterAll(() => t.close());

  const groupProduct = async (size: number, fields: Record<string, unknown> = {}) => {
    const product = await insertProduct(t, coopId, { price_fen: 5900, stock: 50, ...fields });
    await t.http
      .put(`/api/console/products/${product.id}/group-offer`)
      .set(bearer(admin.token))
      .send({ size, groupPriceFen: 3900, windowHours: 24 })
      .expect(200);
    return product;
  };
  const open = (b: Buyer, productId: string, quantity = 1) =>
    t.http.post('/api/group-buys').set(bearer(b.token)).send({ productId, quantity, address: TEST_ADDRESS });
  const join = (b: Buyer, groupId: string, quantity = 1) =>
    t.http.post(`/api/group-buys/${groupId}/join`).set(bearer(b.token)).send({ quantity, address: TEST_ADDRESS });
  const pay = (b: Buyer, paymentId: string) =>
    t.http.post(`/api/payments/demo/${paymentId}/confirm`).set(bearer(b.token)).expect(200);
  const group = async (id: string) => (await t.http.get(`/api/group-buys/${id}`).expect(200)).body;
  const ship = (orderId: string) =>
    t.http
      .post(`/api/console/orders/${orderId}/ship`)
      .set(bearer(admin.token))
      .send({ carrier: '顺丰', trackingNumber: 'SF100200300' });

  it('shows the offer in the catalogue, and a filled group forms; its orders ship only once formed', async () => {
    const product = await groupProduct(3);
    const plain = await insertProduct(t, coopId);
    const detail = (await t.http.get(`/api/products/${product.id}`).expect(200)).body;
    expect(detail.groupBuy).toEqual({ size: 3, groupPriceFen: 3900, windowHours: 24, active: true });
    expect(detail.presale).toBeNull();
    expect((await t.http.get(`/api/products/${plain.id}`).expect(200)).body.groupBuy).toBeNull();
    const listed = (await t.http.get('/api/products?kind=group&pageSize=50').expect(200)).body;
    expect(listed.items.map((p: { id: string }) => p.id)).toContain(product.id);
    expect(listed.items.map((p: { id: string }) => p.id)).not.toContain(plain.id);
    expect((await t.http.get('/api/products?kind=presale').expect(200)).body).toMatchObject({ items: [], total: 0 });

    const [a, b, c, d] = await fastBuyers(t, 4);
    const opened = await open(a, product.id, 2).expect(201);
    const { groupId, orderId, paymentId } = opened.body;
    expect(opened.body.amountFen).toBe(7800); // 2 × the group price
    const order = (await t.http.get(`/api/orders/${orderId}`).set(bearer(a.token)).expect(200)).body;
    expect(order.totalFen).toBe(7800);
    expect(order.lines[0].unitPriceFen).toBe(3900);
    await pay(a, paymentId);
    expect(await group(groupId)).toMatchObject({ status: 'open', size: 3, joined: 1 });
    // Not formed yet: the cooperative cannot ship the opener's paid order.
    const early = await ship(orderId).expect(409);
    expect(early.body.code).toBe('GROUP_NOT_FORMED');
    // The console's order list marks it as forming.
    const coopOrders = (
      await t.http.get(`/api/console/cooperatives/${coopId}/group-orders`).set(bearer(admin.token)).expect(200)
    ).body;
    expect(coopOrders).toContainEqual({ orderId, groupId, status: 'open', refunded: false });
    await t.http.get(`/api/console/cooperatives/${coopId}/group-orders`).set(bearer(a.token)).expect(404);
    // Listed on the product page as a group to join.
    const joinable = (await t.http.get(`/api/group-buys?productId=${product.id}`).expect(200)).body;
    expect(joinable.map((g: { id: string }) => g.id)).toEqual([groupId]);

    const jb = (await join(b, groupId).expect(201)).body;
    const jc = (await join(c, groupId).expect(201)).body;
    await pay(b, jb.paymentId);
    expect(await group(groupId)).toMatchObject({ status: 'open', joined: 2 });
    // Paid but not formed: not on the packing list (nothing to pack yet); its paid time in China time.
    const orderNumber = order.number as string;
    const packing = async () =>
      (await t.http.get(`/api/console/cooperatives/${coopId}/packing-list.csv`).set(bearer(admin.token)).expect(200))
        .text;
    expect(await packing()).not.toContain(orderNumber);
    await pay(c, jc.paymentId);
    const packed = (await packing()).split('\r\n').find((line) => line.includes(orderNumber)) ?? '';
    const paidAt = new Date((await t.http.get(`/api/orders/${orderId}`).set(bearer(a.token)).expect(200)).body.paidAt);
    expect(packed).toContain(`"${chinaDateTime(paidAt)}"`);
    expect(packed).toContain('"盒"'); // the unit in Chinese, not its code (box)
    expect(packed).not.toContain('"box"');
    const formed = await group(groupId);
    expect(formed).toMatchObject({ status: 'formed', size: 3, joined: 3 });
    expect(formed.members.map((m: { name: string }) => m.name).every((n: string) => n.includes('*'))).toBe(true);
    expect(new Date(formed.expiresAt).getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);

    // Each member who paid hears that the group formed (after the commit); the latecomer hears nothing.
    for (const who of [a, b, c]) expect(await notifiedOf(t, who.token, 'group_formed')).toEqual([`/groups/${groupId}`]);
    expect(await notifiedOf(t, d.token, 'group_formed', 0)).toEqual([]);

    await ship(orderId).expect(200);
    const late = await join(d, groupId).expect(409);
    expect(late.body.code).toBe('GROUP_FORMED');
    expect(
      (await t.http.get('/api/group-buys/mine').set(bearer(b.token)).expect(200)).body.map(
        (x: { status: string }) => x.status,
      ),
    ).toEqual(['formed']);
  });

  it('an expired group refunds every paid member exactly once, also when the refund run is killed midway', async () => {
    const product = await groupProduct(5);
    const stockBefore = 50;
    const buyers = await fastBuyers(t, 4);
    const [a, b, c, unpaid] = buyers;
    const opened = (await open(a, product.id).expect(201)).body;
    const seats = [
      opened,
      (await join(b, opened.groupId, 2).expect(201)).body,
      (await join(c, opened.groupId).expect(201)).body,
    ];
    await join(unpaid, opened.groupId).expect(201);
    for (const [i, s] of seats.entries()) await pay(buyers[i], s.paymentId);
    expect(await group(opened.groupId)).toMatchObject({ status: 'open', joined: 3, holding: 1 });

    const groups = t.app.get(GroupBuysService);
    const lifecycle = t.app.get(LifecycleService);
    const after = new Date(Date.now() + 25 * 3600_000);
    // The process dies after the first refund went out and the second was opened but not yet sent.
    const real = lifecycle.executeRefund.bind(lifecycle);
    let calls = 0;
    const spy = jest.spyOn(lifecycle, 'executeRefund').mockImplementation(async (id: string) => {
      if (++calls === 2) throw new Error('process killed');
      return real(id);
    });
    await expect(groups.settle(opened.groupId, after)).rejects.toThrow('process killed');
    spy.mockRestore();
    const midway: { status: string; n: number }[] = await t.db.query(
      `SELECT r.status, count(*)::int AS n FROM refunds r WHERE r.order_id = ANY($1::uuid[]) GROUP BY 1 ORDER BY 1`,
      [seats.map((s) => s.orderId)],
    );
    expect(midway).toEqual([
      { status: 'pending', n: 1 },
      { status: 'succeeded', n: 1 },
    ]);
    expect((await group(opened.groupId)).status).toBe('failed');
    for (const who of [a, b, c])
      expect(await notifiedOf(t, who.token, 'group_failed')).toEqual([`/groups/${opened.groupId}`]);
    expect(await notifiedOf(t, unpaid.token, 'group_failed', 0)).toEqual([]);
    // Joining a failed group is refused with its own code.
    const [e] = await fastBuyers(t, 1);
    expect((await join(e, opened.groupId).expect(409)).body.code).toBe('GROUP_FAILED');

    // The sweep resumes it; runs racing each other and runs again afterwards change nothing more.
    await Promise.all([groups.settleDue(after), groups.settleDue(after), groups.settle(opened.groupId, after)]);
    await groups.settleDue(after);
    const refunds: { order_id: string; status: string; amount_fen: string }[] = await t.db.query(
      `SELECT order_id, status, amount_fen FROM refunds WHERE order_id = ANY($1::uuid[]) ORDER BY amount_fen`,
      [seats.map((s) => s.orderId)],
    );
    expect(refunds).toHaveLength(3);
    expect(new Set(refunds.map((r) => r.order_id)).size).toBe(3);
    expect(refunds.every((r) => r.status === 'succeeded')).toBe(true);
    expect(refunds.map((r) => Number(r.amount_fen))).toEqual([3900, 3900, 7800]);
    for (const [i, s] of seats.entries()) {
      const o = (await t.http.get(`/api/orders/${s.orderId}`).set(bearer(buyers[i].token)).expect(200)).body;
      expect(o.status).toBe('refunded');
      expect(o.refundedFen).toBe(o.totalFen);
    }
    const [{ n: ledgerRefunds }] = await t.db.query(
      `SELECT count(*)::int AS n FROM ledger_transactions WHERE idempotency_key = ANY($1::text[])`,
      [
        (
          await t.db.query(`SELECT id FROM refunds WHERE order_id = ANY($1::uuid[])`, [seats.map((s) => s.orderId)])
        ).map((r: { id: string }) => `refund:${r.id}`),
      ],
    );
    expect(ledgerRefunds).toBe(3);
    // The refunded units are back in stock; the unpaid member's order still holds its unit until it expires.
    const [{ stock }] = await t.db.query('SELECT stock FROM products WHERE id = $1', [product.id]);
    expect(stock).toBe(stockBefore - 1);
    const mine = (await t.http.get('/api/group-buys/mine').set(bearer(b.token)).expect(200)).body;
    expect(mine).toEqual([{ orderId: seats[1].orderId, groupId: opened.groupId, status: 'failed', refunded: true }]);
  });

  it('a run killed after the provider refunded but before the refund was booked books it once on the next run', async () => {
    const product = await groupProduct(3);
    const [a, b] = await fastBuyers(t, 2);
    const opened = (await open(a, product.id).expect(201)).body;
    const joined = (await join(b, opened.groupId).expect(201)).body;
    await pay(a, opened.paymentId);
    await pay(b, joined.paymentId);
    const groups = t.app.get(GroupBuysService);
    const effects = t.app.get(OrderPaymentEffects);
    const provider = t.app.get<PaymentProvider>(PAYMENT_PROVIDER);
    const sent = jest.spyOn(provider, 'refund');
    const real = effects.completeRefund.bind(effects);
    let calls = 0;
    const book = jest.spyOn(effects, 'completeRefund').mockImplementation(async (...args) => {
      if (++calls === 1) throw new Error('process killed');
      return real(...args);
    });
    const after = new Date(Date.now() + 25 * 3600_000);
    await expect(groups.settle(opened.groupId, after)).rejects.toThrow('process killed');
    book.mockRestore();
    await groups.settleDue(after);
    await groups.settleDue(after);
    const refunds: { id: string; status: string }[] = await t.db.query(
      `SELECT id, status FROM refunds WHERE order_id = ANY($1::uuid[])`,
      [[opened.orderId, joined.orderId]],
    );
    expect(refunds.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    // The provider was asked again for the refund it had already made, under the same key (refund:<id>).
    const keys = sent.mock.calls.map(([input]) => input.refundId);
    expect(new Set(keys)).toEqual(new Set(refunds.map((r) => r.id)));
    expect(keys.length).toBe(3);
    sent.mockRestore();
    const [{ refunded }] = await t.db.query(
      `SELECT sum(refunded_fen)::int AS refunded FROM payments WHERE id = ANY($1::uuid[])`,
      [[opened.paymentId, joined.paymentId]],
    );
    expect(refunded).toBe(2 * 3900);
  });

  it('concurrent joins to the last seat: exactly one gets it; an unpaid seat comes back when its order expires', async () => {
    const product = await groupProduct(2);
    const [leader, ...others] = await fastBuyers(t, 11);
    const opened = (await open(leader, product.id).expect(201)).body;
    await pay(leader, opened.paymentId);
    const results = await Promise.all(others.map((b) => join(b, opened.groupId)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const refused = results.filter((r) => r.status === 409);
    expect(refused).toHaveLength(9);
    expect(new Set(refused.map((r) => r.body.code))).toEqual(new Set(['GROUP_FULL']));
    const [{ n }] = await t.db.query(
      `SELECT count(*)::int AS n FROM group_buy_members WHERE group_id = $1 AND status <> 'left'`,
      [opened.groupId],
    );
    expect(n).toBe(2);

    // The winner never pays: its order expires as usual, the seat comes back, and another buyer fills the group.
    await t.app.get(LifecycleService).expireDue(new Date(Date.now() + 16 * 60_000));
    expect(await group(opened.groupId)).toMatchObject({ status: 'open', joined: 1, holding: 0 });
    const loser = others[results.findIndex((r) => r.status === 409)];
    const seat = (await join(loser, opened.groupId).expect(201)).body;
    await pay(loser, seat.paymentId);
    expect((await group(opened.groupId)).status).toBe('formed');
  });

  it('refuses the wrong side: a second seat, another cooperative, a host, signed out, bad input', async () => {
    const product = await groupProduct(3);
    const [a] = await fastBuyers(t, 1);
    const opened = (await open(a, product.id).expect(201)).body;
    // The opener joining their own group, also twice at once.
    const twice = await Promise.all([join(a, opened.groupId), join(a, opened.groupId)]);
    expect(twice.map((r) => [r.status, r.body.code])).toEqual([
      [409, 'ALREADY_JOINED'],
      [409, 'ALREADY_JOINED'],
    ]);
    const [b] = await fastBuyers(t, 1);
    const both = await Promise.all([join(b, opened.groupId), join(b, opened.groupId)]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(both.find((r) => r.status === 409)?.body.code).toBe('ALREADY_JOINED');

    const otherCoop = (await insertCooperative(t)).id;
    const stranger = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: otherCoop }]);
    const offer = { size: 2, groupPriceFen: 100, windowHours: 1 };
    const url = `/api/console/products/${product.id}/group-offer`;
    expect((await t.http.put(url).set(bearer(stranger.token)).send(offer).expect(404)).body.code).toBe(
      'PRODUCT_NOT_FOUND',
    );
    const host = await userWithRoles(t, [{ role: 'host', cooperativeId: coopId }]);
    expect((await t.http.put(url).set(bearer(host.token)).send(offer).expect(403)).body.code).toBe(
      'NOT_COOPERATIVE_ADMIN',
    );
    await t.http.put(url).send(offer).expect(401);
    await t.http
      .post('/api/group-buys')
      .send({ productId: product.id, quantity: 1, address: TEST_ADDRESS })
      .expect(401);
    await t.http
      .post(`/api/group-buys/${opened.groupId}/join`)
      .send({ quantity: 1, address: TEST_ADDRESS })
      .expect(401);
    // The offer stayed as its cooperative set it.
    expect((await t.http.get(`/api/products/${product.id}`).expect(200)).body.groupBuy.size).toBe(3);

    const notBelow = await t.http
      .put(url)
      .set(bearer(admin.token))
      .send({ ...offer, groupPriceFen: 5900 })
      .expect(400);
    expect(notBelow.body.code).toBe('GROUP_PRICE_NOT_BELOW');
    await t.http
      .put(url)
      .set(bearer(admin.token))
      .send({ ...offer, size: 1 })
      .expect(400);
    await open(a, product.id, 0).expect(400);
    await t.http.post('/api/group-buys').set(bearer(a.token)).send({ productId: product.id, quantity: 1 }).expect(400);
    const plain = await insertProduct(t, coopId);
    expect((await open(a, plain.id).expect(404)).body.code).toBe('PRODUCT_NOT_FOUND');
    await t.http
      .put(url)
      .set(bearer(admin.token))
      .send({ ...offer, groupPriceFen: 3000, active: false })
      .expect(200);
    expect((await open(a, product.id).expect(409)).body.code).toBe('NO_GROUP_OFFER');
    expect((await t.http.get('/api/group-buys/00000000-0000-4000-8000-000000000000').expect(404)).body.code).toBe(
      'GROUP_NOT_FOUND',
    );
    await t.http.get('/api/group-buys/not-a-uuid').expect(404);
  });

  it('a seat taken by a process that died before placing its order is given back by the sweep', async () => {
    const product = await groupProduct(2);
    const [leader, ghost, other] = await fastBuyers(t, 3);
    const opened = (await open(leader, product.id).expect(201)).body;
    // The ghost's seat was taken (its transaction committed), then the process died before its order.
    await t.db.query(
      `INSERT INTO group_buy_members (group_id, buyer_id, quantity, status, created_at) VALUES ($1, $2, 1, 'holding', now())`,
      [opened.groupId, ghost.id],
    );
    expect((await join(other, opened.groupId).expect(409)).body.code).toBe('GROUP_FULL');
    const groups = t.app.get(GroupBuysService);
    await groups.settleDue(new Date(Date.now() + 60_000)); // too early: it may still be placing its order
    expect((await join(other, opened.groupId).expect(409)).body.code).toBe('GROUP_FULL');
    await groups.settleDue(new Date(Date.now() + 3 * 60_000));
    await join(other, opened.groupId).expect(201);
    await join(ghost, opened.groupId).expect(409); // full again, and the ghost can rejoin another time
  });

  it('a payment on its way when the window ends is waited for: paid in the grace it forms the group, else the group fails after it', async () => {
    const groups = t.app.get(GroupBuysService);
    const endWindow = (groupId: string) =>
      t.db.query(`UPDATE group_buys SET expires_at = now() - interval '1 minute' WHERE id = $1`, [groupId]);

    // B placed the order inside the window; the bank confirms the payment a minute after it ended.
    const product = await groupProduct(2);
    const [a, b, c, d] = await fastBuyers(t, 4);
    const opened = (await open(a, product.id).expect(201)).body;
    await pay(a, opened.paymentId);
    const seatB = (await join(b, opened.groupId).expect(201)).body;
    await endWindow(opened.groupId);
    await groups.settleDue(new Date());
    expect((await group(opened.groupId)).status).toBe('open'); // waiting for B's payment, not failed
    expect((await join(c, opened.groupId).expect(409)).body.code).not.toBe('GROUP_FULL'); // no new seats after the window
    await pay(b, seatB.paymentId);
    expect((await group(opened.groupId)).status).toBe('formed');
    await ship(opened.orderId).expect(200);

    // D's payment never comes: the group fails once the grace is over, and A is refunded once.
    const second = (await open(a, product.id).expect(201)).body;
    await pay(a, second.paymentId);
    await join(d, second.groupId).expect(201);
    await endWindow(second.groupId);
    await groups.settleDue(new Date(Date.now() + GROUP_PAYMENT_GRACE_MS - 5 * 60_000));
    expect((await group(second.groupId)).status).toBe('open');
    await groups.settleDue(new Date(Date.now() + GROUP_PAYMENT_GRACE_MS + 60_000));
    expect((await group(second.groupId)).status).toBe('failed');
    await groups.settleDue(new Date(Date.now() + GROUP_PAYMENT_GRACE_MS + 120_000));
    const refunds: { status: string; amount_fen: string }[] = await t.db.query(
      `SELECT status, amount_fen FROM refunds WHERE order_id = $1`,
      [second.orderId],
    );
    expect(refunds).toEqual([{ status: 'succeeded', amount_fen: expect.anything() }]);
  });
});
