/**
 * Reservation race benchmark (not part of the tests):  npm run bench:orders
 *
 * In ONE run, against the same PostgreSQL:
 *  (a) the product: BENCH_BUYERS buyers race over HTTP (POST /api/orders, the real Nest app in this process,
 *      BENCH_CONCURRENCY requests in flight) for BENCH_STOCK units of one hot product — the whole order path:
 *      auth, validation, the conditional stock UPDATE, order + lines + reservation + event rows, the payment intent;
 *  (b) the floor: a raw `pg` pool (20 connections, like the API's pool; same requests in flight) doing only the conditional hot-row UPDATE
 *      `UPDATE products SET stock = stock - 1 WHERE id = $1 AND stock >= 1` the same number of times.
 * Prints reservations/s, p50/p99 latency for both and the ratio, and checks that exactly BENCH_STOCK were
 * reserved and nothing was oversold.
 */
import { JwtService } from '@nestjs/jwt';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { createApp } from '../apps/api/src/app.factory';
import { loadConfig } from '../apps/api/src/config/config';
import { startEmbeddedPostgres } from '../apps/api/src/database/embedded-postgres';
import { runMigrations } from '../apps/api/src/database/migrate';

const env = process.env;
const BUYERS = Number(env.BENCH_BUYERS ?? 2000);
const STOCK = Number(env.BENCH_STOCK ?? 500);
const CONCURRENCY = Number(env.BENCH_CONCURRENCY ?? 50);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function pooled<T>(n: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await task(i);
      }
    }),
  );
  return out;
}

async function startProfile() {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    stop: async () => {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      return profile;
    },
  };
}

