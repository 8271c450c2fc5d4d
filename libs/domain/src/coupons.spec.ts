import fc from 'fast-check';
import { couponDiscount, linesAsPaid, rankCoupons } from './coupons';
import { accountCode, householdOfAccount } from './ledger/ledger';
import { reversalDebits } from './ledger/money-rules';
import { expectedSettlementPostings, type SettlementReference } from './ledger/settlement-check';
import { splitLine, type SharingPolicy } from './ledger/sharing-policy';
import { LedgerBuilder, TEST_POLICY } from './ledger/testing/ledger-builder';
import { verifyExport } from './ledger/verify';

const COOP = 'c0ffee00-0000-4000-8000-00000000c0de';
const HOUSEHOLDS = ['h-a', 'h-b', 'h-c'];

describe('a coupon’s discount', () => {
  it('is nothing below the threshold, its amount above, and never the whole order', () => {
    expect(couponDiscount(4999, { amountOffFen: 500, minSpendFen: 5000 })).toBe(0);
    expect(couponDiscount(5000, { amountOffFen: 500, minSpendFen: 5000 })).toBe(500);
    expect(couponDiscount(300, { amountOffFen: 500, minSpendFen: 0 })).toBe(299);
    expect(couponDiscount(1, { amountOffFen: 500, minSpendFen: 0 })).toBe(0);
  });

  it('is never negative and always leaves at least one fen to pay', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        (amount, off, min) => {
          const d = couponDiscount(amount, { amountOffFen: off, minSpendFen: min });
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(off);
          if (d > 0) expect(amount - d).toBeGreaterThanOrEqual(1);
          if (amount < min) expect(d).toBe(0);
        },
      ),
    );
  });

  it('the best first: largest discount, then the one ending first, only the order’s cooperative', () => {
    const held = [
      { id: 'a', cooperativeId: 'c1', amountOffFen: 300, minSpendFen: 0, validUntil: null },
      { id: 'b', cooperativeId: 'c1', amountOffFen: 1000, minSpendFen: 10_000, validUntil: null },
      { id: 'c', cooperativeId: 'c1', amountOffFen: 300, minSpendFen: 0, validUntil: '2026-12-08T00:00:00.000Z' },
      { id: 'd', cooperativeId: 'c2', amountOffFen: 5000, minSpendFen: 0, validUntil: null },
    ];
    expect(rankCoupons(held, 'c1', 5900).map((c) => c.id)).toEqual(['c', 'a']);
    expect(rankCoupons(held, 'c1', 11_800).map((c) => [c.id, c.discountFen])).toEqual([
      ['b', 1000],
      ['c', 300],
      ['a', 300],
    ]);
  });
});

const linesArb = fc.array(
  fc.record({
    amountFen: fc.integer({ min: 1, max: 2_000_000 }),
    quantity: fc.integer({ min: 1, max: 20 }),
    supplies: fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 3, maxLength: 3 }),
  }),
  { minLength: 1, maxLength: 5 },
);

/**
 * The ledger with coupons (money.md: household shares are computed on what the buyer actually paid): an order whose
 * coupon took `d` off is paid `listed − d`; its settlement splits the lines as paid (the discount off each in
 * proportion); refunds before and after settlement follow. Whatever the amounts: every transaction balances
 * (debits = credits), the parts add up to the whole, clearing ends at zero, the verifier accepts the export, and no
 * account is credited more than it would be without the coupon.
 */
