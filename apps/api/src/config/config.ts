import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { LOGISTICS_SECRET_KEYS, logisticsConfigProblems, logisticsConfigShape } from './logistics-config';
import { SMS_SECRET_KEYS, smsConfigProblems, smsConfigShape } from './sms-config';
import {
  LEDGER_SIGNING_SECRET_KEYS,
  ledgerSigningConfigProblems,
  ledgerSigningConfigShape,
} from './ledger-signing-config';

/**
 * Every environment variable the API reads, validated once at boot into one typed object.
 * A missing or malformed value stops the process with a message naming the variable.
 * Variables marked secret are never logged.
 */
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const url = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    `must be a ${protocols.join(' or ')} URL`,
  );

/** Origins of the development servers (Vite on 4200, the API on 3000), allowed by default outside production. */
export const DEV_CORS_ORIGINS = ['http://localhost:4200', 'http://localhost:3000'];

/** Production allows only the origins it is given; the localhost defaults are for development. */
export function corsOrigins(configured: string[], nodeEnv: string): string[] {
  return configured.length || nodeEnv === 'production' ? configured : DEV_CORS_ORIGINS;
}

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(1, 65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** When unset, an embedded PostgreSQL is started with its data in EMBEDDED_PG_DIR. */
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  EMBEDDED_PG_DIR: z.string().min(1).default('.data/postgres'),
  EMBEDDED_PG_PORT: int(1024, 65535).default(54329),
  REDIS_URL: url(['redis:', 'rediss:']).optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ACCESS_TOKEN_TTL_SECONDS: int(30, 86400).default(900),
  REFRESH_TOKEN_TTL_DAYS: int(1, 365).default(30),
  COOKIE_SECURE: bool.optional(),
  /**
   * Comma-separated origins allowed by CORS and the socket.io Origin check (besides the API's own host, which
   * serves the storefront). Unset: the development servers' origins outside production, none in production.
   */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(url(['http:', 'https:']))),
  /** Swagger UI (/api/docs) and the OpenAPI document: on outside production, off in production unless true. */
  API_DOCS: bool.optional(),
  /** Folder of the built storefront served at "/" (production and the start command). */
  STOREFRONT_DIR: z.string().default('dist/apps/storefront'),
  /**
   * The platform's fee in basis points (300 = 3 %) for a cooperative's first sharing policy; afterwards the
   * platform admin sets it per cooperative (POST /api/admin/cooperatives/:id/platform-fee). Never the cooperative.
   */
  PLATFORM_FEE_BP: int(0, 2000).default(300),
  SIGNIN_MAX_PER_ACCOUNT: int(1, 10000).default(10),
  SIGNIN_MAX_PER_IP: int(1, 100000).default(100),
  SIGNIN_WINDOW_SECONDS: int(10, 86400).default(900),
  /** First platform admin, created or promoted at boot when both are set. */
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  SEED_DEMO: bool.default(false),
  /** How long an unpaid order holds its stock. */
  RESERVATION_SECONDS: int(1, 86400).default(900),
  /** Shipped orders complete by themselves after this many days unless the buyer confirms earlier. */
  AUTO_COMPLETE_DAYS: int(1, 90).default(10),
  /** Paid payouts (兑付) a household has not confirmed after this many days are flagged. */
  PAYOUT_CONFIRM_DAYS: int(1, 365).default(7),
  /** Background jobs (pg-boss): reservation expiry, auto-completion. Off only in tests that drive them by hand. */
  JOBS_ENABLED: bool.default(true),
  /** Key of the HMAC that turns ID numbers into matchable hashes; required in production, never logged. */
  PERSONAL_DATA_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Folder for uploaded files (LocalStorage); an S3-compatible store can replace it behind StorageService. */
  UPLOADS_DIR: z.string().min(1).default('.data/uploads'),
  TRUST_PROXY: bool.default(false),
  /**
   * Stripe (card, Alipay, WeChat Pay in CNY). Required in production; outside production, without a secret key,
   * the demo provider (演示支付) is used so the start command works offline. Production never offers it.
   */
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  STRIPE_PUBLISHABLE_KEY: z.string().min(1).optional(),
  /**
   * How long (ms) public catalogue answers are served from memory; this process's own writes drop what they
   * touch at once, so this bounds staleness after changes made elsewhere (another process). 0 = no cache.
   */
  CATALOG_CACHE_TTL_MS: int(0, 60_000).default(2000),
  /**
   * Live rooms. Committed changes are collected every LIVE_TICK_MS; a viewer gets at most one patch per
   * LIVE_PATCH_INTERVAL_MS (what changes within it is folded into one); a show's patch viewers are spread over
   * LIVE_SLICES rooms sent one after the other (see libs/domain/src/live/rolling.ts).
   */
  LIVE_TICK_MS: int(1, 1000).default(10),
  LIVE_PATCH_INTERVAL_MS: int(0, 10_000).default(40),
  LIVE_SLICES: int(1, 4096).default(256),
  /** Only for the offline Stripe-compatible test server: the SDK is pointed at this host/port/protocol. */
  STRIPE_API_BASE: url(['http:', 'https:']).optional(),
  /**
   * Only for `npm run smoke:prod`, which runs the production topology on one machine against the offline
   * Stripe server: allows STRIPE_API_BASE in production (and says so in the log). Never set it in a deployment.
   */
  SMOKE_TEST: bool.default(false),
  /**
   * Live video. `embedded`: this process runs the RTMP server (node-media-server) with ffmpeg relays for
   * HTTP-FLV, HLS and the recording; `external`: a media server of its own (docker compose: MediaMTX) calls
   * POST /api/media/hooks/publish and serves playback from the URL templates; `off`: no video.
   * Only one process of a deployment may be `embedded`.
   */
  MEDIA_SERVER: z.enum(['embedded', 'external', 'off']).default('embedded'),
  RTMP_PORT: int(1, 65535).default(1935),
  MEDIA_BIND: z.string().min(1).default('0.0.0.0'),
  /** Relayed HLS and the recordings. */
  MEDIA_DIR: z.string().min(1).default('.data/media'),
  FFMPEG_PATH: z.string().min(1).default('ffmpeg'),
  /** The RTMP server URL shown to hosts (OBS "Server"); default rtmp://<the console's host name>:RTMP_PORT/live. */
  RTMP_PUBLIC_URL: url(['rtmp:', 'rtmps:']).optional(),
  /**
   * Where this API pushes a host's browser camera (the media server's RTMP app for hosts, without the key):
   * default rtmp://127.0.0.1:RTMP_PORT/live (embedded); external: e.g. rtmp://mediamtx:1935/live.
   */
  MEDIA_INGEST_RTMP_URL: url(['rtmp:', 'rtmps:']).optional(),
  /** External media server: playback URL templates with {playbackId}; no FLV template = HLS only. */
  MEDIA_FLV_URL_TEMPLATE: z.string().includes('{playbackId}').optional(),
  MEDIA_HLS_URL_TEMPLATE: z.string().includes('{playbackId}').optional(),
  /** External media server's control API (MediaMTX: http://mediamtx:9997), used to cut off a publish that must stop. */
  MEDIA_API_URL: url(['http:', 'https:']).optional(),
  /** Shared secret an external media server sends (header x-media-hook-secret) with its publish callbacks. */
  MEDIA_HOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  // ---- SMS: the household's payout confirmation code (rules and documentation in sms-config.ts) ----
  ...smsConfigShape,
  // ---- the platform key that signs published ledger chain heads (ledger-signing-config.ts) ----
  ...ledgerSigningConfigShape,
  // ---- parcel tracking (logistics-config.ts) ----
  ...logisticsConfigShape,
});

