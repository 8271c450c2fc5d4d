import fc from 'fast-check';
import { accountCode } from './ledger';
import { shapeProblem } from './money-rules';
import { LedgerBuilder, sampleSeason } from './testing/ledger-builder';
import { LedgerVerifier, verifyExport } from './verify';

/**
 * The processing fee the provider keeps on an order refunded in full before settlement (`refund_fee`,
 * docs/ledger.md): Dr platform:refunded_order_fees, Cr platform:payment_fees, carried by the platform; only for an
 * order paid, never settled and refunded in full; once; and the order can no longer be settled after it.
 */

const H1 = 'a1111111-0000-4000-8000-000000000001';
const encoder = new TextEncoder();

/** The verdict by lines and by bytes (the fast path hands this kind to the reference path): both must agree. */
function verify(lines: string[]) {
  const byLines = verifyExport(lines);
  const v = new LedgerVerifier();
  lines.forEach((l, i) => {
    const b = encoder.encode(l);
    v.pushBytes(b, 0, b.length, i + 1);
  });
  expect(v.finish()).toEqual(byLines);
  return byLines;
}

const brief = (r: ReturnType<typeof verifyExport>) =>
  r.breaks.map((x) => [x.line, x.seq, x.idempotencyKey, x.message.split(':')[0]]);

