import fc from 'fast-check';
import { allocate } from '../allocation';
import { accountCode } from './ledger';
import { expectedSettlementPostings, type SettlementReference } from './settlement-check';
import { type SharingPolicy, splitLine, validatePolicy } from './sharing-policy';
import { LedgerBuilder } from './testing/ledger-builder';
import { LedgerVerifier, verifyExport } from './verify';

/**
 * Pre-sale deposits in the ledger (issue 17), as the API writes them: each buyer's deposit order is paid into the
 * cooperative's clearing account (a liability: no revenue, nothing settled); a cancelled pre-sale or an unpaid
 * balance refunds it out of clearing before any settlement; otherwise the balance order is paid too, both complete
 * and settle, and the households get the guaranteed purchase price (保底收购价 × units), split over the two orders by
 * what each cost and over the households by their promises.
 */

const policyArb: fc.Arbitrary<SharingPolicy> = fc
  .record({
    platformFeeBp: fc.integer({ min: 0, max: 2000 }),
    purchaseBp: fc.integer({ min: 0, max: 10000 }),
    dividendBp: fc.integer({ min: 0, max: 10000 }),
    wagesBp: fc.integer({ min: 0, max: 10000 }),
  })
  .map(({ platformFeeBp, purchaseBp, dividendBp, wagesBp }) => {
    const total = Math.max(10000, purchaseBp + dividendBp + wagesBp);
    const s = (x: number) => Math.floor((x * 10000) / total);
    return {
      version: 1,
      platformFeeBp,
      purchase: { kind: 'percent' as const, bp: s(purchaseBp) },
      dividendBp: s(dividendBp),
      wagesBp: s(wagesBp),
      dividendWeights: { registered: 150, monitored: 120, lifted: 100, none: 100 },
    };
  });

const presaleArb = fc
  .record({
    depositFen: fc.integer({ min: 1, max: 20_000 }),
    balanceFen: fc.integer({ min: 0, max: 40_000 }),
    guaranteeBp: fc.integer({ min: 0, max: 10_000 }),
    promises: fc.uniqueArray(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 6 }),
    promised: fc.array(fc.integer({ min: 1, max: 500 }), { minLength: 6, maxLength: 6 }),
    buyers: fc.array(
      fc.record({
        quantity: fc.integer({ min: 1, max: 5 }),
        outcome: fc.constantFrom('refunded', 'settled', 'pending'),
        feeBp: fc.integer({ min: 0, max: 200 }),
      }),
      { minLength: 1, maxLength: 8 },
    ),
  })
  .map((p) => ({
    ...p,
    guaranteedFen: Math.floor(((p.depositFen + p.balanceFen) * p.guaranteeBp) / 10_000),
    supplies: Object.fromEntries(
      p.promises.map((h, i) => [`00000000-0000-4000-8000-00000000000${h}`, p.promised[i]] as const),
    ),
  }));

const COOP = '11111111-1111-4111-8111-111111111111';
const sumPostings = (t: { postings: { amount: number }[] }) => t.postings.reduce((s, p) => s + p.amount, 0);
const lineOf = (gross: number, feeBp: number) => Math.floor((gross * feeBp) / 10_000);

/** The bytes path of the verifier (as the CLI reads a file): the same verdict as the reference. */
function viaBytes(lines: string[]) {
  const bytes = new TextEncoder().encode(lines.join('\n') + '\n');
  const v = new LedgerVerifier();
  let at = 0;
  let n = 0;
  for (let i = 0; i < bytes.length; i++)
    if (bytes[i] === 10) {
      v.pushBytes(bytes, at, i, ++n);
      at = i + 1;
    }
  return v.finish();
}

