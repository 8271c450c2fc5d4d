import {
  accountCode,
  canonicalJson,
  canonicalJsonSlow,
  GENESIS_HASH,
  LedgerTransaction,
  seal,
  transactionHash,
  transactionLine,
} from './ledger';
import { SharingPolicy } from './sharing-policy';
import {
  expectedSettlementPostings,
  LedgerVerifier,
  SettlementReference,
  TransactionRun,
  verifyExport,
  type VerifyResult,
} from './verify';

const COOP = 'c0';
const policy: SharingPolicy = {
  version: 1,
  platformFeeBp: 300,
  purchase: { kind: 'percent', bp: 6500 },
  dividendBp: 700,
  wagesBp: 500,
  dividendWeights: { registered: 150, monitored: 150, lifted: 100, none: 100 },
};

function buildChain(orders: number): LedgerTransaction[] {
  const txs: LedgerTransaction[] = [];
  let prev = GENESIS_HASH;
  const push = (
    kind: LedgerTransaction['kind'],
    key: string,
    reference: Record<string, unknown>,
    postings: LedgerTransaction['postings'],
  ) => {
    const t = seal({
      cooperativeId: COOP,
      seq: txs.length + 1,
      idempotencyKey: key,
      kind,
      occurredAt: `2026-11-0${1 + (txs.length % 9)}T00:00:00.000Z`,
      reference,
      postings,
      prevHash: prev,
    });
    txs.push(t);
    prev = t.hash;
  };
  for (let i = 0; i < orders; i++) {
    const gross = 5900 + i;
    push('payment', `pay:order:o${i}`, { orderId: `o${i}` }, [
      { account: accountCode.pspReceivable(), amount: gross, currency: 'CNY' },
      { account: accountCode.clearing(COOP), amount: -gross, currency: 'CNY' },
    ]);
    const ref: SettlementReference = {
      orderId: `o${i}`,
      policyVersion: 1,
      feeFen: 35,
      lines: [
        {
          lineId: `l${i}`,
          grossFen: gross,
          quantity: 1,
          supplies: [
            { householdId: 'h1', quantity: 2 },
            { householdId: 'h2', quantity: 1 },
          ],
        },
      ],
    };
    const postings = [...expectedSettlementPostings(COOP, ref, policy)].map(([account, amount]) => ({
      account,
      amount,
      currency: 'CNY' as const,
    }));
    push('settlement', `settle:order:o${i}`, ref as unknown as Record<string, unknown>, postings);
  }
  return txs;
}

function exportLines(txs: LedgerTransaction[]): string[] {
  const balances: Record<string, number> = {};
  for (const t of txs) for (const p of t.postings) balances[p.account] = (balances[p.account] ?? 0) + p.amount;
  return [
    JSON.stringify({
      type: 'header',
      format: 'xiangbo-ledger/1',
      cooperativeId: COOP,
      exportedAt: '2026-11-22T00:00:00.000Z',
    }),
    JSON.stringify({ type: 'policy', cooperativeId: COOP, policy }),
    ...txs.map(({ hash, ...content }) => transactionLine(content, hash)),
    JSON.stringify({ type: 'balances', cooperativeId: COOP, balances }),
    JSON.stringify({ type: 'footer', transactions: txs.length, lastHash: txs[txs.length - 1].hash }),
  ];
}

