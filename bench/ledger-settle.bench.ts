/**
 * Settlement benchmark (not part of the tests):  npm run bench:settle
 *
 * 1. a fresh database (on DATABASE_URL's server, or an embedded PostgreSQL when it is unset), migrated;
 * 2. generated with SQL (generate_series): one cooperative with a sharing policy, households, products whose lots
 *    they supplied, BENCH_LINES order lines in completed, paid orders (BENCH_LINES_PER_ORDER each) with their
 *    payments and real fees, and each order's `pay:order:<id>` ledger entry (hash chain built with the domain code);
 * 3. the settlement code path the job runs (SettlementService.process: a batch of orders per transaction),
 *    timed; prints lines/s and total seconds against the target (100,000 lines ≤ 10 s);
 * 4. checks the result: one settlement per order, clearing back to zero, and the exported ledger verifies.
 *
 * Environment: BENCH_LINES (100000), BENCH_LINES_PER_ORDER (10), BENCH_HOUSEHOLDS (300), BENCH_PRODUCTS (60), BENCH_SUPPLIERS (3),
 * BENCH_KEEP=1 keeps the database.
 */
import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { accountCode, GENESIS_HASH, transactionHash, verifyExport } from '@xiangbo/domain';
import { dataSourceOptions } from '../apps/api/src/database/data-source-options';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../apps/api/src/database/embedded-postgres';
import { runMigrations } from '../apps/api/src/database/migrate';
import type { AppConfig } from '../apps/api/src/config/config';
import type { JobsService } from '../apps/api/src/jobs/jobs.service';
import { LedgerHeadsService } from '../apps/api/src/ledger/heads/ledger-heads.service';
import { LedgerSigningKey } from '../apps/api/src/ledger/heads/ledger-signing-key';
import { LedgerExportService } from '../apps/api/src/ledger/export.service';
import { LedgerService, nodeHasher } from '../apps/api/src/ledger/ledger.service';
import { PoliciesService } from '../apps/api/src/ledger/policies.service';
import { SettlementService, SYSTEM_USER_ID } from '../apps/api/src/ledger/settlement.service';
import { admin, withDatabase } from './bench-server';

const env = process.env;
const LINES = Number(env.BENCH_LINES ?? 100_000);
const PER_ORDER = Number(env.BENCH_LINES_PER_ORDER ?? 10);
const HOUSEHOLDS = Number(env.BENCH_HOUSEHOLDS ?? 300);
const PRODUCTS = Number(env.BENCH_PRODUCTS ?? 60);
/** Households supplying each lot: each line's purchase payment is split over them (one posting each). */
const SUPPLIERS = Number(env.BENCH_SUPPLIERS ?? 3);
const ORDERS = Math.ceil(LINES / PER_ORDER);
const TARGET_S = 10;