async function main() {
  const embedded = env.DATABASE_URL
    ? null
    : await (async () => {
        const dir = mkdtempSync(join(tmpdir(), 'xb-bench-pg-'));
        chmodSync(dir, 0o755);
        return startEmbeddedPostgres({ dir: join(dir, 'data'), port: 54391, database: 'postgres' });
      })();
  const server = new URL(env.DATABASE_URL ?? embedded!.url);
  const dbName = `xb_bench_orders_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: server.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  server.pathname = `/${dbName}`;
  const url = server.toString();
  await runMigrations(url);

  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-01',
    JOBS_ENABLED: 'false',
    STOREFRONT_DIR: '/nonexistent',
  } as NodeJS.ProcessEnv);
  const app = await createApp(config, url);
  await app.listen(0, '127.0.0.1');
  const base = await app.getUrl();
  // Same database concurrency as the API's own pool (20): the HTTP path can never hold more connections than that.
  const pool = new Pool({ connectionString: url, max: 20 });

  try {
    const [coop] = (
      await pool.query(
        `INSERT INTO users (email, password_hash, display_name) VALUES ('bench.coop@x', 'x', 'coop') RETURNING id`,
      )
    ).rows;
    const [c] = (
      await pool.query(
        `INSERT INTO cooperatives (name, uscc, province, city, county, township, village, contact_name, contact_phone, status, applicant_id)
         VALUES ('压测合作社', 'BENCH0000000000001', '陕西省', '商洛市', '柞水县', '小岭镇', '金米村', 'x', '13800000000', 'approved', $1) RETURNING id`,
        [coop.id],
      )
    ).rows;
    const product = async (stock: number) =>
      (
        await pool.query(
          `INSERT INTO products (cooperative_id, name_zh, category, unit, price_fen, stock, origin_province, origin_county, origin_village, published)
           VALUES ($1, '木耳', 'fungi', 'box', 5900, $2, '陕西省', '柞水县', '金米村', true) RETURNING id`,
          [c.id, stock],
        )
      ).rows[0].id as string;
    const hot = await product(STOCK);
    const users = (
      await pool.query(
        `INSERT INTO users (email, password_hash, display_name) SELECT 'bench.' || g || '@x', 'x', 'b' FROM generate_series(1, $1) g RETURNING id`,
        [BUYERS],
      )
    ).rows as { id: string }[];
    await pool.query(`INSERT INTO role_assignments (user_id, role) SELECT unnest($1::uuid[]), 'buyer'`, [
      users.map((u) => u.id),
    ]);
    const jwt = app.get(JwtService);
    const tokens = await Promise.all(users.map((u) => jwt.signAsync({ sub: u.id, typ: 'access' })));
    const body = JSON.stringify({
      items: [{ productId: hot, quantity: 1 }],
      address: {
        recipient: '陈静',
        mobile: '13800138000',
        province: '浙江省',
        city: '杭州市',
        district: '西湖区',
        detail: '文三路 100 号',
      },
    });

    // warm-up: a few orders on another product, so connections and code paths are hot
    const warm = await product(1000);
    await pooled(100, 10, (i) =>
      fetch(`${base}/api/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[i]}` },
        body: body.replace(hot, warm),
      }).then((r) => r.arrayBuffer()),
    );

    // (a) the product's order path (BENCH_PROFILE=file.cpuprofile: a CPU profile of this part alone, for DevTools)
    const profileTo = env.BENCH_PROFILE;
    const profile = profileTo ? await startProfile() : null;
    const lat: number[] = [];
    let created = 0;
    let refused = 0;
    const t0 = performance.now();
    await pooled(BUYERS, CONCURRENCY, async (i) => {
      const s = performance.now();
      const r = await fetch(`${base}/api/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[i]}` },
        body,
      });
      await r.arrayBuffer();
      lat.push(performance.now() - s);
      if (r.status === 201) created++;
      else if (r.status === 409) refused++;
      else throw new Error(`unexpected status ${r.status}`);
    });
    const seconds = (performance.now() - t0) / 1000;
    if (profile && profileTo) writeFileSync(profileTo, JSON.stringify(await profile.stop()));
    const [{ stock }] = (await pool.query('SELECT stock FROM products WHERE id = $1', [hot])).rows;
    const [{ held }] = (
      await pool.query(`SELECT COALESCE(SUM(quantity),0)::int AS held FROM reservations WHERE product_id = $1`, [hot])
    ).rows;

    // (b) the floor: the same conditional hot-row UPDATE through a raw pg pool
    const raw = await product(STOCK);
    const rawLat: number[] = [];
    let rawOk = 0;
    const r0 = performance.now();
    await pooled(BUYERS, CONCURRENCY, async () => {
      const s = performance.now();
      const res = await pool.query('UPDATE products SET stock = stock - 1 WHERE id = $1 AND stock >= 1', [raw]);
      rawLat.push(performance.now() - s);
      if (res.rowCount === 1) rawOk++;
    });
    const rawSeconds = (performance.now() - r0) / 1000;

    const rate = BUYERS / seconds;
    const rawRate = BUYERS / rawSeconds;
    console.log(`\nReservation race: ${BUYERS} buyers, ${STOCK} units, ${CONCURRENCY} in flight`);
    console.log(
      `  product (HTTP POST /api/orders): ${created} reserved, ${refused} refused (SOLD_OUT), stock left ${stock}, held ${held}`,
    );
    console.log(
      `    ${rate.toFixed(0)} requests/s (${(created / seconds).toFixed(0)} reservations/s over the run), p50 ${pct(lat, 50).toFixed(1)} ms, p99 ${pct(lat, 99).toFixed(1)} ms`,
    );
    console.log(
      `  raw pg conditional UPDATE: ${rawOk} succeeded; ${rawRate.toFixed(0)} statements/s, p50 ${pct(rawLat, 50).toFixed(2)} ms, p99 ${pct(rawLat, 99).toFixed(2)} ms`,
    );
    console.log(
      `  ratio product/raw: ${(rate / rawRate).toFixed(3)} (the order path also writes order, line, reservation, event and payment rows)`,
    );
    const ok = created === STOCK && refused === BUYERS - STOCK && stock === 0 && held === STOCK;
    console.log(
      ok ? '  exactly-once: OK — exactly the stock was reserved, nothing oversold' : '  exactly-once: FAILED',
    );
    if (!ok) process.exitCode = 1;
  } finally {
    await pool.end();
    await app.close();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
    await embedded?.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
