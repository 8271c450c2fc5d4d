import {
  createTestApp,
  insertCooperative,
  insertProduct,
  registerUser,
  TEST_ADDRESS,
  TestApp,
  userWithRoles,
} from '../../test/test-app';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/**
 * Issue 15, finding 5: `payments.refunded_fen` was recomputed as a SUM in each refund's own transaction, so
 * concurrent partial refunds lost each other's amounts (100 recorded of 400). It is now one guarded increment.
 */
describe('payments.refunded_fen under concurrent partial refunds (real app, real PostgreSQL)', () => {
  let t: TestApp;
  let coopId: string;
  beforeAll(async () => {
    t = await createTestApp();
    coopId = (await insertCooperative(t)).id;
  });
  afterAll(() => t.close());

  async function paidOrder(quantity: number) {
    const buyer = await registerUser(t);
    const products = [(await insertProduct(t, coopId, { stock: 50, price_fen: 5900 })).id];
    const placed = await t.http
      .post('/api/orders')
      .set(bearer(buyer.token))
      .send({ items: products.map((productId) => ({ productId, quantity })), address: TEST_ADDRESS })
      .expect(201);
    await t.http
      .post(`/api/payments/demo/${placed.body.checkout.paymentId}/confirm`)
      .set(bearer(buyer.token))
      .expect(200);
    return { buyer, orderId: placed.body.id as string, paymentId: placed.body.checkout.paymentId as string };
  }

  const paymentRow = async (id: string) =>
    (
      await t.db.query(
        `SELECT refunded_fen::int AS refunded, amount_fen::int AS amount,
                (SELECT COALESCE(SUM(amount_fen), 0)::int FROM refunds WHERE payment_id = $1 AND status = 'succeeded') AS succeeded
           FROM payments WHERE id = $1`,
        [id],
      )
    )[0] as { refunded: number; amount: number; succeeded: number };

  it('4 concurrent partial refunds of ¥1.00 on one order → ¥4.00 recorded on the payment and the order', async () => {
    const admin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: coopId }]);
    const { orderId, paymentId, buyer } = await paidOrder(1);
    const answers = await Promise.all(
      [1, 2, 3, 4].map((i) =>
        t.http
          .post(`/api/console/orders/${orderId}/refunds`)
          .set(bearer(admin.token))
          .send({ reason: `破损 ${i}`, amountFen: 100 }),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    const p = await paymentRow(paymentId);
    expect(p.succeeded).toBe(400);
    expect(p.refunded).toBe(400);
    const order = await t.http.get(`/api/orders/${orderId}`).set(bearer(buyer.token)).expect(200);
    expect(order.body.refundedFen).toBe(400);
  });

  it('concurrent refunds of two orders sharing one payment both count on the payment', async () => {
    const admin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: coopId }]);
    const otherCoop = (await insertCooperative(t)).id;
    const otherAdmin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: otherCoop }]);
    const a = await insertProduct(t, coopId, { stock: 10 });
    const b = await insertProduct(t, otherCoop, { stock: 10 });
    const buyer = await registerUser(t);
    const placed = await t.http
      .post('/api/orders')
      .set(bearer(buyer.token))
      .send({
        items: [
          { productId: a.id, quantity: 1 },
          { productId: b.id, quantity: 1 },
        ],
        address: TEST_ADDRESS,
      })
      .expect(201);
    const paymentId = placed.body.checkout.paymentId as string;
    await t.http.post(`/api/payments/demo/${paymentId}/confirm`).set(bearer(buyer.token)).expect(200);
    const orders = placed.body.orders as { id: string; cooperative: { id: string } }[];
    expect(orders).toHaveLength(2);
    const tokenOf = (o: { cooperative: { id: string } }) =>
      o.cooperative.id === coopId ? admin.token : otherAdmin.token;
    const answers = await Promise.all(
      orders.flatMap((o) =>
        [1, 2].map(() =>
          t.http
            .post(`/api/console/orders/${o.id}/refunds`)
            .set(bearer(tokenOf(o)))
            .send({ reason: '少发', amountFen: 100 }),
        ),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    const p = await paymentRow(paymentId);
    expect(p).toMatchObject({ succeeded: 400, refunded: 400 });
  });
});
