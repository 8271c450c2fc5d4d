import { randomUUID } from 'node:crypto';
import { FakePaymentEffects } from '../../test/stripe-server/fake-payment-effects';
import { StripeTestServer } from '../../test/stripe-server/stripe-server';
import { createTestApp, TestApp } from '../../test/test-app';
import { PAYMENT_EFFECTS, PAYMENT_PROVIDER, PaymentProvider } from './payment-provider';

/**
 * The webhook through HTTP on the real app: the real SDK verifies signatures made by the SDK's own test helper,
 * and re-reads objects from the Stripe-compatible server. PaymentEffects is a stand-in keeping one order per
 * payment in the test database, written in the webhook's transaction (see fake-payment-effects.ts).
 */
describe('Stripe webhook (real app, real SDK, offline Stripe)', () => {
  let server: StripeTestServer;
  let t: TestApp;
  let provider: PaymentProvider;
  const effects = new FakePaymentEffects();

  beforeAll(async () => {
    server = await StripeTestServer.start();
    t = await createTestApp(server.env(), { overrides: [{ provide: PAYMENT_EFFECTS, useValue: effects }] });
    await effects.install(t.db);
    provider = t.app.get(PAYMENT_PROVIDER);
  });
  afterAll(async () => {
    await t.close();
    await server.close();
  });

  /** A pending payment of ours with its PaymentIntent at Stripe. */
  async function newPayment(amountFen = 12_800) {
    const buyerId = randomUUID();
    const id = await effects.create(t.db, { buyerId, provider: 'stripe', amountFen });
    const { providerRef } = await provider.createIntent({
      paymentId: id,
      amountFen,
      currency: 'CNY',
      buyerId,
      description: '乡播订单',
      metadata: {},
    });
    await effects.setProviderRef(t.db, id, providerRef);
    return { id, pi: providerRef };
  }

  const deliver = (delivery: { payload: string; signature?: string }, contentType = 'application/json') => {
    const req = t.http.post('/api/payments/stripe/webhook').set('Content-Type', contentType);
    if (delivery.signature) req.set('Stripe-Signature', delivery.signature);
    return req.send(delivery.payload);
  };
  const recorded = async (eventId: string): Promise<number> =>
    (await t.db.query('SELECT count(*)::int AS n FROM payment_events WHERE id = $1', [eventId]))[0].n;
  const piEvent = (type: string, pi: string, over: Record<string, unknown> = {}) =>
    server.event(type, { ...server.snapshot(pi), ...over });

  it('applies a verified payment_intent.succeeded once: the order is paid with Stripe’s real fee', async () => {
    const p = await newPayment(9_900);
    const { charge } = server.succeed(p.pi, { fee: 436, method: 'wechat_pay' });
    const event = piEvent('payment_intent.succeeded', p.pi);
    const res = await deliver(server.sign(event)).expect(200);
    expect(res.body).toEqual({ received: true });
    expect(await effects.get(t.db, p.id)).toMatchObject({
      orderStatus: 'paid',
      status: 'succeeded',
      feeFen: 436,
      chargeRef: charge.id,
      transitions: 1,
    });
    const [row] = await t.db.query('SELECT type FROM payment_events WHERE id = $1', [event.id]);
    expect(row.type).toBe('payment_intent.succeeded');
  });

  it('a duplicated delivery (same bytes) answers duplicate and changes nothing', async () => {
    const p = await newPayment();
    server.succeed(p.pi, { fee: 77 });
    const delivery = server.sign(piEvent('payment_intent.succeeded', p.pi));
    await deliver(delivery).expect(200);
    const before = await effects.get(t.db, p.id);
    const again = await deliver(delivery).expect(200);
    expect(again.body).toEqual({ received: true, duplicate: true });
    expect(await effects.get(t.db, p.id)).toEqual(before);
  });

  it('concurrent deliveries of one event are processed by exactly one of them', async () => {
    const p = await newPayment();
    server.succeed(p.pi, { fee: 77 });
    const event = piEvent('payment_intent.succeeded', p.pi);
    const delivery = server.sign(event);
    const answers = await Promise.all(Array.from({ length: 8 }, () => deliver(delivery)));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(answers.filter((a) => !a.body.duplicate)).toHaveLength(1);
    expect(await recorded(event.id)).toBe(1);
    expect(await effects.get(t.db, p.id)).toMatchObject({ orderStatus: 'paid', transitions: 1 });
  });

  it('replaying a succeeded event later, freshly signed, changes nothing', async () => {
    const p = await newPayment();
    server.succeed(p.pi, { fee: 50 });
    const event = piEvent('payment_intent.succeeded', p.pi);
    await deliver(server.sign(event)).expect(200);
    const before = await effects.get(t.db, p.id);
    // Meanwhile Stripe's view moved on (a partial refund); the replay must not re-apply anything.
    server.refund(p.pi, 1_000);
    const replay = await deliver(server.sign(event, { timestamp: Math.floor(Date.now() / 1000) })).expect(200);
    expect(replay.body).toEqual({ received: true, duplicate: true });
    expect(await effects.get(t.db, p.id)).toEqual(before);
  });

  it('reordered: a canceled event for an intent that actually succeeded re-reads Stripe and pays, never cancels', async () => {
    const p = await newPayment();
    const canceled = piEvent('payment_intent.canceled', p.pi, { status: 'canceled' });
    server.succeed(p.pi, { fee: 77 });
    const succeeded = piEvent('payment_intent.succeeded', p.pi);
    // The canceled event overtakes the succeeded one: Stripe, re-read, says succeeded.
    await deliver(server.sign(canceled)).expect(200);
    expect(await effects.get(t.db, p.id)).toMatchObject({ orderStatus: 'paid', status: 'succeeded', feeFen: 77 });
    await deliver(server.sign(succeeded)).expect(200);
    // And after it: still paid, one transition in all.
    await deliver(server.sign(piEvent('payment_intent.canceled', p.pi, { status: 'canceled' }))).expect(200);
    expect(await effects.get(t.db, p.id)).toMatchObject({ orderStatus: 'paid', status: 'succeeded', transitions: 1 });
  });

  it('reordered the other way: a failure event delivered after a successful retry still pays the order', async () => {
    const p = await newPayment();
    server.fail(p.pi);
    const failed = piEvent('payment_intent.payment_failed', p.pi);
    server.succeed(p.pi, { fee: 12 });
    await deliver(server.sign(failed)).expect(200); // arrives late, Stripe now says succeeded
    expect(await effects.get(t.db, p.id)).toMatchObject({ orderStatus: 'paid', feeFen: 12, failureMessage: null });
    await deliver(server.sign(piEvent('payment_intent.succeeded', p.pi))).expect(200);
    expect(await effects.get(t.db, p.id)).toMatchObject({ orderStatus: 'paid', transitions: 1 });
  });

  it('never trusts the event body: a signed "succeeded" for an intent Stripe still shows unpaid pays nothing', async () => {
    const p = await newPayment();
    const forged = piEvent('payment_intent.succeeded', p.pi, { status: 'succeeded', amount_received: 12_800 });
    const res = await deliver(server.sign(forged)).expect(200);
    expect(res.body).toEqual({ received: true, ignored: true });
    expect(await effects.get(t.db, p.id)).toMatchObject({
      orderStatus: 'pending_payment',
      status: 'pending',
      transitions: 0,
    });
  });

  it('a declined payment keeps the order payable and records the reason; a cancelled one cancels it', async () => {
    const p = await newPayment();
    server.fail(p.pi, '余额不足');
    await deliver(server.sign(piEvent('payment_intent.payment_failed', p.pi))).expect(200);
    expect(await effects.get(t.db, p.id)).toMatchObject({ orderStatus: 'pending_payment', failureMessage: '余额不足' });

    await provider.cancel(p.pi, p.id);
    await deliver(server.sign(piEvent('payment_intent.canceled', p.pi))).expect(200);
    expect(await effects.get(t.db, p.id)).toMatchObject({ orderStatus: 'cancelled', status: 'canceled' });
  });

  it('refuses a stale event (> 5 minutes old) with 400 and records nothing', async () => {
    const p = await newPayment();
    server.succeed(p.pi, { fee: 77 });
    const event = piEvent('payment_intent.succeeded', p.pi);
    const res = await deliver(server.sign(event, { timestamp: Math.floor(Date.now() / 1000) - 301 })).expect(400);
    expect(res.body.code).toBe('WEBHOOK_STALE');
    expect(await recorded(event.id)).toBe(0);
    expect(await effects.get(t.db, p.id)).toMatchObject({ orderStatus: 'pending_payment', transitions: 0 });
  });

  it('refuses a tampered payload, a wrong secret, a missing signature and a non-JSON body with 400', async () => {
    const p = await newPayment();
    server.succeed(p.pi, { fee: 77 });
    const event = piEvent('payment_intent.succeeded', p.pi);
    const good = server.sign(event);

    const tampered = { ...good, payload: good.payload.replace('"amount": 12800', '"amount": 1') };
    expect(tampered.payload).not.toBe(good.payload);
    expect((await deliver(tampered).expect(400)).body.code).toBe('WEBHOOK_SIGNATURE_INVALID');
    // Same JSON, other bytes: the signature is over the raw body, not over a re-serialisation of it.
    const compact = { ...good, payload: JSON.stringify(JSON.parse(good.payload)) };
    expect((await deliver(compact).expect(400)).body.code).toBe('WEBHOOK_SIGNATURE_INVALID');
    const otherSecret = server.sign(event, { secret: 'whsec_someone_else' });
    expect((await deliver(otherSecret).expect(400)).body.code).toBe('WEBHOOK_SIGNATURE_INVALID');
    expect((await deliver({ payload: good.payload }).expect(400)).body.code).toBe('WEBHOOK_SIGNATURE_MISSING');
    expect((await deliver(good, 'text/plain').expect(400)).body.code).toBe('WEBHOOK_PAYLOAD_INVALID');
    await deliver({ payload: '{', signature: server.sign('{').signature }).expect(400);

    expect(await recorded(event.id)).toBe(0);
    expect(await effects.get(t.db, p.id)).toMatchObject({ orderStatus: 'pending_payment', transitions: 0 });
    await deliver(good).expect(200); // the genuine delivery still works afterwards
    expect(await effects.get(t.db, p.id)).toMatchObject({ orderStatus: 'paid' });
  });

  it('charge.refunded reconciles the refunded total read from the charge (dashboard refunds included)', async () => {
    const p = await newPayment(10_000);
    server.succeed(p.pi, { fee: 60 });
    await deliver(server.sign(piEvent('payment_intent.succeeded', p.pi))).expect(200);
    server.refund(p.pi, 3_000);
    const charge = server.latestCharge(p.pi);
    await deliver(server.sign(server.event('charge.refunded', { ...charge, amount_refunded: 999_999 }))).expect(200);
    expect(await effects.get(t.db, p.id)).toMatchObject({ refundedFen: 3_000, orderStatus: 'paid' });
    server.refund(p.pi);
    await deliver(server.sign(server.event('charge.refunded', charge))).expect(200);
    expect(await effects.get(t.db, p.id)).toMatchObject({ refundedFen: 10_000, orderStatus: 'refunded' });
  });

  it('charge.dispute.created records the dispute read back from Stripe', async () => {
    const p = await newPayment();
    server.succeed(p.pi, { fee: 77 });
    await deliver(server.sign(piEvent('payment_intent.succeeded', p.pi))).expect(200);
    const dispute = server.dispute(p.pi, 'product_not_received');
    await deliver(server.sign(server.event('charge.dispute.created', dispute))).expect(200);
    expect(await effects.get(t.db, p.id)).toMatchObject({ disputeRef: dispute.id, orderStatus: 'paid' });
  });

  it('acknowledges and records event types it does not handle, and events about objects Stripe does not know', async () => {
    const other = server.event('customer.created', { id: 'cus_123', object: 'customer' });
    expect((await deliver(server.sign(other)).expect(200)).body).toEqual({ received: true, ignored: true });
    expect(await recorded(other.id)).toBe(1);
    const ghost = server.event('payment_intent.succeeded', { id: 'pi_not_at_stripe', object: 'payment_intent' });
    expect((await deliver(server.sign(ghost)).expect(200)).body).toEqual({ received: true, ignored: true });
  });

  it('records the event in the same transaction as its effect: a failed effect leaves no record, the retry applies', async () => {
    const p = await newPayment();
    server.succeed(p.pi, { fee: 77 });
    const event = piEvent('payment_intent.succeeded', p.pi);
    effects.failNext = true;
    await deliver(server.sign(event)).expect(500);
    expect(await recorded(event.id)).toBe(0);
    expect(await effects.get(t.db, p.id)).toMatchObject({
      orderStatus: 'pending_payment',
      status: 'pending',
      feeFen: null,
    });
    await deliver(server.sign(event)).expect(200); // Stripe retries
    expect(await recorded(event.id)).toBe(1);
    expect(await effects.get(t.db, p.id)).toMatchObject({ orderStatus: 'paid', feeFen: 77, transitions: 1 });
  });

  it('tells the storefront to use Stripe with the publishable key; the demo confirm route is closed', async () => {
    const res = await t.http.get('/api/payments/config').expect(200);
    expect(res.body).toEqual({ provider: 'stripe', publishableKey: server.publishableKey });
    const u = await t.http
      .post('/api/auth/register')
      .send({ email: `pay.${Date.now()}@test.xiangbo`, password: 'correct horse battery', displayName: '买家' })
      .expect(201);
    const p = await newPayment();
    const demo = await t.http
      .post(`/api/payments/demo/${p.id}/confirm`)
      .set('Authorization', `Bearer ${u.body.accessToken}`)
      .expect(404);
    expect(demo.body.code).toBe('DEMO_NOT_AVAILABLE');
  });
});
