import { StripeTestServer } from '../../test/stripe-server/stripe-server';
import {
  createTestApp,
  insertCooperative,
  insertProduct,
  registerUser,
  TEST_ADDRESS,
  TestApp,
} from '../../test/test-app';

/**
 * Payments with the real orders feature (its PaymentEffects, its tables): a buyer's order is paid through the
 * Stripe webhook or the demo confirm, and duplicated, replayed, reordered, stale and tampered events leave
 * every order exact (status, history, stock, payment row).
 */
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function placeOrder(t: TestApp, price = 5_900, quantity = 2) {
  const coop = await insertCooperative(t);
  const product = await insertProduct(t, coop.id, { price_fen: price, stock: 10 });
  const buyer = await registerUser(t);
  const res = await t.http
    .post('/api/orders')
    .set(bearer(buyer.token))
    .send({ items: [{ productId: product.id, quantity }], address: TEST_ADDRESS })
    .expect(201);
  const order = res.body as {
    id: string;
    status: string;
    totalFen: number;
    checkout: { paymentId: string; provider: string; clientSecret: string | null };
  };
  if (order.checkout.provider === 'stripe') {
    // The order's answer does not wait for Stripe: the intent is made when the buyer opens the payment, as the
    // pay page and the live checkout sheet do.
    expect(order.checkout.clientSecret).toBeNull();
    const opened = await t.http
      .post(`/api/payments/${order.checkout.paymentId}/intent`)
      .set(bearer(buyer.token))
      .expect(200);
    order.checkout = opened.body;
    expect(order.checkout.clientSecret).toEqual(expect.any(String));
  }
  return { buyer, product, order };
}

/** Everything a wrong or repeated event could change. */
async function snapshot(t: TestApp, orderId: string, productId: string) {
  const [order] = await t.db.query(`SELECT status, paid_at, refunded_fen FROM orders WHERE id = $1`, [orderId]);
  const events = await t.db.query(
    `SELECT from_status, to_status, actor_kind, note FROM order_events WHERE order_id = $1 ORDER BY id`,
    [orderId],
  );
  const [payment] = await t.db.query(
    `SELECT p.status, p.fee_fen, p.charge_ref, p.refunded_fen FROM payments p JOIN orders o ON o.payment_id = p.id WHERE o.id = $1`,
    [orderId],
  );
  const [product] = await t.db.query(`SELECT stock, sold_count FROM products WHERE id = $1`, [productId]);
  return { order, events, payment, product };
}

describe('Stripe payments with the real orders feature', () => {
  let server: StripeTestServer;
  let t: TestApp;
  beforeAll(async () => {
    server = await StripeTestServer.start();
    t = await createTestApp(server.env());
  });
  afterAll(async () => {
    await t.close();
    await server.close();
  });

  const deliver = (d: { payload: string; signature: string }) =>
    t.http
      .post('/api/payments/stripe/webhook')
      .set('Content-Type', 'application/json')
      .set('Stripe-Signature', d.signature)
      .send(d.payload);
  const intentOf = (paymentId: string) =>
    [...server.paymentIntents.values()].find((pi) => (pi.metadata as Record<string, string>).paymentId === paymentId);

  it('an order is paid by the verified webhook, with Stripe’s fee; bad and repeated events change nothing', async () => {
    const { buyer, product, order } = await placeOrder(t);
    expect(order.checkout.provider).toBe('stripe');
    const pi = intentOf(order.checkout.paymentId);
    expect(pi).toMatchObject({ amount: order.totalFen, currency: 'cny', client_secret: order.checkout.clientSecret });
    const piId = (pi as { id: string }).id;

    // A stale event and a tampered one, before anything is paid: refused, nothing moves.
    const pending = await snapshot(t, order.id, product.id);
    server.succeed(piId, { fee: 71, method: 'alipay' });
    const succeeded = server.event('payment_intent.succeeded', server.snapshot(piId));
    await deliver(server.sign(succeeded, { timestamp: Math.floor(Date.now() / 1000) - 600 })).expect(400);
    const good = server.sign(succeeded);
    await deliver({ ...good, payload: good.payload.replace(`"amount": ${order.totalFen}`, '"amount": 1') }).expect(400);
    expect(await snapshot(t, order.id, product.id)).toEqual(pending);

    // The real delivery pays the order.
    await deliver(good).expect(200);
    const paid = await snapshot(t, order.id, product.id);
    expect(paid.order.status).toBe('paid');
    expect(paid.payment).toMatchObject({ status: 'succeeded', fee_fen: '71' });
    const seen = await t.http.get(`/api/orders/${order.id}`).set(bearer(buyer.token)).expect(200);
    expect(seen.body.status).toBe('paid');

    // Duplicate, replay with a fresh signature, and a late canceled event: the order stays exactly as it is.
    await deliver(good).expect(200);
    await deliver(server.sign(succeeded)).expect(200);
    await deliver(
      server.sign(server.event('payment_intent.canceled', { ...server.snapshot(piId), status: 'canceled' })),
    ).expect(200);
    await deliver(server.sign(server.event('payment_intent.payment_failed', server.snapshot(piId)))).expect(200);
    expect(await snapshot(t, order.id, product.id)).toEqual(paid);
  });

  it('a canceled event overtaking the succeeded one still ends with the order paid, never cancelled', async () => {
    const { product, order } = await placeOrder(t);
    const piId = (intentOf(order.checkout.paymentId) as { id: string }).id;
    const canceled = server.event('payment_intent.canceled', { ...server.snapshot(piId), status: 'canceled' });
    server.succeed(piId, { fee: 20 });
    await deliver(server.sign(canceled)).expect(200);
    const after = await snapshot(t, order.id, product.id);
    expect(after.order.status).toBe('paid');
    expect(after.events.map((e: { to_status: string }) => e.to_status)).not.toContain('cancelled');
    await deliver(server.sign(server.event('payment_intent.succeeded', server.snapshot(piId)))).expect(200);
    expect(await snapshot(t, order.id, product.id)).toEqual(after);
  });
});

describe('demo payments with the real orders feature', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('the buyer pays with 演示支付: the order is paid once, with the demo fee; nobody else can pay it', async () => {
    const { buyer, product, order } = await placeOrder(t, 5_900, 2);
    expect(order.checkout).toMatchObject({ provider: 'demo', clientSecret: null });
    const other = await registerUser(t);
    await t.http.post(`/api/payments/demo/${order.checkout.paymentId}/confirm`).set(bearer(other.token)).expect(404);
    expect((await snapshot(t, order.id, product.id)).order.status).toBe('pending_payment');

    const res = await t.http
      .post(`/api/payments/demo/${order.checkout.paymentId}/confirm`)
      .set(bearer(buyer.token))
      .expect(200);
    expect(res.body).toMatchObject({ status: 'succeeded', duplicate: false });
    const paid = await snapshot(t, order.id, product.id);
    expect(paid.order.status).toBe('paid');
    expect(Number(paid.payment.fee_fen)).toBe(Math.floor((order.totalFen * 6) / 1000));

    const again = await t.http
      .post(`/api/payments/demo/${order.checkout.paymentId}/confirm`)
      .set(bearer(buyer.token))
      .expect(200);
    expect(again.body.duplicate).toBe(true);
    expect(await snapshot(t, order.id, product.id)).toEqual(paid);
  });
});
