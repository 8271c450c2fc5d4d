import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  accountCode,
  expectedSettlementPostings,
  GENESIS_HASH,
  type LedgerTransactionContent,
  type SharingPolicy,
  transactionHash,
  transactionLine,
  verifyExport,
} from '@xiangbo/domain';

const ROOT = resolve(__dirname, '../../../..');
const COOP = '6f1d0b1e-2c3a-4b5c-8d9e-0a1b2c3d4e5f';
const POLICY: SharingPolicy = {
  version: 1,
  platformFeeBp: 300,
  purchase: { kind: 'percent', bp: 6500 },
  dividendBp: 800,
  wagesBp: 1000,
  dividendWeights: { registered: 150, monitored: 120, lifted: 100, none: 100 },
};

/** An export as `GET …/ledger/export` writes it (transactionLine): per order a payment and a settlement. */
function exportLines(orders: number): string[] {
  const lines = [
    JSON.stringify({
      type: 'header',
      format: 'xiangbo-ledger/1',
      cooperativeId: COOP,
      exportedAt: '2026-11-23T00:00:00.000Z',
    }),
    JSON.stringify({ type: 'policy', cooperativeId: COOP, policy: POLICY }),
  ];
  const balances = new Map<string, number>();
  let prevHash = GENESIS_HASH;
  let seq = 0;
  const append = (c: Omit<LedgerTransactionContent, 'seq' | 'prevHash' | 'cooperativeId'>) => {
    const content: LedgerTransactionContent = { cooperativeId: COOP, seq: ++seq, prevHash, ...c };
    const hash = transactionHash(content);
    for (const p of content.postings) balances.set(p.account, (balances.get(p.account) ?? 0) + p.amount);
    lines.push(transactionLine(content, hash));
    prevHash = hash;
  };
  for (let i = 0; i < orders; i++) {
    const orderId = `0000${String(i).padStart(4, '0')}-aaaa-4bbb-8ccc-000000000000`;
    const occurredAt = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
    const ref = {
      orderId,
      policyVersion: 1,
      feeFen: 35 + (i % 7),
      lines: Array.from({ length: 1 + (i % 3) }, (_, l) => ({
        lineId: `1111${String(i).padStart(4, '0')}-aaaa-4bbb-8ccc-00000000000${l}`,
        grossFen: 2900 + 100 * ((i * 7 + l) % 50),
        quantity: 1 + l,
        supplies: [
          { householdId: `h-${(i + l) % 5}`, quantity: 10 + l },
          { householdId: `h-${(i + l + 1) % 5}`, quantity: 3 },
        ],
      })),
    };
    const total = ref.lines.reduce((s, l) => s + l.grossFen, 0);
    append({
      idempotencyKey: `pay:order:${orderId}`,
      kind: 'payment',
      occurredAt,
      reference: { orderId },
      postings: [
        { account: accountCode.pspReceivable(), amount: total, currency: 'CNY' },
        { account: accountCode.clearing(COOP), amount: -total, currency: 'CNY' },
      ],
    });
    append({
      idempotencyKey: `settle:order:${orderId}`,
      kind: 'settlement',
      occurredAt,
      reference: ref,
      postings: [...expectedSettlementPostings(COOP, ref, POLICY)].map(([account, amount]) => ({
        account,
        amount,
        currency: 'CNY' as const,
      })),
    });
  }
  lines.push(JSON.stringify({ type: 'balances', cooperativeId: COOP, balances: Object.fromEntries(balances) }));
  lines.push(JSON.stringify({ type: 'footer', transactions: seq, lastHash: prevHash }));
  return lines;
}

