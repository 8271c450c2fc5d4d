/**
 * Shared by the live benchmarks: a fresh migrated database with a live show, the BUILT API started in child
 * processes (as in production), the bare socket.io server, load-generator processes, access tokens.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import jwt from 'jsonwebtoken';
import { Client } from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../apps/api/src/database/embedded-postgres';
import { runMigrations } from '../apps/api/src/database/migrate';

export const MAIN = resolve('dist/apps/api/main.js');
/** The API from its TypeScript sources (see apps/api/test/api-process.cjs). */
export const API_FROM_SOURCE = resolve('apps/api/test/api-process.cjs');
export const JWT_SECRET = randomBytes(32).toString('hex');
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A port nothing listens on now (the system's choice). Fixed ports collided with a server someone else had left on
 * one: the bench's health check was answered by that server and the bench spoke to the wrong API.
 */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}

export interface BenchDb {
  url: string;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/** A new database on DATABASE_URL's server (or an embedded PostgreSQL), migrated. */
export async function benchDatabase(tag: string): Promise<BenchDb> {
  let embedded: EmbeddedDatabase | undefined;
  let serverUrl = process.env.DATABASE_URL;
  const work = mkdtempSync(join(tmpdir(), 'xb-live-bench-'));
  chmodSync(work, 0o755);
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres({
      dir: join(work, 'pg'),
      port: 55_000 + Math.floor(Math.random() * 5000),
      database: 'postgres',
    });
    serverUrl = embedded.url;
  }
  const name = `xb_bench_${tag}_${Date.now().toString(36)}`;
  const admin = async (sql: string) => {
    const c = new Client({ connectionString: serverUrl });
    await c.connect();
    await c.query(sql).finally(() => c.end());
  };
  await admin(`CREATE DATABASE ${name}`);
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  await runMigrations(url);
  const client = new Client({ connectionString: url });
  await client.connect();
  return {
    url,
    query: async (sql, params) => (await client.query(sql, params as unknown[])).rows,
    drop: async () => {
      await client.end();
      if (!process.env.BENCH_KEEP) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      else console.log(`kept database ${url}`);
      await embedded?.stop().catch(() => undefined);
      rmSync(work, { recursive: true, force: true });
    },
  };
}

export interface LiveFixture {
  showId: string;
  coopId: string;
  hostId: string;
  productIds: string[];
  buyerId: string;
}

/** A live show of one cooperative with `products` products (stock plenty), its host and one buyer with an address. */
export async function seedLiveShow(db: BenchDb, products: number): Promise<LiveFixture> {
  const [host] = await db.query<{ id: string }>(
    `INSERT INTO users (email, password_hash, display_name) VALUES ('bench.host@bench.xiangbo', 'x', '主播 小杨') RETURNING id`,
  );
  const [coop] = await db.query<{ id: string }>(
    `INSERT INTO cooperatives (name, uscc, province, city, county, township, village, contact_name, contact_phone, status, applicant_id)
     VALUES ('柞水县金米村木耳专业合作社', '93611033MA7XB00019', '陕西省', '商洛市', '柞水县', '小岭镇', '金米村', '李', '13900000000', 'approved', $1) RETURNING id`,
    [host.id],
  );
  await db.query(
    `INSERT INTO role_assignments (user_id, role, cooperative_id) VALUES ($1, 'buyer', NULL), ($1, 'host', $2)`,
    [host.id, coop.id],
  );
  const rows = await db.query<{ id: string }>(
    `INSERT INTO products (cooperative_id, name_zh, category, unit, price_fen, stock, origin_province, origin_county, origin_village, published)
     SELECT $1, '柞水黑木耳 ' || lpad(g::text, 4, '0'), 'fungi', 'box', 5900, 100000000, '陕西省', '柞水县', '金米村', true
       FROM generate_series(1, $2) g RETURNING id`,
    [coop.id, products],
  );
  const [show] = await db.query<{ id: string }>(
    `INSERT INTO shows (cooperative_id, host_id, title, scheduled_at, status, started_at) VALUES ($1, $2, '秦岭木耳丰收季', now(), 'live', now()) RETURNING id`,
    [coop.id, host.id],
  );
  await db.query(
    `INSERT INTO show_products (show_id, product_id, position) SELECT $1, id, (ord - 1)::smallint FROM unnest($2::uuid[]) WITH ORDINALITY t(id, ord)`,
    [show.id, rows.map((r) => r.id)],
  );
  const [buyer] = await createBuyers(db, 1, 'stock');
  return { showId: show.id, coopId: coop.id, hostId: host.id, productIds: rows.map((r) => r.id), buyerId: buyer };
}

