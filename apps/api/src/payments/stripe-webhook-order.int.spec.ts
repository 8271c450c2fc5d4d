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
 * Issue 15, finding 7, with the real orders feature: events that overtake `payment_intent.succeeded` converge at
 * once (the intent is re-read from Stripe and applied first), and the signature's timestamp tolerance holds both
 * ways.
 */
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('Stripe webhooks out of order and out of time (real orders, offline Stripe)', () => {
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

  async function placeOrder(price = 5_000, quantity = 2) {
    const coop = await insertCooperative(t);
    const product = await insertProduct(t, coop.id, { price_fen: price, stock: 10 });
    const buyer = await registerUser(t);
    const res = await t.http
      .post('/api/orders')
      .set(bearer(buyer.token))
      .send({ items: [{ productId: product.id, quantity }], address: TEST_ADDRESS })
      .expect(201);
    const paymentId = res.body.checkout.paymentId as string;
    // the intent is made when the buyer opens the payment (the order's answer does not wait for Stripe)
    await t.http.post(`/api/payments/${paymentId}/intent`).set(bearer(buyer.token)).expect(200);
    const pi = [...server.paymentIntents.values()].find(
      (x) => (x.metadata as Record<string, string>).paymentId === paymentId,
    ) as { id: string };
    return { buyer, product, orderId: res.body.id as string, totalFen: res.body.totalFen as number, piId: pi.id };
  }

  const state = async (orderId: string) => {
    const [row] = await t.db.query(
      `SELECT o.status, o.refunded_fen::int AS order_refunded, p.status AS payment_status, p.refunded_fen::int AS payment_refunded,
              (SELECT count(*)::int FROM order_events e WHERE e.order_id = o.id) AS events
         FROM orders o JOIN payments p ON p.id = o.payment_id WHERE o.id = $1`,
      [orderId],
    );
    return row as {
      status: string;
      order_refunded: number;
      payment_status: string;
      payment_refunded: number;
      events: number;
    };
  };

  it('charge.refunded delivered before payment_intent.succeeded: 200, paid then partly refunded, no redelivery needed', async () => {
    const { orderId, piId } = await placeOrder();
    server.succeed(piId, { fee: 60 });
    const succeeded = server.event('payment_intent.succeeded', server.snapshot(piId));
    server.refund(piId, 3_000); // refunded in Stripe's dashboard before our first event arrived
    const refunded = server.event('charge.refunded', server.latestCharge(piId));

    const first = await deliver(server.sign(refunded)).expect(200);
    expect(first.body).toEqual({ received: true });
    expect(await state(orderId)).toMatchObject({
      status: 'paid',
      payment_status: 'succeeded',
      order_refunded: 3_000,
      payment_refunded: 3_000,
    });
    // the overtaken event, arriving late, changes nothing
    const before = await state(orderId);
    await deliver(server.sign(succeeded)).expect(200);
    expect(await state(orderId)).toEqual(before);
  });

  it('a full refund overtaking the payment: the order ends refunded, the ledger books both', async () => {
    const { orderId, piId, totalFen } = await placeOrder(4_000, 1);
    server.succeed(piId, { fee: 24 });
    server.refund(piId);
    await deliver(server.sign(server.event('charge.refunded', server.latestCharge(piId)))).expect(200);
    expect(await state(orderId)).toMatchObject({
      status: 'refunded',
      payment_status: 'succeeded',
      order_refunded: totalFen,
      payment_refunded: totalFen,
    });
    const [{ n }] = await t.db.query(
      `SELECT count(*)::int AS n FROM ledger_transactions
        WHERE idempotency_key = 'pay:order:' || $1::text
           OR idempotency_key IN (SELECT 'refund:' || id FROM refunds WHERE order_id = $1::uuid)`,
      [orderId],
    );
    expect(n).toBe(2);
  });

  it('charge.dispute.created before payment_intent.succeeded: the payment is applied, the dispute recorded', async () => {
    const { orderId, piId } = await placeOrder();
    server.succeed(piId, { fee: 60 });
    const dispute = server.dispute(piId);
    await deliver(server.sign(server.event('charge.dispute.created', dispute))).expect(200);
    expect(await state(orderId)).toMatchObject({ status: 'paid', payment_status: 'succeeded' });
    const [p] = await t.db.query(
      `SELECT p.dispute_ref FROM payments p JOIN orders o ON o.payment_id = p.id WHERE o.id = $1`,
      [orderId],
    );
    expect(p.dispute_ref).toBe(dispute.id);
  });

  it('refuses a correctly signed event timestamped 600 s in the future with 400, recording nothing', async () => {
    const { orderId, piId } = await placeOrder();
    server.succeed(piId, { fee: 60 });
    const event = server.event('payment_intent.succeeded', server.snapshot(piId));
    const before = await state(orderId);
    const res = await deliver(server.sign(event, { timestamp: nowSeconds() + 600 })).expect(400);
    expect(res.body.code).toBe('WEBHOOK_TIMESTAMP_IN_FUTURE');
    const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM payment_events WHERE id = $1', [event.id]);
    expect(n).toBe(0);
    expect(await state(orderId)).toEqual(before);
    // ordinary clock skew within the tolerance is accepted, and the event is applied
    await deliver(server.sign(event, { timestamp: nowSeconds() + 200 })).expect(200);
    expect((await state(orderId)).status).toBe('paid');
  });

  it('a forged signature timestamped in the future is still refused as invalid', async () => {
    const { piId } = await placeOrder();
    const event = server.event('payment_intent.succeeded', server.snapshot(piId));
    const res = await deliver(server.sign(event, { timestamp: nowSeconds() + 600, secret: 'whsec_forged' })).expect(
      400,
    );
    expect(res.body.code).toBe('WEBHOOK_SIGNATURE_INVALID');
  });
});