describe('ledger hashing and the offline verifier', () => {
  it('canonical JSON sorts keys and refuses floats', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 'x', c: null }] })).toBe('{"a":[2,{"c":null,"d":"x"}],"b":1}');
    expect(() => canonicalJson({ a: 1.5 })).toThrow();
  });

  it('canonical JSON written by JSON.stringify on reordered keys is exactly the member-by-member specification', () => {
    const values: unknown[] = [
      { b: 1, a: [2, { d: 'x', c: null }], é: 'ü', '': true, A: -0, z: { y: {}, x: [] } },
      { '10': 1, '9': 2, b: 3 }, // array-index keys: JSON.stringify would put them first, in numeric order
      { __proto__: null, k: 'v' },
      JSON.parse('{"__proto__": 1, "a": 2}'),
      { a: undefined, b: [1, 'two', false, null], c: '\u2028\n"\\' },
      {
        nested: {
          deeper: {
            deepest: [
              { b: 2, a: 1 },
              { a: 1, b: 2 },
            ],
          },
        },
      },
      'text',
      42,
      [],
      { date: new Date(0) },
      { m: new Map([[1, 2]]) },
      { a: [undefined] },
      { toJSON: 'not a function', b: 1 },
    ];
    for (const v of values) {
      let slow: string | Error;
      try {
        slow = canonicalJsonSlow(v);
      } catch (e) {
        slow = e as Error;
      }
      if (slow instanceof Error) expect(() => canonicalJson(v)).toThrow(slow.message);
      else expect(canonicalJson(v)).toBe(slow);
    }
    const t = buildChain(2)[1];
    expect(canonicalJson(t)).toBe(canonicalJsonSlow(t));
    expect(() => canonicalJson({ a: [{ b: 2 ** 53 }] })).toThrow(/safe integers/);
    expect(() => canonicalJson({ a: () => 1 })).toThrow(/cannot hold function/);
  });

  it('transactions checked in runs (as the CLI worker threads do) and merged give exactly what line by line gives', () => {
    const base = exportLines(buildChain(4));
    const changed = [...base];
    const t = JSON.parse(changed[6]);
    t.postings[0].amount += 1;
    t.postings[1].amount -= 1;
    changed[6] = JSON.stringify(t);
    const noPosting = [...base];
    const u = JSON.parse(noPosting[5]);
    u.postings.pop();
    noPosting[5] = JSON.stringify(u);
    const swapped = [...base];
    [swapped[4], swapped[5]] = [swapped[5], swapped[4]];
    const removed = [...base.slice(0, 7), ...base.slice(8)];
    const otherCoop = [...base];
    otherCoop[3] = JSON.stringify({ ...JSON.parse(base[3]), cooperativeId: 'c9' });
    const midPolicy = [...base.slice(0, 5), base[1], ...base.slice(5)];
    const latePolicy = [base[0], ...base.slice(2, 4), base[1], ...base.slice(4)]; // first settlement before it
    const policyV2 = JSON.stringify({ type: 'policy', cooperativeId: COOP, policy: { ...policy, version: 2 } });
    const morePolicies = [...base.slice(0, 4), policyV2, ...base.slice(4)];
    const afterFooter = [...base, base[4]];
    const noFooter = base.slice(0, -1);
    const blank = [...base.slice(0, 4), '', '  ', ...base.slice(4)];
    const notJson = [...base.slice(0, 6), '{"type":"transaction",', ...base.slice(6)];
    const badSplit = [...base];
    const w = JSON.parse(base[5]);
    w.reference.lines[0].grossFen = -1; // the split refuses it: named as the entry that breaks, in runs too
    badSplit[5] = JSON.stringify({ ...w, hash: transactionHash(w) });
    expect(verifyExport(badSplit).error).toMatchObject({
      line: 6,
      message: expect.stringMatching(/cannot be recomputed/),
    });
    const cases = {
      badSplit,
      base,
      changed,
      noPosting,
      swapped,
      removed,
      otherCoop,
      midPolicy,
      latePolicy,
      morePolicies,
      afterFooter,
      noFooter,
      blank,
      notJson,
    };

    /** Lines 1..head pushed; the rest cut into runs of `size` lines (each stopping at a line that is not a transaction). */
    const inRuns = (lines: string[], head: number, size: number): VerifyResult => {
      const v = new LedgerVerifier();
      let i = 0;
      for (; i < head; i++) v.push(lines[i], i + 1);
      while (i < lines.length) {
        const end = Math.min(lines.length, i + size);
        const context = v.runContext();
        const run = new TransactionRun(context);
        let j = i;
        let stopped = false;
        for (; j < end; j++) {
          const r = run.push(lines[j], j - i + 1);
          if (r === 'broken') break;
          if (r === 'stop') {
            stopped = true;
            break;
          }
        }
        if (!v.canMerge(run.result())) {
          // a run that broke is pushed line by line (to list every break), as the CLI does
          for (; i < end; i++) v.push(lines[i], i + 1);
          continue;
        }
        v.merge(run.result(), i);
        if (stopped) {
          v.push(lines[j], j + 1);
          j++;
        }
        i = j === i ? i + 1 : j;
      }
      return v.finish();
    };
    for (const [name, lines] of Object.entries(cases)) {
      const expected = verifyExport(lines);
      if (name === 'base') expect(expected.ok).toBe(true);
      else
        expect({ name, ok: expected.ok }).toEqual({ name, ok: ['blank', 'midPolicy', 'morePolicies'].includes(name) });
      for (const head of [1, 2, 3])
        for (const size of [1, 2, 3, 5, 100])
          expect({ name, head, size, r: inRuns(lines, head, size) }).toEqual({ name, head, size, r: expected });
    }
  });

  it('an untouched export passes and reports the balances', () => {
    const lines = exportLines(buildChain(5));
    const r = verifyExport(lines);
    expect(r.error).toBeUndefined();
    expect(r.ok).toBe(true);
    expect(r.transactions).toBe(10);
  });

  it('changing an amount fails at that transaction', () => {
    const lines = exportLines(buildChain(5));
    const t = JSON.parse(lines[5]);
    t.postings[0].amount += 1;
    t.postings[1].amount -= 1; // still balances: only the hash can tell
    lines[5] = JSON.stringify(t);
    const r = verifyExport(lines);
    expect(r.ok).toBe(false);
    expect(r.error).toMatchObject({ line: 6, seq: 4 });
    expect(r.error?.message).toMatch(/changed/);
  });

  it('a changed amount with a recomputed hash breaks the chain at the next entry, and the split check catches settlements', () => {
    const txs = buildChain(3);
    const t = {
      ...txs[1],
      postings: txs[1].postings.map((p, i) =>
        i === 0 ? { ...p, amount: p.amount + 10 } : i === 1 ? { ...p, amount: p.amount - 10 } : p,
      ),
    };
    const { hash: _h, ...content } = t;
    const forged = { ...t, hash: transactionHash(content) };
    const lines = exportLines([txs[0], forged, ...txs.slice(2)]);
    const r = verifyExport(lines);
    expect(r.ok).toBe(false);
    expect(r.error?.seq).toBe(2);
    expect(r.error?.message).toMatch(/does not follow policy/);
  });

  it('deleting a posting fails (hash), deleting a transaction fails (sequence), swapping two fails at the first of them', () => {
    const base = exportLines(buildChain(4));
    const noPosting = [...base];
    const t = JSON.parse(noPosting[4]);
    t.postings.pop();
    noPosting[4] = JSON.stringify(t);
    expect(verifyExport(noPosting).error?.line).toBe(5);

    const removed = [...base.slice(0, 4), ...base.slice(5)];
    const r2 = verifyExport(removed);
    expect(r2.error).toMatchObject({ line: 5 });
    expect(r2.error?.message).toMatch(/sequence/);

    const swapped = [...base];
    [swapped[3], swapped[4]] = [swapped[4], swapped[3]];
    const r3 = verifyExport(swapped);
    expect(r3.error).toMatchObject({ line: 4 });
  });

  it('a truncated file fails at the end', () => {
    const lines = exportLines(buildChain(2));
    expect(verifyExport(lines.slice(0, -1)).error?.message).toMatch(/footer is missing/);
  });
});