/** `n` buyers with a default address, inserted directly. */
export async function createBuyers(db: BenchDb, n: number, tag: string): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `INSERT INTO users (email, password_hash, display_name)
     SELECT 'bench.' || $1 || '.' || g || '@bench.xiangbo', 'x', '买家' || g FROM generate_series(1, $2) g RETURNING id`,
    [tag, n],
  );
  const ids = rows.map((r) => r.id);
  await db.query(`INSERT INTO role_assignments (user_id, role) SELECT unnest($1::uuid[]), 'buyer'`, [ids]);
  await db.query(
    `INSERT INTO addresses (user_id, recipient, mobile, province, city, district, detail, is_default)
     SELECT id, '陈静', '13800138000', (ARRAY['陕西省','浙江省','广东省','四川省'])[1 + (ord % 4)], '某市', '某区', '某路 1 号', true
       FROM unnest($1::uuid[]) WITH ORDINALITY t(id, ord)`,
    [ids],
  );
  return ids;
}

export const accessToken = (userId: string) =>
  jwt.sign({ sub: userId, typ: 'access' }, JWT_SECRET, { algorithm: 'HS256', expiresIn: 4 * 3600 });

/** The built API in its own process. */
export async function startApi(
  databaseUrl: string,
  port: number,
  extra: Record<string, string> = {},
): Promise<ChildProcess> {
  // The built bundle is `production` whatever NODE_ENV says (webpack), and production now needs Stripe and an SMS
  // provider: by default the API runs from its sources (SWC, the same code) as `development` with demo payments.
  // BENCH_API=built runs dist/apps/api/main.js (give it the production settings in the environment).
  const fromSource = process.env.BENCH_API !== 'built';
  if (!fromSource && !existsSync(MAIN)) throw new Error(`${MAIN} is missing: build the API first (npx nx build api)`);
  // BENCH_API_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to look inside the API under load.
  const child = spawn(
    process.execPath,
    [...(process.env.BENCH_API_NODE_ARGS?.split(' ').filter(Boolean) ?? []), fromSource ? API_FROM_SOURCE : MAIN],
    {
      env: {
        ...process.env,
        // From sources: not 'production' (that requires Stripe and an SMS provider); the benches run with demo
        // payments and the log SMS stand-in (NODE_ENV otherwise only switches the API docs off).
        NODE_ENV: fromSource ? 'development' : 'production',
        API_DOCS: 'false',
        JOBS_ENABLED: 'true',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: databaseUrl,
        STOREFRONT_DIR: '/nonexistent',
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
        JWT_SECRET,
        PERSONAL_DATA_KEY: randomBytes(32).toString('hex'),
        SEED_DEMO: 'false',
        RESERVATION_SECONDS: '3600',
        REDIS_URL: '',
        MEDIA_SERVER: 'off', // no RTMP server: several API processes, and nothing here streams
        ...extra,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the API exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return child;
    } catch {
      // not yet
    }
    await sleep(250);
  }
  throw new Error('the API did not become healthy in 60 s');
}

const TS = ['-r', 'ts-node/register/transpile-only'];
const tsEnv = () => ({ ...process.env, TS_NODE_PROJECT: 'bench/tsconfig.json' });

export async function startBare(port: number): Promise<ChildProcess> {
  const child = fork(resolve('bench/live-bare-server.ts'), [], {
    execArgv: TS,
    env: { ...tsEnv(), PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await new Promise<void>((ok, fail) => {
    child.once('message', () => ok());
    child.once('exit', (c) => fail(new Error(`bare server exited ${c}`)));
  });
  return child;
}

export async function stop(child: ChildProcess | undefined) {
  if (!child || child.exitCode !== null) return;
  child.kill('SIGTERM');
  await Promise.race([new Promise((r) => child.once('exit', r)), sleep(10_000).then(() => child.kill('SIGKILL'))]);
}

/** A load-generator process; `ask` sends one command and resolves with its reply. */
export interface LoadWorker {
  ask<T = Record<string, unknown>>(msg: Record<string, unknown>): Promise<T>;
  child: ChildProcess;
}

export async function startWorkers(n: number): Promise<LoadWorker[]> {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const child = fork(resolve('bench/live-load-worker.ts'), [], {
        execArgv: [...TS, '--max-old-space-size=3072'],
        env: tsEnv(),
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      await new Promise((ok) => child.once('message', ok));
      const ask = <T>(msg: Record<string, unknown>) =>
        new Promise<T>((ok) => {
          child.once('message', (m) => ok(m as T));
          child.send(msg);
        });
      return { child, ask };
    }),
  );
}

/** CPU time (user + system, seconds) a process has used so far, from /proc. */
export function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

export function percentile(hist: number[], p: number): number {
  const total = hist.reduce((a, b) => a + b, 0);
  if (!total) return NaN;
  let acc = 0;
  const target = Math.ceil(total * p);
  for (let i = 0; i < hist.length; i++) {
    acc += hist[i];
    if (acc >= target) return i;
  }
  return hist.length - 1;
}

export function percentileOf(values: number[], p: number): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * p) - 1)];
}
