import { randomUUID } from 'node:crypto';
import { FakePaymentEffects } from '../../test/stripe-server/fake-payment-effects';
import { createTestApp, registerUser, TestApp } from '../../test/test-app';
import { DemoProvider } from './demo.provider';
import { PAYMENT_EFFECTS, PAYMENT_PROVIDER, PaymentProvider } from './payment-provider';

/** 演示支付 (no Stripe key): the buyer's confirm drives the same PaymentEffects as a Stripe webhook. */
describe('demo payments (no Stripe key configured)', () => {
  let t: TestApp;
  let provider: PaymentProvider;
  const effects = new FakePaymentEffects();

  beforeAll(async () => {
    t = await createTestApp({}, { overrides: [{ provide: PAYMENT_EFFECTS, useValue: effects }] });
    await effects.install(t.db);
    provider = t.app.get(PAYMENT_PROVIDER);
  });
  afterAll(() => t.close());

  async function demoPayment(buyerId: string, amountFen = 5_900) {
    const id = await effects.create(t.db, { buyerId, provider: 'demo', amountFen });
    const { providerRef, clientSecret } = await provider.createIntent({
      paymentId: id,
      amountFen,
      currency: 'CNY',
      buyerId,
      description: '演示订单',
      metadata: {},
    });
    expect(clientSecret).toBeNull();
    await effects.setProviderRef(t.db, id, providerRef);
    return { id, providerRef };
  }
  const confirm = (paymentId: string, token?: string) => {
    const req = t.http.post(`/api/payments/demo/${paymentId}/confirm`);
    return token ? req.set('Authorization', `Bearer ${token}`) : req;
  };

  it('is the provider when no Stripe key is set, and the storefront is told so', async () => {
    expect(provider).toBeInstanceOf(DemoProvider);
    const res = await t.http.get('/api/payments/config').expect(200);
    expect(res.body).toEqual({ provider: 'demo', publishableKey: null });
  });

  it('the buyer’s confirm pays the order once, with the documented demo fee (0.6 % rounded down)', async () => {
    const buyer = await registerUser(t);
    const p = await demoPayment(buyer.user.id, 5_900);
    expect(p.providerRef).toBe(`demo_${p.id}`);
    const res = await confirm(p.id, buyer.token).expect(200);
    expect(res.body).toEqual({ paymentId: p.id, status: 'succeeded', duplicate: false });
    expect(await effects.get(t.db, p.id)).toMatchObject({
      orderStatus: 'paid',
      status: 'succeeded',
      feeFen: 35,
      chargeRef: `demo_ch_${p.id}`,
      transitions: 1,
    });
    const again = await confirm(p.id, buyer.token).expect(200);
    expect(again.body.duplicate).toBe(true);
    expect(await effects.get(t.db, p.id)).toMatchObject({ orderStatus: 'paid', transitions: 1 });
  });

  it('a double tap (parallel confirms) is applied once', async () => {
    const buyer = await registerUser(t);
    const p = await demoPayment(buyer.user.id);
    const answers = await Promise.all(Array.from({ length: 5 }, () => confirm(p.id, buyer.token)));
    expect(answers.map((a) => a.status)).toEqual(Array(5).fill(200));
    expect(answers.filter((a) => a.body.duplicate === false)).toHaveLength(1);
    expect(await effects.get(t.db, p.id)).toMatchObject({ orderStatus: 'paid', transitions: 1 });
  });

  it('only the payment’s buyer can confirm it: anyone else gets 404, a signed-out caller 401', async () => {
    const buyer = await registerUser(t);
    const other = await registerUser(t);
    const p = await demoPayment(buyer.user.id);
    expect((await confirm(p.id, other.token).expect(404)).body.code).toBe('PAYMENT_NOT_FOUND');
    await confirm(p.id).expect(401);
    expect((await confirm(randomUUID(), buyer.token).expect(404)).body.code).toBe('PAYMENT_NOT_FOUND');
    expect((await confirm('not-a-uuid', buyer.token).expect(404)).body.code).toBe('PAYMENT_NOT_FOUND');
    expect(await effects.get(t.db, p.id)).toMatchObject({ orderStatus: 'pending_payment', transitions: 0 });
  });

  it('refuses a Stripe payment and a cancelled (expired) one with 409', async () => {
    const buyer = await registerUser(t);
    const stripePaid = await effects.create(t.db, {
      buyerId: buyer.user.id,
      provider: 'stripe',
      amountFen: 100,
      providerRef: `pi_${Date.now()}`,
    });
    expect((await confirm(stripePaid, buyer.token).expect(409)).body.code).toBe('PAYMENT_NOT_DEMO');
    const p = await demoPayment(buyer.user.id);
    await t.db.query(`UPDATE fake_payments SET status = 'canceled', order_status = 'cancelled' WHERE id = $1`, [p.id]);
    expect((await confirm(p.id, buyer.token).expect(409)).body.code).toBe('PAYMENT_NOT_PENDING');
    expect(await effects.get(t.db, p.id)).toMatchObject({ orderStatus: 'cancelled', feeFen: null });
  });

  it('demo refunds succeed at once, cancelling needs nothing, and the Stripe webhook is closed', async () => {
    const refundId = randomUUID();
    await expect(
      provider.refund({ paymentProviderRef: 'demo_x', refundId, amountFen: 100, reason: '测试' }),
    ).resolves.toEqual({
      refundRef: `demo_refund_${refundId}`,
      status: 'succeeded',
    });
    await expect(provider.cancel('demo_x', 'x')).resolves.toBeUndefined();
    await expect(provider.retrieve('demo_x')).resolves.toMatchObject({ status: 'pending' });
    const res = await t.http
      .post('/api/payments/stripe/webhook')
      .set('Stripe-Signature', 't=1,v1=x')
      .send({ id: 'evt_1', type: 'payment_intent.succeeded' })
      .expect(404);
    expect(res.body.code).toBe('STRIPE_NOT_CONFIGURED');
  });
});
