import { generateKeyPairSync } from 'node:crypto';
import { describeConfig, loadConfig } from '../config/config';
import { demoFeeFen } from './demo.provider';
import { paymentProviderFor } from './payments.module';
import { isStale, mapStatus, stripeClientOptions } from './stripe.provider';

describe('Stripe status mapping', () => {
  it.each([
    ['succeeded', null, 'succeeded'],
    ['canceled', null, 'canceled'],
    ['requires_payment_method', null, 'pending'],
    ['requires_payment_method', { type: 'card_error', message: 'declined' }, 'failed'],
    ['requires_action', null, 'pending'],
    ['processing', null, 'pending'],
    ['requires_confirmation', null, 'pending'],
  ] as const)('%s (last error %p) → %s', (status, lastError, expected) => {
    expect(mapStatus({ status, last_payment_error: lastError } as never)).toBe(expected);
  });
});

describe('webhook timestamp tolerance', () => {
  const now = 1_800_000_000;
  it('calls an event older than 300 s stale, and a fresh one not', () => {
    expect(isStale(`t=${now - 301},v1=abc`, now)).toBe(true);
    expect(isStale(`t=${now - 299},v1=abc`, now)).toBe(false);
    expect(isStale('v1=abc', now)).toBe(false);
  });
});

describe('SDK options', () => {
  it('points the SDK at STRIPE_API_BASE by host, port and protocol, and at Stripe otherwise', () => {
    expect(stripeClientOptions('http://127.0.0.1:12111')).toMatchObject({
      protocol: 'http',
      host: '127.0.0.1',
      port: '12111',
    });
    const real = stripeClientOptions(undefined);
    expect(real.host).toBeUndefined();
    expect(real.maxNetworkRetries).toBeGreaterThan(0);
  });
});

describe('demo fee', () => {
  it('is 0.6 % rounded down, in whole fen', () => {
    expect(demoFeeFen(10_000)).toBe(60);
    expect(demoFeeFen(5_900)).toBe(35); // 35.4
    expect(demoFeeFen(166)).toBe(0); // 0.996
    expect(demoFeeFen(167)).toBe(1); // 1.002
  });
});

const PRODUCTION = {
  NODE_ENV: 'production',
  JWT_SECRET: 'x'.repeat(40),
  PERSONAL_DATA_KEY: 'y'.repeat(40),
  // (production also requires the key that signs ledger chain heads: ledger-signing-config.ts)
  LEDGER_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  // …and a real SMS provider for the households' payout codes (sms-config.ts)
  SMS_PROVIDER: 'aliyun',
  ALIYUN_SMS_ACCESS_KEY_ID: 'id',
  ALIYUN_SMS_ACCESS_KEY_SECRET: 'secret',
  ALIYUN_SMS_SIGN_NAME: '乡播',
  ALIYUN_SMS_TEMPLATE_CODE: 'SMS_1',
  SMS_LINK_BASE_URL: 'https://xiangbo.example',
} as const;

describe('production never offers the demo provider', () => {
  it('refuses to start without Stripe, naming each missing variable', () => {
    let message = '';
    try {
      loadConfig({ ...PRODUCTION });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/STRIPE_SECRET_KEY: is required in production/);
    expect(message).toMatch(/STRIPE_WEBHOOK_SECRET: is required in production/);
    expect(message).toMatch(/STRIPE_PUBLISHABLE_KEY: is required in production/);
    // Only the publishable key missing: still refused.
    expect(() =>
      loadConfig({ ...PRODUCTION, STRIPE_SECRET_KEY: 'sk_live_x', STRIPE_WEBHOOK_SECRET: 'whsec_x' }),
    ).toThrow(/STRIPE_PUBLISHABLE_KEY/);
  });

  it('builds no demo provider from a production config, however that config was made', () => {
    const dev = loadConfig({});
    expect(paymentProviderFor(dev).name).toBe('demo');
    expect(() => paymentProviderFor({ ...dev, NODE_ENV: 'production' })).toThrow(/STRIPE_SECRET_KEY/);
    const prod = loadConfig({
      ...PRODUCTION,
      STRIPE_SECRET_KEY: 'sk_live_x',
      STRIPE_WEBHOOK_SECRET: 'whsec_x',
      STRIPE_PUBLISHABLE_KEY: 'pk_live_x',
    });
    expect(paymentProviderFor(prod).name).toBe('stripe');
  });

  it('lets only the production smoke test point Stripe at the offline server', () => {
    const smoke = loadConfig({
      ...PRODUCTION,
      STRIPE_SECRET_KEY: 'sk_test_x',
      STRIPE_WEBHOOK_SECRET: 'whsec_x',
      STRIPE_PUBLISHABLE_KEY: 'pk_test_x',
      STRIPE_API_BASE: 'http://127.0.0.1:12111',
      SMOKE_TEST: 'true',
    });
    expect(smoke.STRIPE_API_BASE).toBe('http://127.0.0.1:12111');
  });
});

describe('Stripe configuration', () => {
  it('needs the webhook secret with the secret key, refuses a test API base in production, masks secrets', () => {
    expect(() => loadConfig({ STRIPE_SECRET_KEY: 'sk_test_x' })).toThrow(/STRIPE_WEBHOOK_SECRET/);
    expect(() => loadConfig({ STRIPE_API_BASE: 'localhost:12111' })).toThrow(/STRIPE_API_BASE/);
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        JWT_SECRET: 'x'.repeat(40),
        PERSONAL_DATA_KEY: 'y'.repeat(40),
        STRIPE_SECRET_KEY: 'sk_live_x',
        STRIPE_WEBHOOK_SECRET: 'whsec_x',
        STRIPE_PUBLISHABLE_KEY: 'pk_live_x',
        STRIPE_API_BASE: 'http://127.0.0.1:12111',
      }),
    ).toThrow(/STRIPE_API_BASE/);
    const c = loadConfig({
      STRIPE_SECRET_KEY: 'sk_test_x',
      STRIPE_WEBHOOK_SECRET: 'whsec_x',
      STRIPE_PUBLISHABLE_KEY: 'pk_test_x',
    });
    expect(c.STRIPE_PUBLISHABLE_KEY).toBe('pk_test_x');
    expect(describeConfig(c)).toMatchObject({
      STRIPE_SECRET_KEY: '***',
      STRIPE_WEBHOOK_SECRET: '***',
      STRIPE_PUBLISHABLE_KEY: 'pk_test_x',
    });
  });
});
