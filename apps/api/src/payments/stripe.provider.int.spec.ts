import { randomUUID } from 'node:crypto';
import { StripeTestServer } from '../../test/stripe-server/stripe-server';
import type { CreateIntentInput } from './payment-provider';
import { PaymentsException } from './payments.exception';
import { StripeProvider } from './stripe.provider';

/** The real `stripe` SDK, pointed at the offline Stripe-compatible server (no network beyond 127.0.0.1). */
describe('StripeProvider against the Stripe-compatible test server', () => {
  let server: StripeTestServer;
  let provider: StripeProvider;

  beforeAll(async () => {
    server = await StripeTestServer.start();
    provider = new StripeProvider(server.env());
  });
  afterAll(() => server.close());

  const input = (over: Partial<CreateIntentInput> = {}): CreateIntentInput => ({
    paymentId: randomUUID(),
    amountFen: 12_800,
    currency: 'CNY',
    buyerId: randomUUID(),
    description: '乡播订单 2 件',
    metadata: { orderIds: 'o1,o2' },
    ...over,
  });
  const intentsOf = (paymentId: string) =>
    [...server.paymentIntents.values()].filter((pi) => (pi.metadata as Record<string, string>).paymentId === paymentId);

  it('creates a CNY PaymentIntent with the account’s automatic payment methods and our ids in metadata', async () => {
    const i = input();
    const created = await provider.createIntent(i);
    expect(created.providerRef).toMatch(/^pi_/);
    expect(created.clientSecret).toMatch(new RegExp(`^${created.providerRef}_secret_`));
    const pi = server.paymentIntents.get(created.providerRef);
    expect(pi).toMatchObject({
      amount: 12_800,
      currency: 'cny',
      automatic_payment_methods: { enabled: true },
      payment_method_options: { wechat_pay: { client: 'web' } },
      description: '乡播订单 2 件',
      metadata: { paymentId: i.paymentId, buyerId: i.buyerId, orderIds: 'o1,o2' },
      status: 'requires_payment_method',
    });
    const post = server.requests.find(
      (r) => r.method === 'POST' && r.path === '/v1/payment_intents' && r.idempotencyKey?.includes(i.paymentId),
    );
    expect(post?.idempotencyKey).toBe(`payment:${i.paymentId}:create`);
  });

  it('creating twice for the same payment (a retry, a double click) leaves exactly one intent', async () => {
    const i = input();
    const [a, b] = await Promise.all([provider.createIntent(i), provider.createIntent(i)]);
    const c = await provider.createIntent(i);
    expect(new Set([a.providerRef, b.providerRef, c.providerRef]).size).toBe(1);
    expect(a.clientSecret).toBe(c.clientSecret);
    expect(intentsOf(i.paymentId)).toHaveLength(1);
  });

  it('refuses a different amount under the same payment id instead of charging twice', async () => {
    const i = input();
    await provider.createIntent(i);
    await expect(provider.createIntent({ ...i, amountFen: 1 })).rejects.toMatchObject({
      code: 'PAYMENT_PROVIDER_UNAVAILABLE',
      status: 502,
    });
    expect(intentsOf(i.paymentId)).toHaveLength(1);
  });

  it('reads a new intent as pending, with no fee or charge yet', async () => {
    const { providerRef } = await provider.createIntent(input());
    await expect(provider.retrieve(providerRef)).resolves.toEqual({
      providerRef,
      status: 'pending',
      amountFen: 12_800,
      currency: 'CNY',
      feeFen: null,
      chargeRef: null,
      refundedFen: 0,
      failureMessage: null,
    });
  });

  it('reads success with the real fee from the balance transaction (expanded through the charge)', async () => {
    const { providerRef } = await provider.createIntent(input({ amountFen: 9_900 }));
    const { charge } = server.succeed(providerRef, { fee: 436, method: 'alipay' });
    const state = await provider.retrieve(providerRef);
    expect(state).toMatchObject({
      status: 'succeeded',
      amountFen: 9_900,
      feeFen: 436,
      chargeRef: charge.id,
      refundedFen: 0,
    });
    const get = server.requests
      .filter((r) => r.method === 'GET' && r.path === `/v1/payment_intents/${providerRef}`)
      .at(-1);
    expect(get?.params.expand).toEqual(['latest_charge.balance_transaction']);
  });

  it('leaves the fee unknown when Stripe settled it in another currency (never mixes HKD into fen)', async () => {
    const { providerRef } = await provider.createIntent(input());
    server.succeed(providerRef, { fee: 120, settlementCurrency: 'hkd' });
    await expect(provider.retrieve(providerRef)).resolves.toMatchObject({ status: 'succeeded', feeFen: null });
  });

  it('reads a declined attempt as failed with the message, and a successful retry as succeeded', async () => {
    const { providerRef } = await provider.createIntent(input());
    server.fail(providerRef, '您的银行卡被拒绝');
    await expect(provider.retrieve(providerRef)).resolves.toMatchObject({
      status: 'failed',
      failureMessage: '您的银行卡被拒绝',
      feeFen: null,
    });
    server.succeed(providerRef, { fee: 77, method: 'wechat_pay' });
    await expect(provider.retrieve(providerRef)).resolves.toMatchObject({
      status: 'succeeded',
      feeFen: 77,
      failureMessage: null,
    });
  });

  it('cancels with an idempotency key; cancelling again is harmless; cancelling a paid intent says so', async () => {
    const i = input();
    const { providerRef } = await provider.createIntent(i);
    await provider.cancel(providerRef, i.paymentId);
    await provider.cancel(providerRef, i.paymentId);
    await expect(provider.retrieve(providerRef)).resolves.toMatchObject({ status: 'canceled' });
    const cancels = server.requests.filter((r) => r.path === `/v1/payment_intents/${providerRef}/cancel`);
    expect(cancels.map((r) => r.idempotencyKey)).toEqual([
      `payment:${i.paymentId}:cancel`,
      `payment:${i.paymentId}:cancel`,
    ]);

    const j = input();
    const paid = await provider.createIntent(j);
    server.succeed(paid.providerRef, { fee: 10 });
    await expect(provider.cancel(paid.providerRef, j.paymentId)).rejects.toMatchObject({
      code: 'PAYMENT_ALREADY_SUCCEEDED',
      status: 409,
    });
    await expect(provider.retrieve(paid.providerRef)).resolves.toMatchObject({ status: 'succeeded' });
  });

  it('refunds once per refund id, even when asked twice', async () => {
    const { providerRef } = await provider.createIntent(input({ amountFen: 5_000 }));
    server.succeed(providerRef, { fee: 30 });
    const refundId = randomUUID();
    const first = await provider.refund({
      paymentProviderRef: providerRef,
      refundId,
      amountFen: 2_000,
      reason: '少发了一件',
    });
    const again = await provider.refund({
      paymentProviderRef: providerRef,
      refundId,
      amountFen: 2_000,
      reason: '少发了一件',
    });
    expect(first).toEqual({ refundRef: expect.stringMatching(/^re_/), status: 'succeeded' });
    expect(again).toEqual(first);
    const refunds = [...server.refunds.values()].filter((r) => r.payment_intent === providerRef);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ amount: 2_000, currency: 'cny', metadata: { refundId, reason: '少发了一件' } });
    await expect(provider.retrieve(providerRef)).resolves.toMatchObject({
      status: 'succeeded',
      refundedFen: 2_000,
      feeFen: 30,
    });
  });

  it('answers null for an intent Stripe does not know, and a readable 502 when Stripe refuses', async () => {
    await expect(provider.retrieveStateOrNull('pi_unknown')).resolves.toBeNull();
    await expect(provider.retrieve('pi_unknown')).rejects.toBeInstanceOf(PaymentsException);
    const wrongKey = new StripeProvider({ ...server.env(), STRIPE_SECRET_KEY: 'sk_test_wrong' });
    await expect(wrongKey.createIntent(input())).rejects.toMatchObject({
      code: 'PAYMENT_PROVIDER_UNAVAILABLE',
      status: 502,
    });
  });

  it('puts an idempotency key derived from our ids on every POST it sends', () => {
    const posts = server.requests.filter((r) => r.method === 'POST');
    expect(posts.length).toBeGreaterThan(10);
    for (const p of posts)
      expect(p.idempotencyKey).toMatch(/^(payment:[0-9a-f-]{36}:(create|cancel)|refund:[0-9a-f-]{36})$/);
  });
});