describe('the fee of an order refunded in full before settlement (refund_fee)', () => {
  it('the worked example of docs/ledger.md: paid ¥59.00, refunded in two parts, the provider kept 35 fen', () => {
    const b = new LedgerBuilder('c0');
    b.payment('o-5', 5900);
    b.refund('o-5', 'r-5a', 900);
    b.refund('o-5', 'r-5b', 5000);
    const fee = b.refundFee('o-5', 35);
    expect(fee.postings).toEqual([
      { account: 'platform:refunded_order_fees', amount: 35, currency: 'CNY' },
      { account: 'platform:payment_fees', amount: -35, currency: 'CNY' },
    ]);
    const r = verify(b.lines());
    expect(r.breaks).toEqual([]);
    // the cooperative's clearing is back to 0: it carries nothing of an order that never happened
    expect(r.balances).toEqual({
      'coop:c0:clearing': 0,
      'platform:psp_receivable': 0,
      'platform:refunded_order_fees': 35,
      'platform:payment_fees': -35,
    });
  });

  it('after a season of every other kind, the export still verifies', () => {
    const b = sampleSeason();
    b.payment('o-4', 3000);
    b.refund('o-4', 'r-4', 3000);
    b.refundFee('o-4', 18);
    expect(verify(b.lines()).breaks).toEqual([]);
  });

  it('its shape: key, reference and postings are those of the spec, nothing else', () => {
    const b = new LedgerBuilder('c0');
    const good = b.refundFee('o-1', 10);
    expect(shapeProblem(good)).toBeNull();
    expect(shapeProblem({ ...good, idempotencyKey: 'refund-fee:order:o-2' })).toMatch(/idempotency key/);
    expect(shapeProblem({ ...good, reference: { orderId: 'o-1', feeFen: 0 } })).toMatch(/positive feeFen/);
    expect(shapeProblem({ ...good, reference: { orderId: 'o-1' } })).toMatch(/positive feeFen/);
    expect(shapeProblem({ ...good, reference: { orderId: 'o-1', feeFen: 11 } })).toMatch(/by its feeFen \(11\)/);
    const retained = [
      { account: accountCode.retained('c0'), amount: 10, currency: 'CNY' as const },
      { account: accountCode.paymentFees(), amount: -10, currency: 'CNY' as const },
    ];
    expect(shapeProblem({ ...good, postings: retained })).toMatch(/debits platform:refunded_order_fees/);
    const reversed = good.postings.map((p) => ({ ...p, amount: -p.amount }));
    expect(shapeProblem({ ...good, postings: reversed })).toMatch(/debits platform:refunded_order_fees/);
  });

  it('refused: without payment, before the refunds reach what was paid, after settlement, above what was paid, twice, and a settlement after it', () => {
    const b = new LedgerBuilder('c0');
    b.refundFee('ghost', 5); // #1: no payment
    b.payment('o-1', 1000); // #2
    b.refund('o-1', 'r-1', 999); // #3
    b.refundFee('o-1', 6); // #4: 1 fen still paid
    b.payment('o-2', 1000); // #5
    b.settlement('o-2', 6, [{ grossFen: 1000, quantity: 1, supplies: { [H1]: 1 } }]); // #6
    b.reversal('o-2', 'r-2', 1000); // #7
    b.refundFee('o-2', 6); // #8: settled, its settlement carried the fee
    b.payment('o-3', 20); // #9
    b.refund('o-3', 'r-3', 20); // #10
    b.refundFee('o-3', 21); // #11: above what was paid
    b.payment('o-4', 500); // #12
    b.refund('o-4', 'r-4', 500); // #13
    b.refundFee('o-4', 3); // #14: fine
    b.refundFee('o-4', 3); // #15: twice
    b.settlement('o-4', 3, [{ grossFen: 500, quantity: 1, supplies: { [H1]: 1 } }]); // #16: after it
    const r = verify(b.lines());
    expect(brief(r)).toEqual([
      [3, 1, 'refund-fee:order:ghost', 'refund_fee of order ghost, which has no payment before it'],
      [6, 4, 'refund-fee:order:o-1', expect.stringMatching(/only ¥9\.99 of ¥10\.00 was refunded/)],
      [10, 8, 'refund-fee:order:o-2', expect.stringMatching(/but it was settled \(#6\)/)],
      [13, 11, 'refund-fee:order:o-3', expect.stringMatching(/\(¥0\.21\) is above what was paid \(¥0\.20\)/)],
      [17, 15, 'refund-fee:order:o-4', 'duplicate idempotency key refund-fee'],
      [18, 16, 'settle:order:o-4', expect.stringMatching(/refunded in full before settlement .* #14/)],
    ]);
  });

  it('property: every transaction balances (debits = credits), the verifier accepts exactly the fees of orders refunded in full', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            total: fc.integer({ min: 1, max: 5_000_000 }),
            parts: fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 4 }),
            refundAll: fc.boolean(),
            feeBp: fc.integer({ min: 0, max: 10000 }),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        (orders) => {
          const b = new LedgerBuilder('c0');
          const fullyRefunded: string[] = [];
          let feesBooked = 0;
          orders.forEach((o, n) => {
            const id = `o-${n}`;
            b.payment(id, o.total);
            // refunds in parts summing to the total (or one fen short)
            const target = o.refundAll ? o.total : o.total - 1;
            const weight = o.parts.reduce((s, x) => s + x, 0);
            let left = target;
            o.parts.forEach((w, k) => {
              const part = k === o.parts.length - 1 ? left : Math.min(left, Math.floor((target * w) / weight));
              if (part > 0) b.refund(id, `r-${n}-${k}`, part);
              left -= part;
            });
            const fee = Math.max(1, Math.floor((o.total * o.feeBp) / 10000));
            b.refundFee(id, fee);
            if (o.refundAll) {
              fullyRefunded.push(id);
              feesBooked += fee;
            }
          });
          for (const t of b.txs) expect(t.postings.reduce((s, p) => s + p.amount, 0)).toBe(0);
          const r = verifyExport(b.lines());
          const refused = r.breaks.map((x) => x.idempotencyKey);
          const partial = orders.map((o, n) => (o.refundAll ? null : `refund-fee:order:o-${n}`)).filter(Boolean);
          expect(refused).toEqual(partial);
          // what the platform carries is exactly the fees of the orders refunded in full… plus the refused
          // entries' (the verifier names them; their postings still count in the balances it recomputes)
          const refusedFees = b.txs
            .filter((t) => t.kind === 'refund_fee' && refused.includes(t.idempotencyKey))
            .reduce((s, t) => s + (t.reference.feeFen as number), 0);
          expect(r.balances['platform:refunded_order_fees']).toBe(feesBooked + refusedFees);
          expect(r.balances['platform:refunded_order_fees']).toBe(-r.balances['platform:payment_fees']);
          expect(fullyRefunded.every((id) => !refused.includes(`refund-fee:order:${id}`))).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("a payout's paymentReference (the bank or receipt reference typed in)", () => {
  it('is hashed with the entry; a payout without it (recorded before it was kept) still verifies; a bad one is named', () => {
    const b = new LedgerBuilder('c0');
    b.payment('o-1', 10000);
    b.settlement('o-1', 60, [{ grossFen: 10000, quantity: 1, supplies: { [H1]: 1 } }]);
    const withRef = b.payout('p-1', H1, 1000); // paymentReference BANK-p-1
    expect(withRef.reference.paymentReference).toBe('BANK-p-1');
    // an older payout: the same shape without the member
    const older = b.append(
      'payout',
      'payout:p-0',
      { payoutId: 'p-0', householdId: H1, channel: 'cash', paidOn: '2026-09-01' },
      [
        { account: accountCode.householdPayable('c0', H1), amount: 500 },
        { account: accountCode.paidOut('c0'), amount: -500 },
      ],
    );
    expect(shapeProblem(older)).toBeNull();
    expect(verify(b.lines()).breaks).toEqual([]);
    for (const bad of ['', '   ', 'x'.repeat(101), 42, null]) {
      expect(shapeProblem({ ...withRef, reference: { ...withRef.reference, paymentReference: bad } })).toMatch(
        /paymentReference, when present/,
      );
    }
    expect(
      shapeProblem({ ...withRef, reference: { ...withRef.reference, paymentReference: '农行回单 №0042 😀' } }),
    ).toBeNull();
  });
});