/** Everything with SQL: cooperative, policy, households, products, lots and supplies, payments, orders, lines. */
async function generate(db: DataSource): Promise<string> {
  const [coop] = await db.query(
    `INSERT INTO cooperatives (name, uscc, province, city, county, township, village, story, contact_name, contact_phone, status, applicant_id)
     VALUES ('基准合作社', 'BENCH0000000000001', '陕西省', '商洛市', '柞水县', '小岭镇', '金米村', '', '联系人', '13800000000', 'approved', $1) RETURNING id`,
    [SYSTEM_USER_ID],
  );
  const c = coop.id as string;
  await db.query(
    `INSERT INTO sharing_policies (cooperative_id, version, platform_fee_bp, purchase_kind, purchase_bp, dividend_bp, wages_bp, weight_registered, weight_monitored, effective_from, note, created_by)
     VALUES ($1, 1, 300, 'percent', 6500, 800, 1000, 150, 120, '2020-01-01T00:00:00Z', 'bench', $2)`,
    [c, SYSTEM_USER_ID],
  );
  await db.query(
    `INSERT INTO households (id, head_name, id_number_hash, id_number_masked, province, city, county, township, village, household_size, status, created_by)
     SELECT md5('h' || g)::uuid, '王' || g || '明', md5('h' || g) || md5('x' || g), '6110**********0000', '陕西省', '商洛市', '柞水县', '小岭镇', '金米村', 4,
            (ARRAY['registered','monitored','lifted','none'])[1 + g % 4], $1
       FROM generate_series(1, $2::int) g`,
    [SYSTEM_USER_ID, HOUSEHOLDS],
  );
  await db.query(
    `INSERT INTO products (id, cooperative_id, name_zh, category, unit, price_fen, stock, origin_province, origin_county, origin_village, published)
     SELECT md5('p' || g)::uuid, $1, '产品' || g, 'fungi', 'box', 5900, 1000000, '陕西省', '柞水县', '金米村', true FROM generate_series(1, $2::int) g`,
    [c, PRODUCTS],
  );
  // two lots per product (an old and a new harvest), each supplied by SUPPLIERS households
  await db.query(
    `INSERT INTO lots (id, product_id, code, harvest_date, quantity, created_by)
     SELECT md5('lot' || g || '-' || k)::uuid, md5('p' || g)::uuid, 'L' || g || '-' || k, CASE k WHEN 1 THEN date '2025-06-01' ELSE date '2026-03-01' END, 600, $1
       FROM generate_series(1, $2::int) g, generate_series(1, 2) k`,
    [SYSTEM_USER_ID, PRODUCTS],
  );
  await db.query(
    `INSERT INTO lot_supplies (lot_id, household_id, quantity)
     SELECT md5('lot' || g || '-' || k)::uuid, md5('h' || (1 + (g * 7 + k * 3 + j * 11) % $2))::uuid, 50 + 10 * j
       FROM generate_series(1, $1::int) g, generate_series(1, 2) k, generate_series(1, $3::int) j
     ON CONFLICT DO NOTHING`,
    [PRODUCTS, HOUSEHOLDS, SUPPLIERS],
  );
  await db.query(
    `INSERT INTO payments (id, buyer_id, provider, provider_ref, status, amount_fen, fee_fen, succeeded_at)
     SELECT md5('pay' || g)::uuid, $1, 'demo', 'bench_' || g, 'succeeded', 0, 0, timestamptz '2026-01-01' + g * interval '1 second'
       FROM generate_series(1, $2::int) g`,
    [SYSTEM_USER_ID, ORDERS],
  );
  await db.query(
    `INSERT INTO orders (id, number, buyer_id, cooperative_id, payment_id, status, subtotal_fen, total_fen, address, buyer_province, expires_at, paid_at, shipped_at, delivered_at, completed_at)
     SELECT md5('o' || g)::uuid, 'B' || g, $1, $2, md5('pay' || g)::uuid, 'completed', 0, 0, '{}'::jsonb, '浙江省',
            timestamptz '2026-01-01' + g * interval '1 second', timestamptz '2026-01-01' + g * interval '1 second',
            timestamptz '2026-01-02' + g * interval '1 second', timestamptz '2026-01-03' + g * interval '1 second', timestamptz '2026-01-04' + g * interval '1 second'
       FROM generate_series(1, $3::int) g`,
    [SYSTEM_USER_ID, c, ORDERS],
  );
  await db.query(
    `INSERT INTO order_lines (id, order_id, product_id, product_name, unit, unit_price_fen, quantity, line_total_fen)
     SELECT md5('l' || g || '-' || k)::uuid, md5('o' || g)::uuid, md5('p' || (1 + (g * $3 + k) % $4))::uuid, '产品', 'box',
            5900 + 100 * (k % 7), 1 + (g + k) % 3, (5900 + 100 * (k % 7)) * (1 + (g + k) % 3)
       FROM generate_series(1, $1::int) g, generate_series(1, $2::int) k
      WHERE (g - 1) * $2 + k <= $5`,
    [ORDERS, PER_ORDER, PER_ORDER, PRODUCTS, LINES],
  );
  await db.query(
    `UPDATE orders o SET subtotal_fen = s.t, total_fen = s.t FROM (SELECT order_id, SUM(line_total_fen) t FROM order_lines GROUP BY order_id) s WHERE s.order_id = o.id`,
  );
  // the demo processor's fee: 0.6 %, rounded down
  await db.query(
    `UPDATE payments p SET amount_fen = o.total_fen, fee_fen = o.total_fen * 60 / 10000 FROM orders o WHERE o.payment_id = p.id`,
  );
  await db.query('ANALYZE');
  return c;
}

/** The payment entries (pay:order:<id>), chained with the domain's hash, inserted in bulk. */
async function payments(db: DataSource, coop: string) {
  const orders: { id: string; total_fen: string; paid_at: Date }[] = await db.query(
    `SELECT id, total_fen::text, paid_at FROM orders ORDER BY paid_at, id`,
  );
  let prev = GENESIS_HASH;
  for (let i = 0; i < orders.length; i += 5000) {
    const chunk = orders.slice(i, i + 5000);
    const tx = chunk.map((o, j) => {
      const amount = Number(o.total_fen);
      const content = {
        cooperativeId: coop,
        seq: i + j + 1,
        idempotencyKey: `pay:order:${o.id}`,
        kind: 'payment' as const,
        occurredAt: o.paid_at.toISOString(),
        reference: { orderId: o.id },
        postings: [
          { account: accountCode.pspReceivable(), amount, currency: 'CNY' as const },
          { account: accountCode.clearing(coop), amount: -amount, currency: 'CNY' as const },
        ],
        prevHash: prev,
      };
      const hash = transactionHash(content, nodeHasher);
      prev = hash;
      return { ...content, hash, orderId: o.id };
    });
    const rows: { id: string; seq: number }[] = await db.query(
      `INSERT INTO ledger_transactions (cooperative_id, seq, idempotency_key, kind, occurred_at, reference, prev_hash, hash, order_id)
       SELECT $1, x.seq, x.k, 'payment', x.at, x.ref::jsonb, x.prev, x.hash, x.o
         FROM unnest($2::int[], $3::varchar[], $4::varchar[], $5::text[], $6::char(64)[], $7::char(64)[], $8::uuid[]) AS x(seq, k, at, ref, prev, hash, o)
       RETURNING id, seq`,
      [
        coop,
        tx.map((t) => t.seq),
        tx.map((t) => t.idempotencyKey),
        tx.map((t) => t.occurredAt),
        tx.map((t) => JSON.stringify(t.reference)),
        tx.map((t) => t.prevHash),
        tx.map((t) => t.hash),
        tx.map((t) => t.orderId),
      ],
    );
    const idOf = new Map(rows.map((r) => [r.seq, r.id]));
    const ids: string[] = [];
    const pos: number[] = [];
    const acc: string[] = [];
    const amt: string[] = [];
    for (const t of tx) {
      t.postings.forEach((p, k) => {
        ids.push(idOf.get(t.seq) as string);
        pos.push(k);
        acc.push(p.account);
        amt.push(String(p.amount));
      });
    }
    await db.query(
      `INSERT INTO ledger_postings (transaction_id, position, account, amount, currency) SELECT * , 'CNY' FROM unnest($1::uuid[], $2::smallint[], $3::varchar[], $4::bigint[])`,
      [ids, pos, acc, amt],
    );
  }
}

