/**
 * Flash-deal race benchmark (not part of the tests):  npm run bench:live-deal
 *
 * 5,000 signed-in buyers (each with a default address) connected over socket.io to the built API, a flash deal
 * of 500 units (1 per buyer) on the pinned product; at one instant every buyer sends `deal:buy`. Checks in
 * PostgreSQL afterwards: exactly 500 units reserved, 0 oversold (deal remaining, reservations, product stock,
 * nobody above the cap). Reports reservations/s (500 ÷ time until the last successful ack) and ack latency, and in the
 * same run the floor it is compared with: the raw single-row conditional UPDATE
 * (`UPDATE products SET stock = stock - 1 WHERE id = $1 AND stock >= 1`) through a `pg` pool of 20 connections, as
 * many statements as there are buyers, all in flight — statements/s, and the ratio reservations/s ÷ that rate.
 * Targets (issue 13): ratio ≥ 1, every buyer answered within 1 s of the first buy, winners' p99 ≤ 500 ms.
 * The buyers run in separate load processes (bench/live-load-worker.ts).
 *
 * Environment: BENCH_JOIN (1: buyers watch the show and receive its patches; 0: they only buy), BENCH_BUYERS (5000), BENCH_UNITS (500), BENCH_WORKERS (2), BENCH_PROCESSES (1; 2 = two API
 * processes over Redis, buyers split), REDIS_URL, DATABASE_URL (else an embedded PostgreSQL).
 */