export const SECRET_KEYS = [
  'MEDIA_HOOK_SECRET',
  'DATABASE_URL',
  'REDIS_URL',
  'JWT_SECRET',
  'ADMIN_PASSWORD',
  'PERSONAL_DATA_KEY',
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
  ...SMS_SECRET_KEYS,
  ...LEDGER_SIGNING_SECRET_KEYS,
  ...LOGISTICS_SECRET_KEYS,
] as const;

export type AppConfig = Omit<z.infer<typeof schema>, 'JWT_SECRET' | 'COOKIE_SECURE' | 'PERSONAL_DATA_KEY'> & {
  JWT_SECRET: string;
  PERSONAL_DATA_KEY: string;
  COOKIE_SECURE: boolean;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const input = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const c = parsed.data;
  const problems: string[] = [];
  if (c.NODE_ENV === 'production' && !c.JWT_SECRET) problems.push('JWT_SECRET: is required in production');
  if (c.NODE_ENV === 'production' && !c.PERSONAL_DATA_KEY)
    problems.push('PERSONAL_DATA_KEY: is required in production');
  if (Boolean(c.ADMIN_EMAIL) !== Boolean(c.ADMIN_PASSWORD))
    problems.push('ADMIN_EMAIL/ADMIN_PASSWORD: set both or neither');
  if (c.NODE_ENV !== 'production' && c.STRIPE_SECRET_KEY && !c.STRIPE_WEBHOOK_SECRET)
    problems.push('STRIPE_WEBHOOK_SECRET: is required when STRIPE_SECRET_KEY is set');
  if (c.NODE_ENV === 'production') {
    // Without Stripe the only provider left is 演示支付, with which any buyer marks their own order paid.
    for (const key of ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'STRIPE_PUBLISHABLE_KEY'] as const) {
      if (!c[key]) problems.push(`${key}: is required in production (the demo payment provider is off there)`);
    }
    if (c.STRIPE_API_BASE && !c.SMOKE_TEST)
      problems.push('STRIPE_API_BASE: is for the offline test server only, never in production');
  }
  if (c.MEDIA_SERVER === 'external' && (!c.MEDIA_HOOK_SECRET || !c.MEDIA_HLS_URL_TEMPLATE))
    problems.push('MEDIA_HOOK_SECRET/MEDIA_HLS_URL_TEMPLATE: are required when MEDIA_SERVER is external');
  problems.push(...smsConfigProblems(c));
  problems.push(...ledgerSigningConfigProblems(c));
  problems.push(...logisticsConfigProblems(c));
  if (problems.length) throw new ConfigError(problems);
  return {
    ...c,
    // Outside production a per-process random secret keeps the start command zero-config;
    // tokens then do not survive a restart, which is fine for a demo and tests.
    JWT_SECRET: c.JWT_SECRET ?? randomBytes(48).toString('base64url'),
    COOKIE_SECURE: c.COOKIE_SECURE ?? c.NODE_ENV === 'production',
    CORS_ORIGINS: corsOrigins(c.CORS_ORIGINS, c.NODE_ENV),
    // Outside production a fixed development key keeps hashes stable across restarts of the demo database.
    PERSONAL_DATA_KEY: c.PERSONAL_DATA_KEY ?? 'xiangbo-development-only-personal-data-key',
  };
}

/** The config with secrets masked, for the start-up log line. */
export function describeConfig(c: AppConfig): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(c).map(([k, v]) => [k, (SECRET_KEYS as readonly string[]).includes(k) && v ? '***' : v]),
  );
}

export const APP_CONFIG = Symbol('APP_CONFIG');
