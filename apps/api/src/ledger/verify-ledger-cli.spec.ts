import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  const write = (lines: string[]) => {
    const file = join(dir, `export-${++files}.jsonl`);
    writeFileSync(file, lines.join('\n') + '\n');
    return file;
  };
  const run = (lines: string[], chunk?: number, args: string[] = []) => {
    const file = write(lines);
    const env = { ...process.env };
    if (chunk) env['VERIFY_LEDGER_CHUNK_BYTES'] = String(chunk);
    else delete env['VERIFY_LEDGER_CHUNK_BYTES'];
    return spawnSync('node', [cli, file, ...args], { encoding: 'utf8', env });
  };
  /** What the CLI must say about the lines: exactly what verifyExport says (every break, one per line). */
  const expected = (lines: string[]) => {
    const r = verifyExport(lines);
    if (r.ok) return { status: 0, says: `OK: ${r.transactions} transactions`, all: [] as string[] };
    const all = r.breaks.map(
      (e) =>
        `BROKEN at line ${e.line}${e.seq !== undefined ? ` (transaction #${e.seq}${e.idempotencyKey !== undefined ? `, ${e.idempotencyKey}` : ''})` : ''}: ${e.message}`,
    );
    return { status: 1, says: all[0], all };
  };
  const breaksOf = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('BROKEN'));
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
        expect({ name, chunk, status: out.status, says: out.stderr.split('\n')[0], all: breaksOf(out.stderr) }).toEqual(
          {
            name,
            chunk,
            ...want,
          },
        );
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

  it('money rules on every path: a settlement without payment, a doubled payment, an overdrawn payout, all listed', () => {
    const lines = [...base];
    // drop a payment (its settlement is then without payment) and re-chain the rest as a forger would
    const { type: _t, hash: _h, ...dropped } = JSON.parse(base[txLine(51)]);
    void _t;
    void _h;
    const txs = base.filter((l) => l.startsWith('{"type":"transaction"')).map((l) => JSON.parse(l));
    const kept = txs.filter((t) => t.seq !== dropped.seq);
    // a payout of more than household h-2 was ever owed, appended
    kept.push({
      cooperativeId: COOP,
      idempotencyKey: 'payout:p-1',
      kind: 'payout',
      occurredAt: '2026-02-01T00:00:00.000Z',
      reference: { payoutId: 'p-1', householdId: 'h-2', channel: 'bank', paidOn: '2026-02-01' },
      postings: [
        { account: accountCode.householdPayable(COOP, 'h-2'), amount: 99_999_999, currency: 'CNY' },
        { account: accountCode.paidOut(COOP), amount: -99_999_999, currency: 'CNY' },
      ],
    });
    let prevHash = GENESIS_HASH;
    const balances = new Map<string, number>();
    const rechained = kept.map((t, i) => {
      const { type: _type, hash: _hash, ...content } = t;
      void _type;
      void _hash;
      const c = { ...content, seq: i + 1, prevHash };
      const hash = transactionHash(c);
      prevHash = hash;
      for (const p of c.postings) balances.set(p.account, (balances.get(p.account) ?? 0) + p.amount);
      return transactionLine(c, hash);
    });
    lines.splice(2, lines.length - 2, ...rechained);
    lines.push(JSON.stringify({ type: 'balances', cooperativeId: COOP, balances: Object.fromEntries(balances) }));
    lines.push(JSON.stringify({ type: 'footer', transactions: rechained.length, lastHash: prevHash }));
    const want = expected(lines);
    expect(want.all).toEqual([
      expect.stringMatching(/^BROKEN at line 53 \(transaction #51, settle:order:.*\): settlement without payment/),
      expect.stringMatching(/^BROKEN at line 122 \(transaction #120, payout:p-1\): payout above what was owed/),
    ]);
    for (const chunk of CHUNKS) {
      const out = run(lines, chunk);
      expect({ chunk, status: out.status, all: breaksOf(out.stderr) }).toEqual({ chunk, status: 1, all: want.all });
    }
  });

  it('--head and --previous: a dropped tail, a forged append and a rewritten older part are caught', () => {
    const last = JSON.parse(base[txLine(120)]);
    const head = `120:${last.hash}`;
    expect(run(base, undefined, ['--head', head]).status).toBe(0);
    expect(run(base, 4096, ['--head', head]).stdout).toContain('Matches 1 published head(s) (ends at #120)');

    // dropped tail: the last 2 transactions gone, balances and footer recomputed (valid on its own)
    const short = verifyExport(base).ok ? base.slice(0, txLine(118) + 1) : [];
    const txs = short.filter((l) => l.startsWith('{"type":"transaction"')).map((l) => JSON.parse(l));
    const balances = new Map<string, number>();
    for (const t of txs) for (const p of t.postings) balances.set(p.account, (balances.get(p.account) ?? 0) + p.amount);
    short.push(JSON.stringify({ type: 'balances', cooperativeId: COOP, balances: Object.fromEntries(balances) }));
    short.push(JSON.stringify({ type: 'footer', transactions: 118, lastHash: txs[txs.length - 1].hash }));
    expect(run(short).status).toBe(0);
    for (const chunk of CHUNKS) {
      const out = run(short, chunk, [`--head=${head}`]);
      expect({ chunk, status: out.status }).toEqual({ chunk, status: 1 });
      expect(out.stderr).toMatch(/published head is transaction #120, but this chain ends at #118/);
    }

    // forged append: against the head of the shorter chain, the full export has 2 unanchored transactions
    const shortHead = `118:${txs[txs.length - 1].hash}`;
    const out = run(base, 4096, ['--head', shortHead]);
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/2 transaction\(s\) after the published head #118/);

    // --previous: the shorter export is a prefix of the full one; a changed older export is not
    const older = write(short);
    expect(run(base, 4096, ['--previous', older, '--head', head]).status).toBe(0);
    // an older export whose history was rewritten (transaction #100 changed, everything after it re-hashed)
    const rewritten = short.filter((l) => !l.startsWith('{"type":"transaction"'));
    let prev = txs[98].hash;
    const again = txs.map((t) => {
      const { type: _type, hash: _hash, ...content } = t;
      void _type;
      void _hash;
      if (t.seq < 100) return transactionLine(content, t.hash);
      if (t.seq === 100) content.occurredAt = '2026-03-01T00:00:00.000Z';
      content.prevHash = prev;
      prev = transactionHash(content);
      return transactionLine(content, prev);
    });
    rewritten.splice(2, 0, ...again);
    rewritten[rewritten.length - 1] = JSON.stringify({ type: 'footer', transactions: 118, lastHash: prev });
    const otherPrefix = write(rewritten);
    expect(run(rewritten).status).toBe(0); // valid on its own
    const r = run(base, 4096, ['--previous', otherPrefix]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/transaction #118 has hash .* the published head says/);
    expect(run(base, undefined, ['--head', '12:xyz']).status).toBe(2);
  });

  it('the committed test vectors (docs/ledger-vectors): the CLI reaches the committed verdict on each', () => {
    const vectors = join(ROOT, 'docs/ledger-vectors');
    const expectedVerdicts: { file: string; heads: string[]; ok: boolean; breaks: { line: number }[] }[] = JSON.parse(
      readFileSync(join(vectors, 'expected.json'), 'utf8'),
    );
    expect(expectedVerdicts.length).toBeGreaterThanOrEqual(9);
    for (const e of expectedVerdicts) {
      const args = e.heads.flatMap((h) => ['--head', h]);
      const out = spawnSync('node', [cli, join(vectors, e.file), ...args], { encoding: 'utf8' });
      expect({
        file: e.file,
        status: out.status,
        lines: breaksOf(out.stderr).map((l) => Number(/line (\d+)/.exec(l)?.[1])),
      }).toEqual({
        file: e.file,
        status: e.ok ? 0 : 1,
        lines: e.breaks.map((b) => b.line),
      });
    }
  });

  it('prints what reached each registry status and what was paid out (good-registry), and that confirmations are not in the export', () => {
    const out = spawnSync('node', [cli, join(ROOT, 'docs/ledger-vectors/good-registry.jsonl')], { encoding: 'utf8' });
    expect(out.status).toBe(0);
    const rows = out.stdout.split('\n').filter((l) => l.startsWith('  '));
    expect(rows).toEqual([
      expect.stringMatching(
        /^ {2}registered 建档立卡 +credited ¥29\.04 \(2904 fen\); reversed ¥0\.00; paid out ¥20\.00 \(2000 fen\); still owed ¥9\.04\.$/,
      ),
      expect.stringMatching(
        /^ {2}monitored 监测 +credited ¥64\.42 \(6442 fen\); reversed ¥6\.27; paid out ¥30\.00 \(3000 fen\); still owed ¥28\.15\.$/,
      ),
      expect.stringMatching(
        /^ {2}none 一般 +credited ¥18\.17 \(1817 fen\); reversed ¥0\.00; paid out ¥0\.00 \(0 fen\); still owed ¥18\.17\.$/,
      ),
      expect.stringContaining('Confirmations of receipt by households are not in the export'),
    ]);
    // the same through the worker threads (a job per few lines): the statuses travel with the facts
    const registryLines = readFileSync(join(ROOT, 'docs/ledger-vectors/good-registry.jsonl'), 'utf8')
      .trimEnd()
      .split('\n');
    for (const chunk of [1200, 300]) {
      const viaWorkers = run(registryLines, chunk);
      expect({
        chunk,
        status: viaWorkers.status,
        rows: viaWorkers.stdout.split('\n').filter((l) => l.startsWith('  ')),
      }).toEqual({ chunk, status: 0, rows });
    }
    // an export from before the statuses were kept: its credits are "not recorded"
    const older = spawnSync('node', [cli, join(ROOT, 'docs/ledger-vectors/good.jsonl')], { encoding: 'utf8' });
    expect(older.status).toBe(0);
    expect(older.stdout).toMatch(/not recorded \(older entries\) +credited/);
    expect(older.stdout).not.toContain('registered 建档立卡');
  });
});