describe('pre-sale deposits and the guaranteed purchase in the ledger (property tests)', () => {
  it('a line with a guarantee: parts = whole, purchase = min(net, guarantee), the cooperative carries the difference', () => {
    fc.assert(
      fc.property(
        policyArb,
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 6_000_000 }),
        (policy, grossFen, feeBp, guaranteed) => {
          expect(validatePolicy(policy)).toEqual([]);
          const supplies = [
            { householdId: 'a', quantity: 3 },
            { householdId: 'b', quantity: 2 },
          ];
          const line = { grossFen, processingFeeFen: lineOf(grossFen, feeBp), quantity: 1, supplies };
          const g = splitLine({ ...line, guaranteedPurchaseFen: guaranteed }, policy);
          const plain = splitLine(line, policy);
          const parts = [g.processingFeeFen, g.platformFeeFen, g.purchaseFen, g.dividendFen, g.wagesFen, g.retainedFen];
          parts.forEach((x) => expect(x).toBeGreaterThanOrEqual(0));
          expect(parts.reduce((a, b) => a + b, 0)).toBe(grossFen);
          expect(g.purchaseFen).toBe(Math.min(g.netFen, guaranteed));
          expect(g.purchaseByHousehold.reduce((a, h) => a + h.amount, 0)).toBe(g.purchaseFen);
          // never the fees: the platform and the processor get what they get without a guarantee
          expect([g.processingFeeFen, g.platformFeeFen]).toEqual([plain.processingFeeFen, plain.platformFeeFen]);
          // a guarantee above the policy's purchase comes out of retained first, then wages, then the dividend
          if (g.purchaseFen >= plain.purchaseFen) {
            expect(g.dividendFen).toBeLessThanOrEqual(plain.dividendFen);
            expect(g.wagesFen).toBeLessThanOrEqual(plain.wagesFen);
            expect(g.retainedFen).toBeLessThanOrEqual(plain.retainedFen);
            if (g.wagesFen < plain.wagesFen) expect(g.retainedFen).toBe(0);
            if (g.dividendFen < plain.dividendFen) expect(g.wagesFen).toBe(0);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('deposits, refunds, balances and settlements: debits = credits, parts = whole, deposits held until settled, the export verifies', () => {
    fc.assert(
      fc.property(policyArb, presaleArb, (policy, p) => {
        const b = new LedgerBuilder(COOP, policy);
        const households = Object.keys(p.supplies);
        let held = 0; // deposits and balances paid, not refunded, not settled: the clearing account's liability
        let guaranteedTotal = 0;
        let settledGross = 0;
        p.buyers.forEach((buyer, i) => {
          const q = buyer.quantity;
          const deposit = `d${i}-0000-4000-8000-000000000000`;
          const balance = `b${i}-0000-4000-8000-000000000000`;
          b.payment(deposit, p.depositFen * q);
          held += p.depositFen * q;
          if (buyer.outcome === 'refunded') {
            b.refund(deposit, `r${i}`, p.depositFen * q);
            held -= p.depositFen * q;
            return;
          }
          if (buyer.outcome === 'pending') return; // deposit paid, harvest not in: nothing else may happen
          if (p.balanceFen > 0) b.payment(balance, p.balanceFen * q);
          held += p.balanceFen * q;
          // the guarantee over the two orders by what each cost (PresaleService.settlementTerms)
          const parts = allocate(p.guaranteedFen * q, [
            { key: 'deposit', weight: p.depositFen * q },
            { key: 'balance', weight: p.balanceFen * q },
          ]);
          expect(parts.reduce((s, x) => s + x.amount, 0)).toBe(p.guaranteedFen * q);
          const orders: [string, number, number][] = [[deposit, p.depositFen * q, parts[0].amount]];
          if (p.balanceFen > 0) orders.push([balance, p.balanceFen * q, parts[1].amount]);
          for (const [orderId, gross, guaranteedFen] of orders) {
            const t = b.settlement(orderId, lineOf(gross, buyer.feeBp), [
              { grossFen: gross, quantity: q, supplies: p.supplies, guaranteedFen },
            ]);
            const purchased = t.postings
              .filter((x) => x.account.includes(':household:'))
              .reduce((s, x) => s - x.amount, 0);
            // what reaches the households is the guarantee, or all of the net when the net is smaller
            const net = gross - lineOf(gross, buyer.feeBp) - Math.floor((gross * policy.platformFeeBp) / 10_000);
            expect(purchased).toBe(Math.min(guaranteedFen, Math.max(0, Math.min(net, gross))));
            guaranteedTotal += guaranteedFen;
            settledGross += gross;
          }
        });
        for (const t of b.txs) expect(sumPostings(t)).toBe(0);
        // deposits (and balances) not settled are held in clearing, neither revenue nor owed to anyone
        expect(held - settledGross + b.balance(accountCode.clearing(COOP))).toBe(0);
        const owed = households.reduce((s, h) => s - b.balance(accountCode.householdPayable(COOP, h)), 0);
        expect(owed).toBeLessThanOrEqual(guaranteedTotal);
        const lines = b.lines();
        const ref = verifyExport(lines);
        expect(ref).toMatchObject({ ok: true });
        expect(viaBytes(lines).ok).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('a settlement that ignores its guarantee (or pays more than it) is caught, by both verifier paths', () => {
    const policy: SharingPolicy = {
      version: 1,
      platformFeeBp: 300,
      purchase: { kind: 'percent', bp: 3000 },
      dividendBp: 800,
      wagesBp: 1000,
      dividendWeights: { registered: 150, monitored: 120, lifted: 100, none: 100 },
    };
    for (const cheat of ['ignored', 'inflated'] as const) {
      const b = new LedgerBuilder(COOP, policy);
      b.payment('o1', 12_000);
      const ref: SettlementReference = {
        orderId: 'o1',
        policyVersion: 1,
        feeFen: 72,
        lines: [
          {
            lineId: 'o1-l1',
            grossFen: 12_000,
            quantity: 2,
            supplies: [{ householdId: 'h1', quantity: 5 }],
            guaranteedFen: 10_000,
          },
        ],
      };
      const honest = expectedSettlementPostings(COOP, ref, policy);
      const wrong = expectedSettlementPostings(
        COOP,
        {
          ...ref,
          lines: [{ ...ref.lines[0], guaranteedFen: cheat === 'ignored' ? undefined : 11_000 }],
        },
        policy,
      );
      expect(wrong).not.toEqual(honest);
      b.append('settlement', 'settle:order:o1', ref as unknown as Record<string, unknown>, [
        ...[...wrong].map(([account, amount]) => ({ account, amount })),
      ]);
      const lines = b.lines();
      const verdict = verifyExport(lines);
      expect(verdict.ok).toBe(false);
      expect(JSON.stringify(verdict)).toMatch(/does not follow policy/);
      expect(viaBytes(lines).ok).toBe(false);
    }
  });
});
