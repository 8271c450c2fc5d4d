import { z } from 'zod';
import { httpUrl } from './http-url';

/**
 * Parcel tracking (物流跟踪). Kept apart from config.ts so that file only spreads the shape and calls
 * `logisticsConfigProblems`.
 *
 * LOGISTICS_PROVIDER: `kuaidi100` (Kuaidi100's real-time query API, poll.kuaidi100.com/poll/query.do, with the
 * company's customer id and key), `demo` (a stand-in that moves each parcel through 揽收 → 运输中 → 派送中 → 签收 on
 * a clock, DEMO_PARCEL_STEP_MINUTES per step) or `off` (orders show the carrier and number only). Unset: `demo`
 * outside production, `off` in production. Production refuses `demo`: it would show buyers a journey that never
 * happened.
 */
const optional = z.string().trim().min(1).optional();

export const logisticsConfigShape = {
  LOGISTICS_PROVIDER: z.enum(['demo', 'kuaidi100', 'off']).optional(),
  KUAIDI100_CUSTOMER: optional,
  KUAIDI100_KEY: optional,
  KUAIDI100_ENDPOINT: httpUrl().default('https://poll.kuaidi100.com/poll/query.do'),
  /** Minutes between the demo parcel's steps (揽收 → 运输中 → 派送中 → 签收). */
  DEMO_PARCEL_STEP_MINUTES: z.coerce.number().int().min(1).max(10_080).default(30),
  /** How often (minutes) a parcel on its way is asked about again. */
  PARCEL_POLL_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
};

export const LOGISTICS_SECRET_KEYS = ['KUAIDI100_KEY'] as const;

type LogisticsConfigInput = { NODE_ENV: string; SMOKE_TEST?: boolean } & Partial<
  Record<keyof typeof logisticsConfigShape, unknown>
>;

/** The provider in force: the one named, else demo outside production and off in production. */
export function logisticsProviderName(c: LogisticsConfigInput): 'demo' | 'kuaidi100' | 'off' {
  const named = c.LOGISTICS_PROVIDER as 'demo' | 'kuaidi100' | 'off' | undefined;
  return named ?? (c.NODE_ENV === 'production' ? 'off' : 'demo');
}

/** The cross-field rules of the logistics block, each naming its variable. */
export function logisticsConfigProblems(c: LogisticsConfigInput): string[] {
  const problems: string[] = [];
  const production = c.NODE_ENV === 'production';
  const provider = logisticsProviderName(c);
  if (production && provider === 'demo')
    problems.push('LOGISTICS_PROVIDER: demo is not allowed in production (it shows buyers made-up parcel steps)');
  if (provider === 'kuaidi100') {
    const missing = (['KUAIDI100_CUSTOMER', 'KUAIDI100_KEY'] as const).filter((k) => !c[k]);
    if (missing.length) problems.push(`${missing.join(', ')}: required when LOGISTICS_PROVIDER is kuaidi100`);
    const endpoint = c.KUAIDI100_ENDPOINT;
    if (production && !c.SMOKE_TEST && typeof endpoint === 'string' && !endpoint.startsWith('https://'))
      problems.push('KUAIDI100_ENDPOINT: must be https in production (http is for the offline stand-in only)');
  }
  return problems;
}
