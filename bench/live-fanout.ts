/**
 * Live-room fan-out benchmark (not part of the tests):  npm run bench:live-fanout
 *
 * One show, N viewers (ramping 1,000 → 10,000), while the host pins products and stock changes at 10 updates/s
 * (5 pins/s through the host's socket, 5 orders/s through the REST API, each order moving the stock).
 * Targets, each with its own server processes, the same viewers and the same update schedule:
 *   bare   — a bare socket.io server (bench/live-bare-server.ts) relaying the same payloads, one event each;
 *   live   — the built API, one process (viewers in patch mode: coalesced `show:patch`es, sent slice by slice);
 *   live×2 — two API processes sharing PostgreSQL and Redis (viewers split between them, host on A, orders on B).
 * The viewers run in separate load processes (bench/live-load-worker.ts) speaking the socket.io wire protocol.
 *
 * Latency of an update = when a viewer's screen first shows it (or a newer value of the same thing, as
 * coalescing folds superseded values) − when the host action / order was sent. "Delivered" = such updates
 * over (updates × viewers). A target "stops" when p99 > BENCH_STOP_P99 ms or connections fail.
 *
 * Environment: BENCH_VIEWERS (1000,2500,5000,10000), BENCH_RATE (10), BENCH_SECONDS (15), BENCH_WORKERS (2),
 * BENCH_TARGETS (bare,live,live2), BENCH_CONNECT_RATE (600/s), BENCH_STOP_P99 (5000), REDIS_URL
 * (redis://127.0.0.1:6379), DATABASE_URL (else an embedded PostgreSQL); the API's LIVE_PATCH_BURST (1), LIVE_TICK_MS (10),
 * LIVE_PATCH_INTERVAL_MS (40) and LIVE_SLICES (256) pass through.
 */
