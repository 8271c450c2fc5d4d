import { generateKeyPairSync } from 'node:crypto';
import { ConfigError, describeConfig, loadConfig } from './config';

const prod = {
  NODE_ENV: 'production',
  JWT_SECRET: 'prod-secret-prod-secret-prod-secret-0123',
  PERSONAL_DATA_KEY: 'prod-personal-data-key-prod-personal-data',
  // (production also requires the key that signs ledger chain heads: ledger-signing-config.ts)
  LEDGER_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  STRIPE_SECRET_KEY: 'sk_live_x',
  STRIPE_WEBHOOK_SECRET: 'whsec_x',
  STRIPE_PUBLISHABLE_KEY: 'pk_live_x',
  SMS_LINK_BASE_URL: 'https://xiangbo.example',
};
const aliyun = {
  SMS_PROVIDER: 'aliyun',
  ALIYUN_SMS_ACCESS_KEY_ID: 'LTAI-x',
  ALIYUN_SMS_ACCESS_KEY_SECRET: 'secret-x',
  ALIYUN_SMS_SIGN_NAME: '乡播',
  ALIYUN_SMS_TEMPLATE_CODE: 'SMS_1',
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env as NodeJS.ProcessEnv);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
}

describe('SMS configuration (payout confirmation codes)', () => {
  it('outside production the log stand-in is the default', () => {
    expect(loadConfig({} as NodeJS.ProcessEnv).SMS_PROVIDER).toBe('log');
  });

  it('production refuses to start without a real SMS provider, naming SMS_PROVIDER', () => {
    expect(problems(prod)).toEqual([expect.stringMatching(/^SMS_PROVIDER: must be aliyun or tencent in production/)]);
    expect(problems({ ...prod, SMS_PROVIDER: 'log' })).toHaveLength(1);
    expect(problems({ ...prod, ...aliyun })).toEqual([]);
  });

  it('a provider without all of its variables names the missing ones', () => {
    expect(problems({ ...prod, ...aliyun, ALIYUN_SMS_TEMPLATE_CODE: '' })).toEqual([
      'ALIYUN_SMS_TEMPLATE_CODE: required when SMS_PROVIDER is aliyun',
    ]);
    expect(problems({ SMS_PROVIDER: 'tencent', TENCENT_SMS_SECRET_ID: 'x' })).toEqual([
      'TENCENT_SMS_SECRET_KEY, TENCENT_SMS_SDK_APP_ID, TENCENT_SMS_SIGN_NAME, TENCENT_SMS_TEMPLATE_ID: required when SMS_PROVIDER is tencent',
    ]);
    expect(problems({ SMS_PROVIDER: 'twilio' })[0]).toMatch(/^SMS_PROVIDER:/);
  });

  it('production wants https for the endpoint override and the link in the SMS (the smoke test excepted)', () => {
    expect(problems({ ...prod, ...aliyun, ALIYUN_SMS_ENDPOINT: 'http://127.0.0.1:9' })).toEqual([
      'ALIYUN_SMS_ENDPOINT: must be https in production (http is for the offline test stand-in only)',
    ]);
    expect(problems({ ...prod, ...aliyun, SMS_LINK_BASE_URL: 'http://xiangbo.example' })[0]).toMatch(
      /^SMS_LINK_BASE_URL:/,
    );
    expect(problems({ SMS_LINK_BASE_URL: 'ftp://x' })[0]).toMatch(/^SMS_LINK_BASE_URL:/);
  });

  it('the providers’ secrets are never logged', () => {
    const c = loadConfig({ ...aliyun, ALIYUN_SMS_ACCESS_KEY_SECRET: 'very-secret' } as NodeJS.ProcessEnv);
    expect(JSON.stringify(describeConfig(c))).not.toContain('very-secret');
  });
});
