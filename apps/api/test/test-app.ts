import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { AuthResponse } from '@xiangbo/contracts';
import { createApp } from '../src/app.factory';
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

/** The real Nest app on a fresh PostgreSQL database, spoken to over HTTP. */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const databaseUrl = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
    REDIS_URL: process.env.REDIS_URL,
    STOREFRONT_DIR: '/nonexistent',
    ...env,
  } as NodeJS.ProcessEnv);
  const app = await createApp(config, databaseUrl);
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