import type { ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import {
  accessToken,
  benchDatabase,
  cpuSeconds,
  freePort,
  percentile,
  seedLiveShow,
  sleep,
  startApi,
  startBare,
  startWorkers,
  stop,
  type BenchDb,
  type LiveFixture,
  type LoadWorker,
} from './live-common';
import { connectWire, type WireClient } from './live-wire';

const env = process.env;
const VIEWERS = (env.BENCH_VIEWERS ?? '1000,2500,5000,10000').split(',').map(Number);
const RATE = Number(env.BENCH_RATE ?? 10);
const SECONDS = Number(env.BENCH_SECONDS ?? 15);
const WARM = 3;
const WORKERS = Number(env.BENCH_WORKERS ?? 2);
const TARGETS = (env.BENCH_TARGETS ?? 'bare,live,live2').split(',');
const CONNECT_RATE = Number(env.BENCH_CONNECT_RATE ?? 600);
const STOP_P99 = Number(env.BENCH_STOP_P99 ?? 5000);
const REDIS_URL = env.REDIS_URL || 'redis://127.0.0.1:6379';

interface Row {
  target: string;
  viewers: number;
  connected: number;
  p50: number;
  p99: number;
  delivered: number;
  msgsPerSec: number;
  serverCpu: number;
  /** CPU of the load generator processes (on the same machine): what the server could not use. */
  loadCpu: number;
  note: string;
}

interface Target {
  name: string;
  urls: string[];
  pids: () => (number | undefined)[];
  /** Sends one update; returns when it was sent. */
  pin(productId: string, seq: number): Promise<void>;
  stock(seq: number, value: number): Promise<void>;
  patches: boolean;
  close(): Promise<void>;
}

async function liveTarget(db: BenchDb, fx: LiveFixture, processes: 1 | 2): Promise<Target> {
  const procs: ChildProcess[] = [];
  const extra: Record<string, string> = processes === 2 ? { REDIS_URL } : {};
  const ports = [await freePort(), await freePort()];
  procs.push(await startApi(db.url, ports[0], extra));
  if (processes === 2) procs.push(await startApi(db.url, ports[1], extra));
  const urls = procs.map((_, i) => `http://127.0.0.1:${ports[i]}`);
  const host = await connectWire(urls[0], '/live', { token: accessToken(fx.hostId), showId: fx.showId });
  const buyerToken = accessToken(fx.buyerId);
  const orderUrl = `${urls[urls.length - 1]}/api/orders`;
  const [addr] = await db.query<{ id: string }>(`SELECT id FROM addresses WHERE user_id = $1`, [fx.buyerId]);
  return {
    name: processes === 2 ? 'live×2 (Redis)' : 'live (1 process)',
    urls,
    pids: () => procs.map((p) => p.pid),
    patches: true,
    pin: async (productId) => {
      const r = await host.ask<{ ok: boolean; code?: string }>('pin:set', { productId });
      if (!r.ok) console.warn('pin refused', r);
    },
    stock: async () => {
      const res = await fetch(orderUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${buyerToken}` },
        body: JSON.stringify({ items: [{ productId: fx.productIds[0], quantity: 1 }], addressId: addr.id }),
      });
      if (res.status !== 201) console.warn('order refused', res.status, await res.text());
    },
    close: async () => {
      host.close();
      for (const p of procs) await stop(p);
    },
  };
}

async function bareTarget(fx: LiveFixture): Promise<Target> {
  const port = await freePort();
  const proc = await startBare(port);
  const url = `http://127.0.0.1:${port}`;
  const control: WireClient = await connectWire(url, '/live', {});
  let n = 0;
  return {
    name: 'bare socket.io',
    urls: [url],
    pids: () => [proc.pid],
    patches: false,
    pin: async (productId) => {
      const pin = {
        pinId: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
        productId,
        nameZh: '柞水黑木耳 0001',
        unit: 'box',
        priceFen: 5900,
        stock: 100000000,
        coverThumbUrl: null,
        pinnedAt: new Date().toISOString(),
      };
      await control.ask('relay', { showId: fx.showId, event: 'pin:changed', payload: { pin } });
    },
    stock: async (_seq, value) => {
      await control.ask('relay', {
        showId: fx.showId,
        event: 'stock:changed',
        payload: { productId: fx.productIds[0], stock: value },
      });
    },
    close: async () => {
      control.close();
      await stop(proc);
    },
  };
}

async function runOne(
  target: Target,
  workers: LoadWorker[],
  fx: LiveFixture,
  db: BenchDb,
  viewers: number,
): Promise<Row> {
  const [{ stock: stock0 }] = await db.query<{ stock: number }>(`SELECT stock FROM products WHERE id = $1`, [
    fx.productIds[0],
  ]);
  await Promise.all(
    workers.map((w) => w.ask({ cmd: 'config', products: fx.productIds, stockProduct: fx.productIds[0], stock0 })),
  );
  // connect the viewers, spread over the load processes (and over the API processes)
  const per = Math.ceil(viewers / workers.length);
  const tc = Date.now();
  const connected = await Promise.all(
    workers.map((w, wi) => {
      const count = Math.max(0, Math.min(per, viewers - wi * per));
      const auths = Array.from({ length: count }, (_, k) => ({
        showId: fx.showId,
        patches: target.patches,
        viewerId: `bench-${wi}-${k}-${Date.now()}`,
      }));
      const urls = target.urls.length > 1 ? (wi % 2 ? [...target.urls].reverse() : target.urls) : target.urls;
      return w.ask<{ connected: number; failed: number; reasons: Record<string, number> }>({
        cmd: 'connect',
        urls,
        auths,
        perSecond: CONNECT_RATE / workers.length,
      });
    }),
  );
  const ok = connected.reduce((s, c) => s + c.connected, 0);
  const failed = connected.reduce((s, c) => s + c.failed, 0);
  for (const c of connected) if (c.failed) console.log(`\n  connection failures: ${JSON.stringify(c.reasons)}`);
  process.stdout.write(
    `  ${target.name}: ${ok}/${viewers} viewers connected in ${((Date.now() - tc) / 1000).toFixed(1)} s${failed ? `, ${failed} failed` : ''}`,
  );
  if (target.patches) {
    // every viewer has its show:state (the joins' reads are done) before anything is measured
    const deadline = Date.now() + 180_000;
    for (;;) {
      const st = await Promise.all(workers.map((w) => w.ask<{ states: number }>({ cmd: 'states' })));
      const n = st.reduce((s, x) => s + x.states, 0);
      if (n >= ok || Date.now() > deadline) break;
      await sleep(250);
    }
    process.stdout.write(`, all joined (state received) after ${((Date.now() - tc) / 1000).toFixed(1)} s`);
  }
  await sleep(2000); // let the counts settle

  const pinSentAt: (number | null)[] = [];
  const stockSentAt: (number | null)[] = [];
  let pinSeq = 0;
  let stockSeq = 0;
  const total = (WARM + SECONDS) * RATE;
  let pinFrom = 0;
  let stockFrom = 0;
  let cpu0 = 0;
  let loadCpu0 = 0;
  let measureStart = 0;
  const inflight: Promise<void>[] = [];
  const t0 = Date.now();
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / RATE;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    if (i === WARM * RATE) {
      pinFrom = pinSeq;
      stockFrom = stockSeq;
      await Promise.all(workers.map((w) => w.ask({ cmd: 'count', on: true })));
      cpu0 = target.pids().reduce<number>((s, p) => s + cpuSeconds(p), 0);
      loadCpu0 = workers.reduce((s, w) => s + cpuSeconds(w.child.pid), 0);
      measureStart = Date.now();
    }
    if (i % 2 === 0) {
      const seq = pinSeq++ % fx.productIds.length;
      pinSentAt[seq] = Date.now();
      inflight.push(target.pin(fx.productIds[seq], seq));
    } else {
      const seq = ++stockSeq;
      stockSentAt[seq] = Date.now();
      inflight.push(target.stock(seq, stock0 - seq));
    }
  }
  await Promise.all(inflight);
  await sleep(3000); // drain: late deliveries still count (their latency shows it)
  const measured = (Date.now() - measureStart) / 1000;
  const cpu = target.pids().reduce<number>((s, p) => s + cpuSeconds(p), 0) - cpu0;
  const loadCpu = workers.reduce((s, w) => s + cpuSeconds(w.child.pid), 0) - loadCpu0;
  await Promise.all(workers.map((w) => w.ask({ cmd: 'count', on: false })));
  const results = await Promise.all(
    workers.map((w) =>
      w.ask<{
        hist: number[];
        pinHist: number[];
        stockHist: number[];
        covered: number;
        expected: number;
        messages: number;
      }>({
        cmd: 'collect',
        pinSentAt: pinSentAt.map((t) => t ?? null),
        stockSentAt: stockSentAt.map((t) => t ?? null),
        pinFrom,
        stockFrom: stockFrom + 1,
      }),
    ),
  );
  await Promise.all(workers.map((w) => w.ask({ cmd: 'close' })));
  const hist = results[0].hist.map((_, i) => results.reduce((s, r) => s + r.hist[i], 0));
  const pinHist = results[0].pinHist.map((_, i) => results.reduce((s, r) => s + r.pinHist[i], 0));
  const stockHist = results[0].stockHist.map((_, i) => results.reduce((s, r) => s + r.stockHist[i], 0));
  const covered = results.reduce((s, r) => s + r.covered, 0);
  const expected = results.reduce((s, r) => s + r.expected, 0);
  const messages = results.reduce((s, r) => s + r.messages, 0);
  const row: Row = {
    target: target.name,
    viewers,
    connected: ok,
    p50: percentile(hist, 0.5),
    p99: percentile(hist, 0.99),
    delivered: expected ? covered / expected : 0,
    msgsPerSec: messages / measured,
    serverCpu: cpu / measured,
    loadCpu: loadCpu / measured,
    note: failed ? `${failed} connections failed` : '',
  };
  console.log(
    ` → pins p50/p99 ${percentile(pinHist, 0.5)}/${percentile(pinHist, 0.99)} ms, stock p50/p99 ${percentile(stockHist, 0.5)}/${percentile(stockHist, 0.99)} ms; all p50 ${row.p50} ms, p99 ${row.p99} ms, delivered ${(row.delivered * 100).toFixed(1)} %, ${Math.round(row.msgsPerSec)} msgs/s, server CPU ${(row.serverCpu * 100).toFixed(0)} %, load generator CPU ${(row.loadCpu * 100).toFixed(0)} %`,
  );
  await sleep(1500);
  return row;
}

async function main() {
  const db = await benchDatabase('fanout');
  const products = Math.ceil(((WARM + SECONDS) * RATE) / 2) + 10;
  const fx = await seedLiveShow(db, products);
  const workers = await startWorkers(WORKERS);
  const rows: Row[] = [];
  console.log(
    `live fan-out: ${RATE} updates/s (pins + stock), ${SECONDS} s measured after ${WARM} s warm-up, viewers ${VIEWERS.join(' → ')}, ` +
      `${WORKERS} load processes, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
  );
  try {
    for (const name of TARGETS) {
      const target = name === 'bare' ? await bareTarget(fx) : await liveTarget(db, fx, name === 'live2' ? 2 : 1);
      try {
        for (const n of VIEWERS) {
          const row = await runOne(target, workers, fx, db, n);
          rows.push(row);
          if (row.p99 > STOP_P99 || row.connected < n * 0.95) {
            row.note = [row.note, `stops here (p99 > ${STOP_P99} ms or connections failing)`]
              .filter(Boolean)
              .join('; ');
            break;
          }
        }
      } finally {
        await target.close();
      }
    }
  } finally {
    for (const w of workers) w.child.kill();
    await db.drop();
  }
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  console.log(
    `\n${'target'.padEnd(18)}${pad('viewers', 8)}${pad('p50 ms', 8)}${pad('p99 ms', 8)}${pad('deliv.', 8)}${pad('msgs/s', 9)}${pad('CPU', 6)}${pad('gen', 6)}  note`,
  );
  for (const r of rows) {
    console.log(
      `${r.target.padEnd(18)}${pad(r.connected, 8)}${pad(r.p50, 8)}${pad(r.p99, 8)}${pad(`${(r.delivered * 100).toFixed(1)}%`, 8)}${pad(Math.round(r.msgsPerSec), 9)}${pad(`${Math.round(r.serverCpu * 100)}%`, 6)}${pad(`${Math.round(r.loadCpu * 100)}%`, 6)}  ${r.note}`,
    );
  }
  for (const n of VIEWERS) {
    const bare = rows.find((r) => r.target.startsWith('bare') && r.viewers === n);
    const live = rows.find((r) => r.target.startsWith('live (') && r.viewers === n);
    if (bare && live)
      console.log(
        `ratio at ${n} viewers: p99 live/bare ${(live.p99 / bare.p99).toFixed(2)}, msgs/s live/bare ${(live.msgsPerSec / bare.msgsPerSec).toFixed(2)}`,
      );
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