describe('ledger with coupons (property)', () => {
  it('parts = whole, debits = credits, shares on what was paid, the export verifies', () => {
    fc.assert(
      fc.property(
        linesArb,
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 3000 }),
        (raw, off, refundBeforePct, refundAfterPct, feeFen) => {
          const lines = raw.map((l, i) => ({ ...l, lineId: `o1-l${i + 1}` }));
          const listed = lines.reduce((x, l) => x + l.amountFen, 0);
          const discount = couponDiscount(listed, { amountOffFen: off, minSpendFen: 0 });
          const paid = listed - discount;

          const asPaid = linesAsPaid(lines, paid);
          // parts = whole, none negative, none above its listed amount
          expect(asPaid.reduce((x, l) => x + l.amountFen, 0)).toBe(paid);
          asPaid.forEach((l, i) => {
            expect(l.amountFen).toBeGreaterThanOrEqual(0);
            expect(l.amountFen).toBeLessThanOrEqual(lines[i].amountFen);
          });

          const b = new LedgerBuilder(COOP, TEST_POLICY);
          b.payment('o1', paid);
          const before = Math.floor((paid * refundBeforePct) / 200);
          if (before > 0) b.refund('o1', 'r1', before);
          // refunds before settlement come off the paid lines in proportion (as the API does)
          const left = linesAsPaid(asPaid, paid - before);
          const fee = Math.min(feeFen, paid - before);
          const supplied = (s: number[]) => Object.fromEntries(HOUSEHOLDS.map((h, k) => [h, s[k]]));
          const settled = b.settlement(
            'o1',
            fee,
            left.map((l) => ({ grossFen: l.amountFen, quantity: l.quantity, supplies: supplied(l.supplies) })),
          );
          const after = Math.floor(((paid - before) * refundAfterPct) / 200);
          if (after > 0) b.reversal('o1', 'r2', after);

          for (const t of b.txs) expect(t.postings.reduce((x, p) => x + p.amount, 0)).toBe(0);
          // the settlement moves exactly what the buyer paid (less refunds) out of clearing
          expect(b.balance(accountCode.clearing(COOP))).toBe(0);
          const credited = settled.postings.filter((p) => p.amount < 0).reduce((x, p) => x - p.amount, 0);
          expect(credited).toBe(paid - before);
          // households: exactly the split of what was paid, line by line
          const households = settled.postings
            .filter((p) => householdOfAccount(p.account))
            .reduce((x, p) => x - p.amount, 0);
          const expectedPurchase = left.reduce(
            (x, l) =>
              x +
              splitLine(
                {
                  grossFen: l.amountFen,
                  processingFeeFen: 0,
                  quantity: l.quantity,
                  supplies: HOUSEHOLDS.map((h, k) => ({ householdId: h, quantity: l.supplies[k] })),
                },
                TEST_POLICY,
              ).purchaseFen,
            0,
          );
          // the split of what was paid (a processing fee only makes the purchase smaller)
          expect(households).toBeLessThanOrEqual(expectedPurchase);
          // never more to households than the same order without the coupon would have given
          const withoutCoupon = lines.reduce(
            (x, l) =>
              x +
              splitLine(
                {
                  grossFen: l.amountFen,
                  processingFeeFen: 0,
                  quantity: l.quantity,
                  supplies: HOUSEHOLDS.map((h, k) => ({ householdId: h, quantity: l.supplies[k] })),
                },
                TEST_POLICY,
              ).purchaseFen,
            0,
          );
          expect(households).toBeLessThanOrEqual(withoutCoupon);

          const r = verifyExport(b.lines());
          expect(r.breaks).toEqual([]);
          expect(r.ok).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

/**
 * A coupon the platform carries (sharing policy `couponCarrier: 'platform'`): the settlement records the discount and
 * the platform pays it into the cooperative's retained earnings — the households' shares stay those of what the buyer
 * paid, clearing still ends at zero, debits = credits, and the export (its policy saying who carries) verifies; a
 * settlement that books a subsidy its policy does not grant is caught.
 */
describe('a coupon the platform carries (property)', () => {
  const PLATFORM: SharingPolicy = { ...TEST_POLICY, couponCarrier: 'platform' };

  const settleWith = (b: LedgerBuilder, policy: SharingPolicy, ref: SettlementReference) => {
    const postings = [...expectedSettlementPostings(COOP, ref, policy)].map(([account, amount]) => ({
      account,
      amount,
    }));
    return b.append('settlement', `settle:order:${ref.orderId}`, ref as unknown as Record<string, unknown>, postings);
  };

  it('the platform pays the discount to retained; households as without it; the export verifies', () => {
    fc.assert(
      fc.property(
        linesArb,
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 0, max: 100 }),
        (raw, off, pct) => {
          const lines = raw.map((l, i) => ({ ...l, lineId: `o1-l${i + 1}` }));
          const listed = lines.reduce((x, l) => x + l.amountFen, 0);
          const discount = couponDiscount(listed, { amountOffFen: off, minSpendFen: 0 });
          fc.pre(discount > 0);
          const paid = listed - discount;
          const ref: SettlementReference = {
            orderId: 'o1',
            policyVersion: 1,
            feeFen: 0,
            couponDiscountFen: discount,
            lines: linesAsPaid(lines, paid).map((l) => ({
              lineId: l.lineId,
              grossFen: l.amountFen,
              quantity: l.quantity,
              supplies: HOUSEHOLDS.map((h, k) => ({ householdId: h, quantity: l.supplies[k] })),
            })),
          };
          const b = new LedgerBuilder(COOP, PLATFORM);
          b.payment('o1', paid);
          const settled = settleWith(b, PLATFORM, ref);
          expect(settled.postings.reduce((x, p) => x + p.amount, 0)).toBe(0);
          expect(b.balance(accountCode.clearing(COOP))).toBe(0);
          expect(b.balance(accountCode.couponSubsidies())).toBe(discount);
          // the same split carried by the cooperative: only retained differs, by the discount
          const coop = expectedSettlementPostings(COOP, ref, TEST_POLICY);
          for (const p of settled.postings) {
            const diff = p.account === accountCode.retained(COOP) ? -discount : 0;
            if (p.account !== accountCode.couponSubsidies()) expect(p.amount).toBe((coop.get(p.account) ?? 0) + diff);
          }
          // a refund after settlement reverses by the rule, within what was paid
          const amount = Math.floor((paid * pct) / 100);
          if (amount > 0) {
            const credited = settled.postings
              .filter((p) => p.amount < 0)
              .map((p) => ({ key: p.account, weight: -p.amount }));
            b.append(
              'reversal',
              'reversal:r1',
              {
                orderId: 'o1',
                refundId: 'r1',
                amountFen: amount,
                reverses: 'settle:order:o1',
                reversesSeq: settled.seq,
              },
              [
                ...[...reversalDebits(credited, 0, amount)].map(([account, a]) => ({ account, amount: a })),
                { account: accountCode.pspReceivable(), amount: -amount },
              ],
            );
          }
          const r = verifyExport(b.lines());
          expect(r.breaks).toEqual([]);
          expect(r.ok).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a subsidy the policy does not grant is caught by the verifier', () => {
    const b = new LedgerBuilder(COOP, TEST_POLICY); // the cooperative carries coupons
    b.payment('o1', 4900);
    const ref: SettlementReference = {
      orderId: 'o1',
      policyVersion: 1,
      feeFen: 0,
      couponDiscountFen: 1000,
      lines: [{ lineId: 'o1-l1', grossFen: 4900, quantity: 1, supplies: [{ householdId: 'h-a', quantity: 10 }] }],
    };
    settleWith(b, PLATFORM, ref); // written as if the platform paid
    const r = verifyExport(b.lines());
    expect(r.ok).toBe(false);
    expect(r.error?.message).toMatch(/coupon_subsidies|does not follow policy/);
  });
});