import type { ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { Pool } from 'pg';
import {
  accessToken,
  benchDatabase,
  cpuSeconds,
  createBuyers,
  freePort,
  percentileOf,
  seedLiveShow,
  sleep,
  startApi,
  startWorkers,
  stop,
} from './live-common';
import { connectWire } from './live-wire';

const env = process.env;
const BUYERS = Number(env.BENCH_BUYERS ?? 5000);
const UNITS = Number(env.BENCH_UNITS ?? 500);
const WORKERS = Number(env.BENCH_WORKERS ?? 2);
const PROCESSES = Number(env.BENCH_PROCESSES ?? 1);
const REDIS_URL = env.REDIS_URL || 'redis://127.0.0.1:6379';
const STOCK = 100_000_000;
/** 1: the buyers watch the show while buying (they receive its patches); 0: they only buy. */
const JOIN = env.BENCH_JOIN !== '0';

interface Result {
  ok: boolean;
  code?: string;
  ms: number;
  at: number;
}

async function main() {
  const db = await benchDatabase('deal');
  const procs: ChildProcess[] = [];
  const workers = await startWorkers(WORKERS);
  let exit = 0;
  try {
    const fx = await seedLiveShow(db, 2);
    const buyers = await createBuyers(db, BUYERS, 'deal');
    const extra: Record<string, string> = PROCESSES > 1 ? { REDIS_URL } : {};
    const ports: number[] = [];
    for (let i = 0; i < PROCESSES; i++) ports.push(await freePort());
    for (const port of ports) procs.push(await startApi(db.url, port, extra));
    const urls = ports.map((port) => `http://127.0.0.1:${port}`);

    // Joined explicitly (its ack follows the join): the handshake's auto-join may not be done after a fixed sleep.
    const host = await connectWire(urls[0], '/live', { token: accessToken(fx.hostId) });
    await host.ask('show:join', { showId: fx.showId });
    const pinned = await host.ask<{ ok: boolean }>('pin:set', { productId: fx.productIds[0] });
    const launched = await host.ask<{ ok: boolean; deal?: { id: string }; message?: string }>('deal:launch', {
      productId: fx.productIds[0],
      priceFen: 2990,
      quantity: UNITS,
      perBuyerCap: 1,
      durationSeconds: 600,
    });
    if (!pinned.ok || !launched.ok || !launched.deal)
      throw new Error(`could not launch the deal: ${JSON.stringify(launched)}`);
    const dealId = launched.deal.id;

    const per = Math.ceil(BUYERS / workers.length);
    const tc = Date.now();
    const conn = await Promise.all(
      workers.map((w, wi) =>
        w.ask<{ connected: number; failed: number; reasons: Record<string, number> }>({
          cmd: 'connect',
          urls: wi % 2 ? [...urls].reverse() : urls,
          auths: buyers
            .slice(wi * per, (wi + 1) * per)
            .map((id) => ({ token: accessToken(id), patches: true, ...(JOIN ? { showId: fx.showId } : {}) })),
          perSecond: Number(env.BENCH_CONNECT_RATE ?? 300) / workers.length,
        }),
      ),
    );
    const connected = conn.reduce((s, c) => s + c.connected, 0);
    for (const c of conn) if (c.failed) console.log(`connection failures: ${JSON.stringify(c.reasons)}`);
    console.log(
      `flash deal: ${UNITS} units, ${connected}/${BUYERS} buyers connected in ${((Date.now() - tc) / 1000).toFixed(1)} s, ` +
        `${PROCESSES} API process(es), ${WORKERS} load processes, ${cpus().length} CPUs, buyers ${JOIN ? 'watching the show' : 'not in the room'}`,
    );
    await sleep(2000);

    // GO: every buyer at once
    const cpu0 = procs.reduce((s, p) => s + cpuSeconds(p.pid), 0);
    const wall0 = Date.now();
    const replies = await Promise.all(
      workers.map((w) => w.ask<{ t0: number; results: Result[] }>({ cmd: 'buy', dealId, quantity: 1 })),
    );
    const t0 = Math.min(...replies.map((r) => r.t0));
    const all = replies.flatMap((r) => r.results.map((x) => ({ ...x, at: x.at + r.t0 - t0 })));
    const oks = all.filter((r) => r.ok);
    const codes = new Map<string, number>();
    for (const r of all) if (!r.ok) codes.set(r.code ?? '?', (codes.get(r.code ?? '?') ?? 0) + 1);
    const lastOk = Math.max(...oks.map((r) => r.at));
    const lastAny = Math.max(...all.map((r) => r.at));
    const apiCpu = (procs.reduce((s, p) => s + cpuSeconds(p.pid), 0) - cpu0) / ((Date.now() - wall0) / 1000);

    await sleep(500);
    const [deal] = await db.query<{ remaining: number }>(`SELECT remaining FROM flash_deals WHERE id = $1`, [dealId]);
    const [held] = await db.query<{ units: number; orders: number; over: number }>(
      `SELECT COALESCE(sum(r.quantity), 0)::int AS units, count(DISTINCT r.order_id)::int AS orders,
              (SELECT count(*) FROM (SELECT o.buyer_id FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE l.deal_id = $1
                GROUP BY o.buyer_id HAVING sum(l.quantity) > 1) x)::int AS over
         FROM reservations r WHERE r.deal_id = $1 AND r.status = 'held'`,
      [dealId],
    );
    const [p] = await db.query<{ stock: number }>(`SELECT stock FROM products WHERE id = $1`, [fx.productIds[0]]);

    console.log(
      `\nresults: ${oks.length} reserved, refused ${[...codes].map(([c, n]) => `${c} ${n}`).join(', ') || 'none'}`,
    );
    console.log(
      `database: deal remaining ${deal.remaining}, held reservations ${held.units} units in ${held.orders} orders, product stock ${STOCK - p.stock} taken, buyers above cap ${held.over}`,
    );
    console.log(
      `reservations/s: ${(oks.length / (lastOk / 1000)).toFixed(0)} (${oks.length} in ${lastOk} ms); all ${all.length} answers in ${lastAny} ms (${(all.length / (lastAny / 1000)).toFixed(0)} answers/s)`,
    );
    console.log(
      `ack latency: reserved p50 ${percentileOf(
        oks.map((r) => r.ms),
        0.5,
      )} ms, p99 ${percentileOf(
        oks.map((r) => r.ms),
        0.99,
      )} ms; ` +
        `all p50 ${percentileOf(
          all.map((r) => r.ms),
          0.5,
        )} ms, p99 ${percentileOf(
          all.map((r) => r.ms),
          0.99,
        )} ms`,
    );
    console.log(`API process CPU during the race: ${Math.round(apiCpu * 100)} % of one core (all API processes)`);

    // The floor, in the same run and database: the raw single-row conditional UPDATE, as many as there were buyers.
    const raw = await rawConditionalUpdates(db.url, all.length);
    const rate = oks.length / (lastOk / 1000);
    console.log(
      `raw single-row conditional UPDATE (pg pool of 20, ${all.length} in flight): ${raw.rate.toFixed(0)} statements/s, p50 ${raw.p50.toFixed(1)} ms, p99 ${raw.p99.toFixed(1)} ms`,
    );
    console.log(`ratio reservations/s ÷ raw UPDATE/s: ${(rate / raw.rate).toFixed(2)} (target ≥ 1)`);
    console.log(
      `every buyer answered within ${lastAny} ms of the first buy (target ≤ 1000); winners p99 ${percentileOf(
        oks.map((r) => r.ms),
        0.99,
      )} ms (target ≤ 500)`,
    );
    console.log(
      `load average now: ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
    const exact =
      oks.length === UNITS &&
      held.units === UNITS &&
      deal.remaining === 0 &&
      STOCK - p.stock === UNITS &&
      held.over === 0;
    console.log(`\nexactly ${UNITS} reserved, 0 oversold: ${exact ? 'YES' : 'NO'}`);
    exit = exact ? 0 : 1;
    host.close();
  } finally {
    await Promise.all(workers.map((w) => w.ask({ cmd: 'close' }).catch(() => undefined)));
    for (const w of workers) w.child.kill();
    for (const p of procs) await stop(p);
    await db.drop();
  }
  process.exit(exit);
}

/** `n` raw conditional UPDATEs of one hot row through a pool of 20 connections, all queued at once. */
async function rawConditionalUpdates(url: string, n: number): Promise<{ rate: number; p50: number; p99: number }> {
  const pool = new Pool({ connectionString: url, max: 20 });
  try {
    const [{ id }] = (
      await pool.query(
        `INSERT INTO products (cooperative_id, name_zh, category, unit, price_fen, stock, origin_province, origin_county, origin_village, published)
         SELECT cooperative_id, 'raw-floor', category, unit, price_fen, $1, origin_province, origin_county, origin_village, published
           FROM products LIMIT 1 RETURNING id`,
        [n * 10],
      )
    ).rows as { id: string }[];
    await Promise.all(Array.from({ length: 40 }, () => pool.query('SELECT 1'))); // connections open
    const lat: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: n }, async () => {
        const s = performance.now();
        await pool.query('UPDATE products SET stock = stock - 1 WHERE id = $1 AND stock >= 1', [id]);
        lat.push(performance.now() - s);
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    return { rate: n / seconds, p50: percentileOf(lat, 0.5), p99: percentileOf(lat, 0.99) };
  } finally {
    await pool.end();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