describe('the standalone verifier (dist/verify-ledger.cjs) on exports written by transactionLine', () => {
  let dir: string;
  let cli: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'xb-verify-cli-'));
    cli = join(dir, 'verify-ledger.cjs');
    execFileSync('npx', ['rolldown', '-c', 'tools/verify-ledger/rolldown.config.mjs', '-o', cli], {
      cwd: ROOT,
      stdio: 'pipe',
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let files = 0;
  /** Runs the CLI on the lines; chunk: bytes per worker job (the parallel path from 4 chunks on), or the default. */
  const run = (lines: string[], chunk?: number) => {
    const file = join(dir, `export-${++files}.jsonl`);
    writeFileSync(file, lines.join('\n') + '\n');
    const env = { ...process.env };
    if (chunk) env['VERIFY_LEDGER_CHUNK_BYTES'] = String(chunk);
    else delete env['VERIFY_LEDGER_CHUNK_BYTES'];
    return spawnSync('node', [cli, file], { encoding: 'utf8', env });
  };
  /** What the CLI must say about the lines: exactly what verifyExport says. */
  const expected = (lines: string[]) => {
    const r = verifyExport(lines);
    const e = r.error;
    if (r.ok || !e) return { status: 0, says: `OK: ${r.transactions} transactions` };
    return {
      status: 1,
      says: `BROKEN at line ${e.line}${e.seq !== undefined ? ` (transaction #${e.seq}, ${e.idempotencyKey})` : ''}: ${e.message}`,
    };
  };
  // default (8 MB: this small file on the main thread alone), several jobs per worker, about a line per job, a
  // line longer than a chunk
  const CHUNKS = [undefined, 16_384, 4096, 1200, 300];

  const base = exportLines(60);
  const txLine = (seq: number) => base.findIndex((l) => l.includes(`,"seq":${seq},"hash":`));

  it('passes the untouched export on every path, and prints the totals', () => {
    expect(base.join('\n').length).toBeGreaterThan(4 * 16_384); // the parallel path for every chunk size but the default
    for (const chunk of CHUNKS) {
      const out = run(base, chunk);
      expect({ chunk, status: out.status, stderr: out.stderr }).toEqual({ chunk, status: 0, stderr: '' });
      expect(out.stdout).toContain('OK: 120 transactions');
      expect(out.stdout).toContain('Households with a payable account: 5;');
    }
  });

  it('a tampered amount, a deleted posting, swapped transactions (the layout kept): each broken at its entry, on every path', () => {
    // tampered: a payment's two amounts, still balanced (only the hash can tell)
    const pay = txLine(41);
    const amounts = [...base[pay].matchAll(/"amount":(-?\d+)/g)].map((m) => Number(m[1]));
    const tampered = [...base];
    tampered[pay] = base[pay]
      .replace(`"amount":${amounts[0]},`, `"amount":${amounts[0] + 100},`)
      .replace(`"amount":${amounts[1]},`, `"amount":${amounts[1] - 100},`);
    expect(tampered[pay]).not.toBe(base[pay]);

    // deleted: one posting of a settlement, the rest of the line as it was
    const settle = txLine(58);
    const deleted = [...base];
    deleted[settle] = base[settle].replace(/\{"account":"platform:fee_revenue","amount":-\d+,"currency":"CNY"\},/, '');
    expect(deleted[settle]).not.toBe(base[settle]);

    // swapped: two consecutive transactions
    const swapped = [...base];
    [swapped[txLine(77)], swapped[txLine(78)]] = [base[txLine(78)], base[txLine(77)]];

    // forged: a settlement's split changed and its hash recomputed (the split check names it), and a payment
    // changed with its hash recomputed (the next entry's prevHash breaks)
    const forge = (index: number, change: (t: LedgerTransactionContent) => void) => {
      const { type: _type, hash: _hash, ...content } = JSON.parse(base[index]);
      change(content);
      const out = [...base];
      out[index] = transactionLine(content, transactionHash(content));
      return out;
    };
    const forgedSplit = forge(txLine(96), (t) => {
      t.postings[1].amount -= 1;
      t.postings[2].amount += 1;
    });
    const forgedPayment = forge(txLine(101), (t) => {
      t.postings[0].amount += 1;
      t.postings[1].amount -= 1;
    });

    const cases = { tampered, deleted, swapped, forgedSplit, forgedPayment };
    const messages = {
      tampered: [pay + 1, /hash does not match the content: this transaction was changed/],
      deleted: [settle + 1, /hash does not match/],
      swapped: [txLine(77) + 1, /sequence 78 where 77 was expected/],
      forgedSplit: [txLine(96) + 1, /does not follow policy v1/],
      forgedPayment: [txLine(102) + 1, /prevHash does not match/],
    } as const;
    for (const [name, lines] of Object.entries(cases)) {
      const want = expected(lines);
      const [line, message] = messages[name as keyof typeof messages];
      expect(want.says).toContain(`BROKEN at line ${line} `);
      expect(want.says).toMatch(message);
      for (const chunk of CHUNKS) {
        const out = run(lines, chunk);
        expect({ name, chunk, status: out.status, says: out.stderr.split('\n')[0] }).toEqual({ name, chunk, ...want });
      }
    }
  });

  it('an export with lines in the old key order, mixed with the new ones, passes on every path', () => {
    const mixed = base.map((l, i) =>
      i % 3 === 0 && l.startsWith('{"type":"transaction"')
        ? JSON.stringify(
            (({ type, cooperativeId, seq, ...rest }) => ({ type, cooperativeId, seq, ...rest }))(JSON.parse(l)),
          )
        : l,
    );
    expect(mixed.filter((l, i) => l !== base[i]).length).toBeGreaterThan(30);
    for (const chunk of CHUNKS) expect(run(mixed, chunk).stdout).toContain('OK: 120 transactions');
  });
});
