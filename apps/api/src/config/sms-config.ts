import { z } from 'zod';
import { httpUrl } from './http-url';

/**
 * SMS (the household's payout confirmation code). Kept apart from config.ts so that file only spreads the shape
 * and calls `smsConfigProblems`.
 *
 * SMS_PROVIDER: `aliyun` (Aliyun SMS, dysmsapi SendSms), `tencent` (Tencent Cloud SMS, SendSms 2021-01-11) or
 * `log` (the stand-in: writes each message to the log and keeps it in memory for tests and the demo).
 *
 * Decision (issue 15): recording a payout needs an SMS channel the cooperative does not control, and every
 * deployment records payouts, so PRODUCTION REFUSES TO START unless SMS_PROVIDER is `aliyun` or `tencent` with
 * all of its variables set; `log` exists only outside production. The *_ENDPOINT overrides are for the offline
 * stand-ins in tests: in production they must be https.
 */
const optional = z.string().trim().min(1).optional();
const endpoint = httpUrl().optional();

export const smsConfigShape = {
  SMS_PROVIDER: z.enum(['log', 'aliyun', 'tencent']).default('log'),
  /** Where the household's page is: the SMS carries `<SMS_LINK_BASE_URL>/h/<token>`. */
  SMS_LINK_BASE_URL: httpUrl().default('http://localhost:3000'),
  /** Aliyun SMS: an AccessKey allowed dysms:SendSms, an approved signature and a template with ${code}, ${amount}, ${coop}, ${link}. */
  ALIYUN_SMS_ACCESS_KEY_ID: optional,
  ALIYUN_SMS_ACCESS_KEY_SECRET: optional,
  ALIYUN_SMS_SIGN_NAME: optional,
  ALIYUN_SMS_TEMPLATE_CODE: optional,
  ALIYUN_SMS_ENDPOINT: endpoint,
  /** Tencent Cloud SMS: SecretId/SecretKey, the SMS application, signature and a template {1} code {2} amount {3} coop {4} link. */
  TENCENT_SMS_SECRET_ID: optional,
  TENCENT_SMS_SECRET_KEY: optional,
  TENCENT_SMS_SDK_APP_ID: optional,
  TENCENT_SMS_SIGN_NAME: optional,
  TENCENT_SMS_TEMPLATE_ID: optional,
  TENCENT_SMS_REGION: z.string().trim().min(1).default('ap-guangzhou'),
  TENCENT_SMS_ENDPOINT: endpoint,
};

export const SMS_SECRET_KEYS = ['ALIYUN_SMS_ACCESS_KEY_SECRET', 'TENCENT_SMS_SECRET_KEY'] as const;

const REQUIRED = {
  aliyun: [
    'ALIYUN_SMS_ACCESS_KEY_ID',
    'ALIYUN_SMS_ACCESS_KEY_SECRET',
    'ALIYUN_SMS_SIGN_NAME',
    'ALIYUN_SMS_TEMPLATE_CODE',
  ],
  tencent: [
    'TENCENT_SMS_SECRET_ID',
    'TENCENT_SMS_SECRET_KEY',
    'TENCENT_SMS_SDK_APP_ID',
    'TENCENT_SMS_SIGN_NAME',
    'TENCENT_SMS_TEMPLATE_ID',
  ],
} as const;

type SmsConfigInput = { NODE_ENV: string; SMOKE_TEST?: boolean } & Partial<
  Record<keyof typeof smsConfigShape, unknown>
>;

/** The cross-field rules of the SMS block, each naming its variable. */
export function smsConfigProblems(c: SmsConfigInput): string[] {
  const problems: string[] = [];
  const production = c.NODE_ENV === 'production';
  if (production && c.SMS_PROVIDER === 'log') {
    problems.push(
      'SMS_PROVIDER: must be aliyun or tencent in production (payout confirmation codes go to households by SMS; the log stand-in is for development and tests)',
    );
  }
  if (c.SMS_PROVIDER === 'aliyun' || c.SMS_PROVIDER === 'tencent') {
    const missing = REQUIRED[c.SMS_PROVIDER].filter((k) => !c[k]);
    if (missing.length) problems.push(`${missing.join(', ')}: required when SMS_PROVIDER is ${c.SMS_PROVIDER}`);
  }
  // `npm run smoke:prod` (SMOKE_TEST) runs production on one machine against local stand-ins over http.
  const strict = production && !c.SMOKE_TEST;
  for (const k of ['ALIYUN_SMS_ENDPOINT', 'TENCENT_SMS_ENDPOINT'] as const) {
    const v = c[k];
    if (strict && typeof v === 'string' && !v.startsWith('https://')) {
      problems.push(`${k}: must be https in production (http is for the offline test stand-in only)`);
    }
  }
  if (strict && typeof c.SMS_LINK_BASE_URL === 'string' && !c.SMS_LINK_BASE_URL.startsWith('https://')) {
    problems.push("SMS_LINK_BASE_URL: must be the site's https address in production");
  }
  return problems;
}
