import { accountCode, canonicalJson, GENESIS_HASH, LedgerTransaction, seal, transactionHash } from './ledger';
import { SharingPolicy } from './sharing-policy';
import { expectedSettlementPostings, SettlementReference, verifyExport } from './verify';

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
    push('payment', `pay:o${i}`, { orderId: `o${i}` }, [
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
    ...txs.map((t) => JSON.stringify({ type: 'transaction', ...t })),
    JSON.stringify({ type: 'balances', cooperativeId: COOP, balances }),
    JSON.stringify({ type: 'footer', transactions: txs.length, lastHash: txs[txs.length - 1].hash }),
  ];
}

describe('ledger hashing and the offline verifier', () => {
  it('canonical JSON sorts keys and refuses floats', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 'x', c: null }] })).toBe('{"a":[2,{"c":null,"d":"x"}],"b":1}');
    expect(() => canonicalJson({ a: 1.5 })).toThrow();
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
