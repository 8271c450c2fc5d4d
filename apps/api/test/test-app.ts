import { DynamicModule, INestApplication, InjectionToken, Module } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { AuthResponse } from '@xiangbo/contracts';
import { AppInstantiator, createApp } from '../src/app.factory';
import { loadConfig } from '../src/config/config';
import { UsersService } from '../src/users/users.service';
import { Cooperative } from '../src/cooperatives/entities/cooperative.entity';
import { createTestDatabase } from './test-database';

export interface TestApp {
  app: INestApplication;
  http: ReturnType<typeof request>;
  db: DataSource;
  databaseUrl: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Test doubles: each replaces the app's provider of that token, and supplies it when the app has none. */
  overrides?: { provide: InjectionToken; useValue: unknown }[];
}

/** The real Nest app on a fresh PostgreSQL database, spoken to over HTTP. */
export async function createTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const databaseUrl = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
    REDIS_URL: process.env.REDIS_URL,
    STOREFRONT_DIR: '/nonexistent',
    JOBS_ENABLED: 'false', // tests drive jobs by hand; orders.int.spec turns them on to see pg-boss run them
    MEDIA_SERVER: 'off', // media.int.spec runs the embedded media server on a port of its own
    ...env,
  } as NodeJS.ProcessEnv);
  const app = await createApp(
    config,
    databaseUrl,
    options.overrides?.length ? withOverrides(options.overrides) : undefined,
  );
  await app.init();
  return {
    app,
    http: request(app.getHttpServer()),
    db: app.get(DataSource),
    databaseUrl,
    close: () => app.close(),
  };
}

let counter = 0;
export function uniqueEmail(tag = 'user') {
  return `${tag}.${Date.now().toString(36)}.${++counter}@test.xiangbo`;
}

/** Registers a buyer and returns its session (access token + refresh cookie). */
export async function registerUser(t: TestApp, displayName = '测试用户') {
  const email = uniqueEmail();
  const res = await t.http
    .post('/api/auth/register')
    .send({ email, password: 'correct horse battery', displayName })
    .expect(201);
  const body = res.body as AuthResponse;
  return {
    email,
    password: 'correct horse battery',
    token: body.accessToken,
    user: body.user,
    cookie: res.headers['set-cookie'] as unknown as string[],
  };
}

/** Registers a user and gives it extra roles directly in the database (how an admin or approval would). */
export async function userWithRoles(
  t: TestApp,
  roles: { role: 'platform_admin' | 'host' | 'coop_admin' | 'auditor'; cooperativeId?: string }[],
) {
  const u = await registerUser(t);
  const users = t.app.get(UsersService);
  await t.db.transaction(async (m) => {
    for (const r of roles) await users.grant(m, u.user.id, r.role, r.cooperativeId ?? null, null);
  });
  return u;
}

let usccCounter = 0;
/** An approved cooperative inserted directly (the HTTP application flow has its own tests). */
export async function insertCooperative(t: TestApp, fields: Partial<Cooperative> = {}): Promise<Cooperative> {
  const applicant = fields.applicantId ?? (await registerUser(t)).user.id;
  const repo = t.db.getRepository(Cooperative);
  return repo.save(
    repo.create({
      name: `测试合作社${++usccCounter}`,
      uscc: `TEST${Date.now().toString(36).toUpperCase()}${usccCounter}`.padEnd(18, '0').slice(0, 18),
      province: '陕西省',
      city: '商洛市',
      county: '柞水县',
      township: '小岭镇',
      village: '金米村',
      story: '',
      contactName: '联系人',
      contactPhone: '13800000000',
      status: 'approved',
      applicantId: applicant,
      ...fields,
    }),
  );
}

/** Many buyers at once for concurrency tests: rows inserted directly, access tokens signed by the app's key. */
export async function fastBuyers(t: TestApp, n: number): Promise<{ id: string; token: string }[]> {
  const tag = Math.random().toString(36).slice(2, 8);
  const rows: { id: string }[] = await t.db.query(
    `INSERT INTO users (email, password_hash, display_name)
     SELECT 'fast.' || $1 || '.' || g || '@test.xiangbo', 'x', '买家' || g FROM generate_series(1, $2) g RETURNING id`,
    [tag, n],
  );
  await t.db.query(`INSERT INTO role_assignments (user_id, role) SELECT unnest($1::uuid[]), 'buyer'`, [
    rows.map((r) => r.id),
  ]);
  const jwt = t.app.get(JwtService);
  return Promise.all(rows.map(async (r) => ({ id: r.id, token: await jwt.signAsync({ sub: r.id, typ: 'access' }) })));
}

/** A published product with stock, for order tests. */
export async function insertProduct(
  t: TestApp,
  cooperativeId: string,
  fields: Record<string, unknown> = {},
): Promise<{ id: string }> {
  const f = { name_zh: '柞水木耳', price_fen: 5900, stock: 50, per_buyer_limit: null, ...fields };
  const [row] = await t.db.query(
    `INSERT INTO products (cooperative_id, name_zh, category, unit, price_fen, stock, origin_province, origin_county, origin_village, published, per_buyer_limit)
     VALUES ($1, $2, 'fungi', 'box', $3, $4, '陕西省', '柞水县', '金米村', true, $5) RETURNING id`,
    [cooperativeId, f.name_zh, f.price_fen, f.stock, f.per_buyer_limit],
  );
  return row;
}

export const TEST_ADDRESS = {
  recipient: '陈静',
  mobile: '13800138000',
  province: '浙江省',
  city: '杭州市',
  district: '西湖区',
  detail: '文三路 100 号',
};

@Module({})
class TestDoublesModule {}

/** Instantiates the app through a Nest testing module, with `overrides` replacing (or supplying) providers. */
function withOverrides(overrides: NonNullable<TestAppOptions['overrides']>): AppInstantiator {
  return async (root, options) => {
    const doubles: DynamicModule = {
      module: TestDoublesModule,
      global: true,
      providers: overrides,
      exports: overrides.map((o) => o.provide),
    };
    let builder = Test.createTestingModule({ imports: [root, doubles] });
    for (const o of overrides) builder = builder.overrideProvider(o.provide).useValue(o.useValue);
    const moduleRef = await builder.compile();
    return moduleRef.createNestApplication<NestExpressApplication>(options);
  };
}
