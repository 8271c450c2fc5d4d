/**
 * Verifier benchmark (not part of the tests):  npm run bench:verify
 *
 * 1. writes a valid export of BENCH_ENTRIES ledger transactions (default 1,000,000) with the domain functions —
 *    one cooperative, a sharing policy, and per order a payment (`pay:order:<id>`) and a settlement
 *    (`settle:order:<id>`, one to three lines, supplying households, the real fee), hash-chained, each line written
 *    by `transactionLine` — then the balances and the footer (the file is what
 *    `GET /api/cooperatives/:id/ledger/export` streams);
 * 2. builds the standalone verifier exactly as `npm run verify-ledger` does (dist/verify-ledger.cjs) and runs
 *    `node dist/verify-ledger.cjs <file>`, timed; prints the time against the target (1,000,000 entries ≤ 5 s).
 *    (Tampered exports are the integration tests' business: apps/api/src/ledger/money-flow.int.spec.ts.)
 *
 * Environment: BENCH_ENTRIES (1000000), BENCH_FILE (a temporary file; kept when given), BENCH_KEEP=1 keeps it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  accountCode,
  expectedSettlementPostings,
  GENESIS_HASH,
  type LedgerTransactionContent,
  type SettlementReference,
  type SharingPolicy,
  transactionHash,
  transactionLine,
} from '@xiangbo/domain';

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 1_000_000);
const TARGET_S = 5;
const ROOT = resolve(__dirname, '..');
const CLI = join(ROOT, 'dist/verify-ledger.cjs');
const hasher = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** A small deterministic random source, so two runs write the same file. */
function rng(seed: number) {
  let x = seed >>> 0;
  return (n: number) => {
    x = (x * 1664525 + 1013904223) >>> 0;
    return x % n;
  };
}

function generate(file: string): { lines: number } {
  const coop = '6f1d0b1e-2c3a-4b5c-8d9e-0a1b2c3d4e5f';
  const policy: SharingPolicy = {
    version: 1,
    platformFeeBp: 300,
    purchase: { kind: 'percent', bp: 6500 },
    dividendBp: 800,
    wagesBp: 1000,
    dividendWeights: { registered: 150, monitored: 120, lifted: 100, none: 100 },
  };
  const households = Array.from({ length: 200 }, () => randomUUID()).sort();
  const r = rng(20260305);
  const fd = openSync(file, 'w');
  let buffer: string[] = [];
  let size = 0;
  const write = (line: string) => {
    buffer.push(line);
    size += line.length;
    if (size > 4_000_000) flush();
  };
  const flush = () => {
    writeSync(fd, buffer.join('\n') + '\n');
    buffer = [];
    size = 0;
  };
  write(
    JSON.stringify({
      type: 'header',
      format: 'xiangbo-ledger/1',
      cooperativeId: coop,
      exportedAt: new Date().toISOString(),
    }),
  );
  write(JSON.stringify({ type: 'policy', cooperativeId: coop, policy }));
  const balances = new Map<string, number>();
  let prevHash = GENESIS_HASH;
  let seq = 0;
  const start = Date.UTC(2026, 0, 1);
  const append = (c: Omit<LedgerTransactionContent, 'seq' | 'prevHash' | 'cooperativeId'>) => {
    const content: LedgerTransactionContent = { cooperativeId: coop, seq: ++seq, prevHash, ...c };
    const hash = transactionHash(content, hasher);
    for (const p of content.postings) balances.set(p.account, (balances.get(p.account) ?? 0) + p.amount);
    write(transactionLine(content, hash));
    prevHash = hash;
  };
  while (seq < ENTRIES) {
    const orderId = randomUUID();
    const at = new Date(start + seq * 30_000).toISOString();
    const lineCount = 1 + r(3);
    const lines = Array.from({ length: lineCount }, () => {
      const quantity = 1 + r(3);
      const grossFen = quantity * (2900 + 100 * r(60));
      const supplies = Array.from({ length: 1 + r(3) }, () => ({
        householdId: households[r(households.length)],
        quantity: 10 + r(90),
      }));
      const unique = [...new Map(supplies.map((s) => [s.householdId, s])).values()].sort((a, b) =>
        a.householdId < b.householdId ? -1 : 1,
      );
      return { lineId: randomUUID(), grossFen, quantity, supplies: unique };
    });
    const total = lines.reduce((s, l) => s + l.grossFen, 0);
    append({
      idempotencyKey: `pay:order:${orderId}`,
      kind: 'payment',
      occurredAt: at,
      reference: { orderId },
      postings: [
        { account: accountCode.pspReceivable(), amount: total, currency: 'CNY' },
        { account: accountCode.clearing(coop), amount: -total, currency: 'CNY' },
      ],
    });
    if (seq >= ENTRIES) break;
    const feeFen = Math.floor((total * 60) / 10000);
    const ref: SettlementReference = { orderId, policyVersion: 1, feeFen, lines };
    const postings = [...expectedSettlementPostings(coop, ref, policy)].map(([account, amount]) => ({
      account,
      amount,
      currency: 'CNY' as const,
    }));
    append({
      idempotencyKey: `settle:order:${orderId}`,
      kind: 'settlement',
      occurredAt: at,
      reference: ref as unknown as Record<string, unknown>,
      postings,
    });
  }
  write(JSON.stringify({ type: 'balances', cooperativeId: coop, balances: Object.fromEntries(balances) }));
  write(JSON.stringify({ type: 'footer', transactions: seq, lastHash: prevHash }));
  flush();
  closeSync(fd);
  return { lines: seq + 4 };
}

function main() {
  const dir = mkdtempSync(join(tmpdir(), 'xb-bench-verify-'));
  const file = process.env.BENCH_FILE ?? join(dir, 'ledger.jsonl');
  try {
    let t = Date.now();
    const reuse = Boolean(process.env.BENCH_FILE) && existsSync(file);
    const { lines } = reuse ? { lines: ENTRIES + 4 } : generate(file);
    const mb = statSync(file).size / 1e6;
    console.log(
      `export: ${ENTRIES} transactions, ${lines} lines, ${mb.toFixed(0)} MB, ${reuse ? 'reused' : `written in ${((Date.now() - t) / 1000).toFixed(1)} s`}`,
    );

    execFileSync('npx', ['rolldown', '-c', 'tools/verify-ledger/rolldown.config.mjs', '--silent'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    t = Date.now();
    const ok = spawnSync('node', [CLI, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const seconds = (Date.now() - t) / 1000;
    process.stdout.write(ok.stdout);
    if (ok.status !== 0) throw new Error(`the verifier refused a valid export: ${ok.stderr}`);
    console.log(
      `node dist/verify-ledger.cjs: ${ENTRIES} entries in ${seconds.toFixed(2)} s, ${(ENTRIES / seconds).toFixed(0)} entries/s (target ≤ ${TARGET_S} s: ${seconds <= TARGET_S ? 'MET' : 'MISSED'})`,
    );
    if (seconds > TARGET_S) process.exitCode = 1;
  } finally {
    if (!process.env.BENCH_KEEP && !process.env.BENCH_FILE) rmSync(dir, { recursive: true, force: true });
  }
}

main();
