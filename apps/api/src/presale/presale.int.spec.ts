import { accountCode, verifyExport } from '@xiangbo/domain';
import {
  createTestApp,
  fastBuyers,
  insertCooperative,
  insertProduct,
  TEST_ADDRESS,
  TestApp,
  userWithRoles,
} from '../../test/test-app';
import { bearer, DEFAULT_POLICY, exportLedger, insertHousehold, settle } from '../ledger/testing/ledger-fixtures';
import { LifecycleService } from '../orders/lifecycle.service';
import { notifiedOf } from '../live/live.test-helpers';
import { PresaleService } from './presale.service';

type Buyer = { id: string; token: string };

describe('pre-sale 预售 (real app, real PostgreSQL)', () => {
  let t: TestApp;
  let coopId: string;
  let admin: { token: string };
  let households: string[];
  beforeAll(async () => {
    t = await createTestApp();
    coopId = (await insertCooperative(t)).id;
    admin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: coopId }]);
    households = [
      await insertHousehold(t, '王小明', 'registered', { cooperativeId: coopId, shareUnits: 10 }),
      await insertHousehold(t, '李秀梅', 'registered', { cooperativeId: coopId, shareUnits: 5 }),
      await insertHousehold(t, '张建国', 'monitored', { cooperativeId: coopId, shareUnits: 3 }),
    ];
    // The policy would pay households 30% of net; the guarantee (¥50.00 a unit) is more, and wins.
    await t.http
      .post(`/api/console/cooperatives/${coopId}/sharing-policies`)
      .set(bearer(admin.token))
      .send({ ...DEFAULT_POLICY, purchase: { kind: 'percent', bp: 3000 } })
      .expect(201);
  });
  afterAll(() => t.close());

  /** A ¥60.00 product on pre-sale: ¥20.00 deposit + ¥40.00 balance a unit, 100 units promised (50/30/20). */
  const presaleProduct = async (fields: Record<string, unknown> = {}) => {
    const product = await insertProduct(t, coopId, { price_fen: 6000, stock: 1000 });
    const res = await t.http
      .post('/api/console/presales')
      .set(bearer(admin.token))
      .send({
        productId: product.id,
        depositFen: 2000,
        balanceFen: 4000,
        guaranteedFen: 5000,
        shipFrom: '2027-06-01',
        shipTo: '2027-06-15',
        balanceDays: 7,
        promises: [
          { householdId: households[0], quantity: 50 },
          { householdId: households[1], quantity: 30 },
          { householdId: households[2], quantity: 20 },
        ],
        ...fields,
      })
      .expect(201);
    return { productId: product.id, presaleId: res.body.id as string };
  };
  const order = (b: Buyer, productId: string, quantity = 1) =>
    t.http
      .post('/api/orders')
      .set(bearer(b.token))
      .send({ items: [{ productId, quantity }], address: TEST_ADDRESS });
  const pay = (b: Buyer, paymentId: string) =>
    t.http.post(`/api/payments/demo/${paymentId}/confirm`).set(bearer(b.token)).expect(200);
  const mine = async (b: Buyer) => (await t.http.get('/api/presale-orders/mine').set(bearer(b.token)).expect(200)).body;
  const refundsOf = async (orderIds: string[]) =>
    (await t.db.query(
      `SELECT order_id, status, amount_fen::int AS fen FROM refunds WHERE order_id = ANY($1::uuid[]) ORDER BY order_id`,
      [orderIds],
    )) as { order_id: string; status: string; fen: number }[];

  it('deposit → harvest → balance → ship → settle at the guaranteed price; the deposit is never settled before', async () => {
    const { productId, presaleId } = await presaleProduct();
    const plain = await insertProduct(t, coopId);
    // The contract: the product page and the list.
    const detail = (await t.http.get(`/api/products/${productId}`).expect(200)).body;
    expect(detail.presale).toMatchObject({
      id: presaleId,
      status: 'open',
      depositFen: 2000,
      balanceFen: 4000,
      totalFen: 6000,
      guaranteedFen: 5000,
      shipFrom: '2027-06-01',
      shipTo: '2027-06-15',
      promisedUnits: 100,
      remainingUnits: 100,
      unpaidBalanceRule: 'refund',
      balanceDueAt: null,
    });
    expect(detail.presale.promises).toEqual([
      { name: '王*明', quantity: 50 },
      { name: '李*梅', quantity: 30 },
      { name: '张*国', quantity: 20 },
    ]);
    expect((await t.http.get(`/api/products/${plain.id}`).expect(200)).body.presale).toBeNull();
    const listed = (await t.http.get('/api/products?kind=presale&pageSize=50').expect(200)).body;
    expect(listed.items.map((p: { id: string }) => p.id)).toContain(productId);
    expect(listed.items.map((p: { id: string }) => p.id)).not.toContain(plain.id);

    // The buyer pays the deposit only.
    const [buyer, other] = await fastBuyers(t, 2);
    const placed = (await order(buyer, productId, 2).expect(201)).body;
    expect(placed.checkout.amountFen).toBe(4000);
    expect(placed.totalFen).toBe(4000);
    const depositOrderId = placed.id as string;
    await pay(buyer, placed.checkout.paymentId);
    expect(await mine(buyer)).toEqual([
      expect.objectContaining({ orderId: depositOrderId, state: 'deposit_paid', depositFen: 4000, balanceFen: 8000 }),
    ]);
    expect((await t.http.get(`/api/products/${productId}`).expect(200)).body.presale.remainingUnits).toBe(98);
    // The deposit is in clearing (a liability), not settled: the order cannot ship, so it cannot complete.
    const [pay1] = await t.db.query(`SELECT kind FROM ledger_transactions WHERE idempotency_key = $1`, [
      `pay:order:${depositOrderId}`,
    ]);
    expect(pay1.kind).toBe('payment');
    // A settlement run now settles nothing of it: the deposit stays a liability in clearing.
    const none = await settle(t, { coopId, admin: admin as never, productId, households });
    expect(none.settledOrders).toBe(0);
    const [held] = await t.db.query(
      `SELECT count(*)::int AS n FROM ledger_transactions WHERE order_id = $1 AND kind = 'settlement'`,
      [depositOrderId],
    );
    expect(held.n).toBe(0);
    const early = await t.http
      .post(`/api/console/orders/${depositOrderId}/ship`)
      .set(bearer(admin.token))
      .send({ carrier: '顺丰', trackingNumber: 'SF100200300' })
      .expect(409);
    expect(early.body.code).toBe('PRESALE_NOT_READY_TO_SHIP');
    const notDue = await t.http
      .post(`/api/presale-orders/${depositOrderId}/balance`)
      .set(bearer(buyer.token))
      .expect(409);
    expect(notDue.body.code).toBe('PRESALE_BALANCE_NOT_DUE');

    // The harvest is in: the balance is due.
    const harvested = (
      await t.http.post(`/api/console/presales/${presaleId}/harvest`).set(bearer(admin.token)).expect(200)
    ).body;
    expect(harvested.status).toBe('harvested');
    expect(new Date(harvested.balanceDueAt).getTime()).toBeGreaterThan(Date.now() + 6.9 * 86_400_000);
    expect((await mine(buyer))[0].state).toBe('balance_due');
    // The buyer hears that the balance is due (after the commit); a buyer with no deposit hears nothing.
    expect(await notifiedOf(t, buyer.token, 'balance_due')).toEqual([`/orders/${depositOrderId}`]);
    expect(await notifiedOf(t, other.token, 'balance_due', 0)).toEqual([]);
    // No new deposit orders once the harvest is in (the product sells at its normal price again).
    const after = (await order(other, productId, 1).expect(201)).body;
    expect(after.checkout.amountFen).toBe(6000);
    // Someone else cannot pay (or learn of) this buyer's balance.
    await t.http.post(`/api/presale-orders/${depositOrderId}/balance`).set(bearer(other.token)).expect(404);

    const bal = (
      await t.http.post(`/api/presale-orders/${depositOrderId}/balance`).set(bearer(buyer.token)).expect(200)
    ).body;
    expect(bal).toMatchObject({ orderId: depositOrderId, amountFen: 8000 });
    // Asked again before paying: the same balance order.
    const again = (
      await t.http.post(`/api/presale-orders/${depositOrderId}/balance`).set(bearer(buyer.token)).expect(200)
    ).body;
    expect(again.balanceOrderId).toBe(bal.balanceOrderId);
    await pay(buyer, bal.paymentId);
    expect((await mine(buyer))[0].state).toBe('balance_paid');
    // The product's sold count counts the two units once (the deposit's), not again for the balance.
    const [{ sold_count }] = await t.db.query(`SELECT sold_count FROM products WHERE id = $1`, [productId]);
    expect(sold_count).toBe(2);
    const paidAgain = await t.http
      .post(`/api/presale-orders/${depositOrderId}/balance`)
      .set(bearer(buyer.token))
      .expect(409);
    expect(paidAgain.body.code).toBe('PRESALE_NO_BALANCE');
    const detailOfOrder = (await t.http.get(`/api/orders/${bal.balanceOrderId}`).set(bearer(buyer.token)).expect(200))
      .body;
    expect(detailOfOrder.presale).toMatchObject({ role: 'balance', depositOrderId, state: 'balance_paid' });

    // The console lists it as ready to ship (both orders, one parcel); nobody else sees the list.
    const coopOrders = (
      await t.http.get(`/api/console/cooperatives/${coopId}/presale-orders`).set(bearer(admin.token)).expect(200)
    ).body;
    expect(coopOrders.find((o: { orderId: string }) => o.orderId === depositOrderId)).toMatchObject({
      balanceOrderId: bal.balanceOrderId,
      state: 'balance_paid',
      shippable: true,
      quantity: 2,
    });
    await t.http.get(`/api/console/cooperatives/${coopId}/presale-orders`).set(bearer(buyer.token)).expect(404);
    // Another cooperative's admin cannot ship it; its own ships both orders in one parcel.
    const otherCoop = await insertCooperative(t);
    const stranger = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: otherCoop.id }]);
    await t.http
      .post(`/api/console/presale-orders/${depositOrderId}/ship`)
      .set(bearer(stranger.token))
      .send({ carrier: '顺丰', trackingNumber: 'SF100200300' })
      .expect(404);
    await t.http
      .post(`/api/console/presale-orders/${depositOrderId}/ship`)
      .set(bearer(admin.token))
      .send({ carrier: '顺丰', trackingNumber: 'SF100200300' })
      .expect(200);
    for (const id of [depositOrderId, bal.balanceOrderId])
      await t.http.post(`/api/orders/${id}/confirm-receipt`).set(bearer(buyer.token)).expect(200);

    // The price falls before settlement: the guarantee holds all the same.
    await t.db.query(`UPDATE products SET price_fen = 3000 WHERE id = $1`, [productId]);
    const run = await settle(t, { coopId, admin: admin as never, productId, households });
    expect(run).toMatchObject({ status: 'done', settledOrders: 2, settledFen: 12000 });
    const owed: { account: string; fen: number }[] = await t.db.query(
      `SELECT p.account, -SUM(p.amount)::int AS fen FROM ledger_postings p JOIN ledger_transactions t ON t.id = p.transaction_id
        WHERE t.idempotency_key = ANY($1) AND p.account LIKE '%:household:%' GROUP BY p.account`,
      [[`settle:order:${depositOrderId}`, `settle:order:${bal.balanceOrderId}`]],
    );
    const byHousehold = new Map(owed.map((o) => [o.account, o.fen]));
    // 2 units × ¥50.00 = ¥100.00, by the promises 50/30/20 (the policy's 30% would have paid about ¥34).
    expect(households.map((h) => byHousehold.get(accountCode.householdPayable(coopId, h)))).toEqual([5000, 3000, 2000]);
    const text = await exportLedger(t, coopId, admin.token);
    expect(verifyExport(text.split('\n'))).toMatchObject({ ok: true });
  });

  it('a cancelled pre-sale refunds every deposit exactly once, also when the run is killed between refunds', async () => {
    const { productId, presaleId } = await presaleProduct();
    const buyers = await fastBuyers(t, 4);
    const orders: string[] = [];
    for (const [i, b] of buyers.slice(0, 3).entries()) {
      const placed = (await order(b, productId, i + 1).expect(201)).body;
      await pay(b, placed.checkout.paymentId);
      orders.push(placed.id);
    }
    const unpaid = (await order(buyers[3], productId, 1).expect(201)).body;
    const stockBefore = Number((await t.db.query(`SELECT stock FROM products WHERE id = $1`, [productId]))[0].stock);

    // From the wrong side: another cooperative's admin, and a host of this one (read only).
    const otherCoop = await insertCooperative(t);
    const stranger = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: otherCoop.id }]);
    const host = await userWithRoles(t, [{ role: 'host', cooperativeId: coopId }]);
    await t.http
      .post(`/api/console/presales/${presaleId}/cancel`)
      .set(bearer(stranger.token))
      .send({ reason: '冰雹' })
      .expect(404);
    const hostTry = await t.http
      .post(`/api/console/presales/${presaleId}/cancel`)
      .set(bearer(host.token))
      .send({ reason: '冰雹' })
      .expect(403);
    expect(hostTry.body.code).toBe('NOT_COOPERATIVE_ADMIN');
    await t.http.post(`/api/console/presales/${presaleId}/harvest`).set(bearer(stranger.token)).expect(404);

    await t.http
      .post(`/api/console/presales/${presaleId}/cancel`)
      .set(bearer(admin.token))
      .send({ reason: '冰雹，歉收' })
      .expect(200);
    // Ordering is closed: the product sells normally (the deposit offer is gone).
    expect((await t.http.get(`/api/products/${productId}`).expect(200)).body.presale).toBeNull();

    const presale = t.app.get(PresaleService);
    const lifecycle = t.app.get(LifecycleService);
    const real = lifecycle.executeRefund.bind(lifecycle);
    let calls = 0;
    const spy = jest.spyOn(lifecycle, 'executeRefund').mockImplementation(async (id: string) => {
      if (++calls === 2) throw new Error('process killed');
      return real(id);
    });
    await expect(presale.refundDue(presaleId)).rejects.toThrow('process killed');
    spy.mockRestore();
    const midway = await refundsOf(orders);
    expect(midway.map((r) => r.status).sort()).toEqual(['pending', 'succeeded']);

    // The job runs again (twice at once, then the sweep over every pre-sale): each deposit refunded once, in full.
    await Promise.all([presale.refundDue(presaleId), presale.refundDue(presaleId)]);
    await presale.refundDue();
    const done = await refundsOf(orders);
    expect(done).toHaveLength(3);
    expect(done.every((r) => r.status === 'succeeded')).toBe(true);
    expect(done.map((r) => r.fen).sort((a, b) => a - b)).toEqual([2000, 4000, 6000]);
    const statuses: { status: string }[] = await t.db.query(`SELECT status FROM orders WHERE id = ANY($1::uuid[])`, [
      orders,
    ]);
    expect(statuses.map((s) => s.status)).toEqual(['refunded', 'refunded', 'refunded']);
    expect((await mine(buyers[1]))[0].state).toBe('refunded');
    // Nothing for the unpaid order (it expires on its own); the paid units' stock came back once.
    expect(await refundsOf([unpaid.id])).toEqual([]);
    const [{ stock }] = await t.db.query(`SELECT stock FROM products WHERE id = $1`, [productId]);
    expect(Number(stock)).toBe(stockBefore + 6);
    // The ledger: each deposit paid in and refunded out of clearing, balanced; the export verifies.
    const text = await exportLedger(t, coopId, admin.token);
    expect(verifyExport(text.split('\n'))).toMatchObject({ ok: true });
  });

  it('a deposit paid without its pre-sale order (a payment after expiry) is adopted by the sweep and refunded on cancel', async () => {
    const { productId, presaleId } = await presaleProduct();
    const [buyer] = await fastBuyers(t, 1);
    const placed = (await order(buyer, productId, 3).expect(201)).body;
    await pay(buyer, placed.checkout.paymentId);
    // As if orders had taken the late payment without the afterPayment hook (its late-success path).
    await t.db.query(`DELETE FROM presale_orders WHERE order_id = $1`, [placed.id]);
    await t.db.query(`UPDATE presales SET taken = taken - 3 WHERE id = $1`, [presaleId]);
    await t.http
      .post(`/api/console/presales/${presaleId}/cancel`)
      .set(bearer(admin.token))
      .send({ reason: '干旱' })
      .expect(200);
    const presale = t.app.get(PresaleService);
    expect(await presale.refundDue()).toEqual({ refunded: 1 });
    expect(await presale.refundDue()).toEqual({ refunded: 0 });
    expect(await refundsOf([placed.id])).toEqual([{ order_id: placed.id, status: 'succeeded', fen: 6000 }]);
  });

  it('a balance not paid by its deadline: the deposit is refunded (the rule shown to the buyer), once', async () => {
    const { productId, presaleId } = await presaleProduct();
    const [buyer] = await fastBuyers(t, 1);
    const placed = (await order(buyer, productId, 1).expect(201)).body;
    await pay(buyer, placed.checkout.paymentId);
    await t.http.post(`/api/console/presales/${presaleId}/harvest`).set(bearer(admin.token)).expect(200);
    const presale = t.app.get(PresaleService);
    // Before the deadline nothing happens.
    expect(await presale.refundDue(presaleId)).toEqual({ refunded: 0 });
    // Eight days later (7 days + the grace of a balance order being paid).
    const later = new Date(Date.now() + 8 * 86_400_000);
    expect(await presale.refundDue(presaleId, later)).toEqual({ refunded: 1 });
    expect(await presale.refundDue(undefined, later)).toEqual({ refunded: 0 });
    expect(await refundsOf([placed.id])).toEqual([{ order_id: placed.id, status: 'succeeded', fen: 2000 }]);
    expect((await mine(buyer))[0].state).toBe('refunded');
  });

  it('refuses what does not fit: another cooperative, a household not its own, over the promises, mixed carts', async () => {
    const product = await insertProduct(t, coopId, { price_fen: 6000, stock: 1000 });
    const otherCoop = await insertCooperative(t);
    const stranger = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: otherCoop.id }]);
    const body = {
      productId: product.id,
      depositFen: 1000,
      balanceFen: 0, // full prepayment
      guaranteedFen: 800,
      shipFrom: '2027-07-01',
      shipTo: '2027-07-10',
      promises: [{ householdId: households[0], quantity: 3 }],
    };
    await t.http.post('/api/console/presales').set(bearer(stranger.token)).send(body).expect(404);
    const foreign = await insertHousehold(t, '赵大山', 'none');
    const notOurs = await t.http
      .post('/api/console/presales')
      .set(bearer(admin.token))
      .send({ ...body, promises: [{ householdId: foreign, quantity: 3 }] })
      .expect(400);
    expect(notOurs.body.code).toBe('PRESALE_HOUSEHOLD_NOT_OURS');
    const tooHigh = await t.http
      .post('/api/console/presales')
      .set(bearer(admin.token))
      .send({ ...body, guaranteedFen: 1001 })
      .expect(400);
    expect(JSON.stringify(tooHigh.body)).toContain('guaranteedFen');
    const created = (await t.http.post('/api/console/presales').set(bearer(admin.token)).send(body).expect(201)).body;
    const dup = await t.http.post('/api/console/presales').set(bearer(admin.token)).send(body).expect(409);
    expect(dup.body.code).toBe('PRESALE_EXISTS');

    const [a, b] = await fastBuyers(t, 2);
    const plain = await insertProduct(t, coopId);
    const mixed = await t.http
      .post('/api/orders')
      .set(bearer(a.token))
      .send({
        items: [
          { productId: product.id, quantity: 1 },
          { productId: plain.id, quantity: 1 },
        ],
        address: TEST_ADDRESS,
      })
      .expect(400);
    expect(mixed.body.code).toBe('PRESALE_ORDER_ALONE');
    // 3 units promised: 2 + 2 cannot both be had.
    const first = (await order(a, product.id, 2).expect(201)).body;
    expect(first.checkout.amountFen).toBe(2000);
    await order(b, product.id, 2).expect(409);
    // A full prepayment has no balance; it ships once the harvest is in.
    await pay(a, first.checkout.paymentId);
    const none = await t.http.post(`/api/presale-orders/${first.id}/balance`).set(bearer(a.token)).expect(409);
    expect(none.body.code).toBe('PRESALE_NO_BALANCE');
    const ship = () =>
      t.http
        .post(`/api/console/presale-orders/${first.id}/ship`)
        .set(bearer(admin.token))
        .send({ carrier: '顺丰', trackingNumber: 'SF100200301' });
    expect((await ship().expect(409)).body.code).toBe('PRESALE_NOT_READY_TO_SHIP');
    await t.http.post(`/api/console/presales/${created.id}/harvest`).set(bearer(admin.token)).expect(200);
    await ship().expect(200);
    // The transparency page lists it with its promises, masked.
    const pub = (await t.http.get(`/api/cooperatives/${coopId}/presales`).expect(200)).body;
    expect(pub.find((x: { id: string }) => x.id === created.id)).toMatchObject({
      guaranteedFen: 800,
      promises: [{ name: '王*明', quantity: 3 }],
      promisedUnits: 3,
      orderedUnits: 2,
    });
    expect(JSON.stringify(pub)).not.toMatch(/王小明/);
  });
});
