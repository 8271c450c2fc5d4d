/**
 * Catalogue benchmark (not part of the tests):  npm run bench:catalog
 *
 * 1. a fresh database (on DATABASE_URL's server, or an embedded PostgreSQL when it is unset), migrated;
 * 2. ~500 products with photos and lots across six cooperatives (bench/seed-catalog.ts);
 * 3. the BUILT API (dist/apps/api/main.js, as in production) started in a child process;
 * 4. autocannon, 50 connections × 10 s each, against the product list (20 per page), a Chinese search (木耳)
 *    and a product page; prints req/s, p50 and p99 and checks the target (list ≥ 200 req/s, p99 ≤ 100 ms).
 *
 * Environment: BENCH_PRODUCTS (500), BENCH_DURATION (10), BENCH_CONNECTIONS (50), BENCH_PORT (3290),
 * BENCH_LOG_LEVEL (info: the production default, where successful reads are logged at debug; debug logs every
 * request), BENCH_KEEP=1 keeps the database. The API's own CATALOG_CACHE_TTL_MS passes through: 0 sends every
 * request to PostgreSQL (the catalogue's answer cache off).
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../apps/api/src/database/embedded-postgres';
import { runMigrations } from '../apps/api/src/database/migrate';
import { seedCatalog } from './seed-catalog';
import { admin, waitForHealth, withDatabase } from './bench-server';

const env = process.env;
const PRODUCTS = Number(env.BENCH_PRODUCTS ?? 500);
const DURATION = Number(env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 50);
const PORT = Number(env.BENCH_PORT ?? 3290);
const LOG_LEVEL = env.BENCH_LOG_LEVEL ?? 'info';
const MAIN = resolve('dist/apps/api/main.js');

interface Result {
  name: string;
  path: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

function run(name: string, url: string, duration = DURATION): Promise<Result> {
  return new Promise((resolvePromise, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration, pipelining: 1 }, (err, r) => {
      if (err) return reject(err);
      resolvePromise({
        name,
        path: new URL(url).pathname + new URL(url).search,
        rps: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        errors: r.errors + r.timeouts,
        non2xx: r.non2xx,
      });
    });
  });
}

async function main() {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build the API first (npx nx build api)`);
  let embedded: EmbeddedDatabase | undefined;
  let serverUrl = env.DATABASE_URL;
  const work = mkdtempSync(join(tmpdir(), 'xb-bench-'));
  chmodSync(work, 0o755);
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres({ dir: join(work, 'pg'), port: PORT + 1000, database: 'postgres' });
    serverUrl = embedded.url;
  }
  const dbName = `xb_bench_${Date.now().toString(36)}`;
  const databaseUrl = withDatabase(serverUrl, dbName);
  const uploads = join(work, 'uploads');
  let child: ChildProcess | undefined;
  try {
    await admin(serverUrl, `CREATE DATABASE ${dbName}`);
    await runMigrations(databaseUrl);
    const t0 = Date.now();
    const seeded = await seedCatalog(databaseUrl, uploads, PRODUCTS);
    console.log(
      `seeded ${seeded.productIds.length} products in ${seeded.cooperatives.length} cooperatives (${Date.now() - t0} ms)`,
    );

    child = spawn(process.execPath, [MAIN], {
      env: {
        ...env,
        NODE_ENV: 'production',
        PORT: String(PORT),
        HOST: '127.0.0.1',
        DATABASE_URL: databaseUrl,
        UPLOADS_DIR: uploads,
        STOREFRONT_DIR: '/nonexistent',
        LOG_LEVEL,
        JWT_SECRET: randomBytes(32).toString('hex'),
        PERSONAL_DATA_KEY: randomBytes(32).toString('hex'),
        SEED_DEMO: 'false',
        REDIS_URL: '',
        MEDIA_SERVER: 'off',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const base = `http://127.0.0.1:${PORT}`;
    await waitForHealth(base, child);

    const targets = [
      { name: 'product list (20/page)', url: `${base}/api/products?page=1&pageSize=20` },
      { name: 'search q=木耳', url: `${base}/api/products?q=${encodeURIComponent('木耳')}&pageSize=20` },
      { name: 'product page', url: `${base}/api/products/${seeded.tracedProductId}` },
    ];
    // Sanity: each target answers 200 with what it should.
    for (const t of targets) {
      const res = await fetch(t.url);
      const body = (await res.json()) as { items?: unknown[]; trace?: unknown };
      if (!res.ok) throw new Error(`${t.name}: HTTP ${res.status}`);
      if (t.name.startsWith('product page') ? !body.trace : !body.items?.length)
        throw new Error(`${t.name}: empty answer`);
    }

    console.log(
      `\nautocannon: ${CONNECTIONS} connections, ${DURATION} s per target, ${cpus().length} CPUs, ` +
        `API log level ${LOG_LEVEL}, load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}\n`,
    );
    const results: Result[] = [];
    for (const t of targets) {
      await run(t.name, t.url, 5); // warm-up (JIT, pool, prepared statements), not counted
      results.push(await run(t.name, t.url));
    }

    const pad = (s: string | number, n: number) => String(s).padStart(n);
    console.log(
      `${'target'.padEnd(26)}${pad('req/s', 10)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}${pad('errors', 8)}${pad('non-2xx', 9)}`,
    );
    for (const r of results) {
      console.log(
        `${r.name.padEnd(26)}${pad(r.rps.toFixed(0), 10)}${pad(r.p50, 9)}${pad(r.p99, 9)}${pad(r.errors, 8)}${pad(r.non2xx, 9)}`,
      );
    }
    const list = results[0];
    const ok = list.rps >= 200 && list.p99 <= 100 && list.errors === 0 && list.non2xx === 0;
    console.log(
      `\ntarget (list ≥ 200 req/s, p99 ≤ 100 ms): ${ok ? 'MET' : 'MISSED'} — ${list.rps.toFixed(0)} req/s, p99 ${list.p99} ms`,
    );
    process.exitCode = ok ? 0 : 1;
  } finally {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child?.once('exit', r));
    }
    if (!env.BENCH_KEEP) await admin(serverUrl, `DROP DATABASE IF EXISTS ${dbName}`).catch(() => undefined);
    else console.log(`kept database ${databaseUrl}`);
    await embedded?.stop().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