async function main() {
  let embedded: EmbeddedDatabase | undefined;
  let serverUrl = env.DATABASE_URL;
  const work = mkdtempSync(join(tmpdir(), 'xb-bench-settle-'));
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres({ dir: join(work, 'pg'), port: 55411, database: 'postgres' });
    serverUrl = embedded.url;
  }
  const dbName = `xb_bench_settle_${Date.now().toString(36)}`;
  const url = withDatabase(serverUrl, dbName);
  let db: DataSource | undefined;
  try {
    await admin(serverUrl, `CREATE DATABASE ${dbName}`);
    await runMigrations(url);
    db = await new DataSource(
      dataSourceOptions(
        url,
        env.BENCH_SLOW_MS ? { maxQueryExecutionTime: Number(env.BENCH_SLOW_MS), logger: 'simple-console' } : {},
      ),
    ).initialize();
    let t = Date.now();
    const coop = await generate(db);
    await payments(db, coop);
    console.log(
      `generated ${LINES} order lines in ${ORDERS} completed orders (${PER_ORDER} per order), ${HOUSEHOLDS} households, ${PRODUCTS} products, ${SUPPLIERS} supplying households per lot, in ${((Date.now() - t) / 1000).toFixed(1)} s`,
    );

    if (env.BENCH_GENERATE_ONLY) return void console.log(`data left in ${dbName}`);
    const jobs = { register: () => undefined, send: async () => undefined } as unknown as JobsService;
    const ledger = new LedgerService(db);
    // (the run ends by signing and keeping its chain head, as in the API: with a key of this process)
    const config = { NODE_ENV: 'test', PLATFORM_FEE_BP: 300 } as AppConfig;
    const heads = new LedgerHeadsService(db, new LedgerSigningKey(config), jobs);
    const settlement = new SettlementService(db, ledger, new PoliciesService(db, config), jobs, heads);
    const runId = await settlement.createRun(coop, SYSTEM_USER_ID);
    t = Date.now();
    await settlement.process(runId);
    const seconds = (Date.now() - t) / 1000;

    const [run] = await db.query(
      'SELECT status, total, done, jsonb_array_length(skipped) AS skipped FROM settlement_runs WHERE id = $1',
      [runId],
    );
    const [{ n, postings }] = await db.query(
      `SELECT count(DISTINCT t.id)::int AS n, count(*)::int AS postings FROM ledger_transactions t JOIN ledger_postings p ON p.transaction_id = t.id WHERE t.kind = 'settlement'`,
    );
    const clearing = await ledger.balance(undefined, accountCode.clearing(coop));
    console.log(
      `settled ${LINES} lines (${run.done} orders, run ${run.status}, ${run.skipped} skipped, ${n} settlement entries with ${postings} postings, clearing balance ${clearing})`,
    );
    console.log(
      `${(LINES / seconds).toFixed(0)} lines/s, ${(ORDERS / seconds).toFixed(0)} orders/s, total ${seconds.toFixed(2)} s (target ≤ ${TARGET_S} s: ${seconds <= TARGET_S ? 'MET' : 'MISSED'})`,
    );
    if (n !== ORDERS || clearing !== 0 || run.status !== 'done') throw new Error('settlement result is wrong');

    const file = join(work, 'ledger.jsonl');
    const out = createWriteStream(file);
    await new LedgerExportService(db, null as never).write(coop, out);
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    const v = verifyExport(readFileSync(file, 'utf8').split('\n'), nodeHasher);
    console.log(
      `export of ${v.transactions} transactions verifies: ${v.ok ? 'yes' : `NO — ${JSON.stringify(v.error)}`}`,
    );
    if (!v.ok) process.exitCode = 1;
    if (seconds > TARGET_S) process.exitCode = 1;
  } finally {
    await db?.destroy().catch(() => undefined);
    if (!env.BENCH_KEEP) await admin(serverUrl, `DROP DATABASE IF EXISTS ${dbName}`).catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
