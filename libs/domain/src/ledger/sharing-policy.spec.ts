import fc from 'fast-check';
import { allocate, basisPoints } from '../allocation';
import {
  allocateFee,
  allocateQuick,
  bpOf,
  distributeDividend,
  SharingPolicy,
  splitLine,
  validatePolicy,
} from './sharing-policy';

const policyArb: fc.Arbitrary<SharingPolicy> = fc
  .record({
    platformFeeBp: fc.integer({ min: 0, max: 2000 }),
    purchaseKind: fc.constantFrom('percent', 'per_unit'),
    a: fc.integer({ min: 0, max: 10000 }),
    b: fc.integer({ min: 0, max: 10000 }),
    c: fc.integer({ min: 0, max: 10000 }),
    fenPerUnit: fc.integer({ min: 0, max: 20000 }),
    w: fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 4, maxLength: 4 }),
  })
  .map(({ platformFeeBp, purchaseKind, a, b, c, fenPerUnit, w }) => {
    // scale the three percentages so they never exceed 100% together
    const total = Math.max(10000, a + b + c);
    const s = (x: number) => Math.floor((x * 10000) / total);
    return {
      version: 1,
      platformFeeBp,
      purchase:
        purchaseKind === 'percent' ? { kind: 'percent' as const, bp: s(a) } : { kind: 'per_unit' as const, fenPerUnit },
      dividendBp: s(b),
      wagesBp: s(c),
      dividendWeights: { registered: w[0], monitored: w[1], lifted: w[2], none: w[3] },
    };
  });

const suppliesArb = fc.uniqueArray(fc.record({ householdId: fc.uuid(), quantity: fc.integer({ min: 0, max: 500 }) }), {
  maxLength: 8,
  selector: (s) => s.householdId,
});

const lineArb = fc.record({
  grossFen: fc.integer({ min: 0, max: 10_000_000 }),
  feeBp: fc.integer({ min: 0, max: 500 }),
  quantity: fc.integer({ min: 1, max: 300 }),
  supplies: suppliesArb,
});

describe('sharing policy split (property tests)', () => {
  it('parts always add up to the line, none negative, same input → same output', () => {
    fc.assert(
      fc.property(lineArb, policyArb, ({ grossFen, feeBp, quantity, supplies }, policy) => {
        expect(validatePolicy(policy)).toEqual([]);
        const line = { grossFen, processingFeeFen: Math.floor((grossFen * feeBp) / 10000), quantity, supplies };
        const s = splitLine(line, policy);
        const parts = [s.processingFeeFen, s.platformFeeFen, s.purchaseFen, s.dividendFen, s.wagesFen, s.retainedFen];
        parts.forEach((p) => expect(p).toBeGreaterThanOrEqual(0));
        expect(parts.reduce((a, b) => a + b, 0)).toBe(grossFen);
        expect(s.purchaseByHousehold.reduce((a, h) => a + h.amount, 0)).toBe(s.purchaseFen);
        s.purchaseByHousehold.forEach((h) => expect(h.amount).toBeGreaterThanOrEqual(0));
        expect(splitLine(line, policy)).toEqual(s);
      }),
    );
  });

  it('a refund after settlement reverses each part proportionally and exactly (no fen lost or created)', () => {
    fc.assert(
      fc.property(
        lineArb,
        policyArb,
        fc.integer({ min: 0, max: 10000 }),
        ({ grossFen, quantity, supplies }, policy, refundBp) => {
          const s = splitLine({ grossFen, processingFeeFen: 0, quantity, supplies }, policy);
          const refund = Math.floor((grossFen * refundBp) / 10000);
          const credited = [
            { key: 'platform', weight: s.platformFeeFen },
            ...s.purchaseByHousehold.map((h) => ({ key: `hh:${h.householdId}`, weight: h.amount })),
            { key: 'dividend', weight: s.dividendFen },
            { key: 'wages', weight: s.wagesFen },
            { key: 'retained', weight: s.retainedFen },
          ].filter((c) => c.weight > 0);
          if (credited.length === 0) return;
          const back = allocate(Math.min(refund, grossFen), credited);
          expect(back.reduce((a, b) => a + b.amount, 0)).toBe(Math.min(refund, grossFen));
          back.forEach((b, i) => expect(b.amount).toBeLessThanOrEqual(credited[i].weight));
        },
      ),
    );
  });

  it('the example of the brief: ¥59.00, 3 households, purchase 65%, dividend 7%, wages 5%, platform 3%', () => {
    const policy: SharingPolicy = {
      version: 1,
      platformFeeBp: 300,
      purchase: { kind: 'percent', bp: 6500 },
      dividendBp: 700,
      wagesBp: 500,
      dividendWeights: { registered: 150, monitored: 150, lifted: 100, none: 100 },
    };
    const s = splitLine(
      {
        grossFen: 5900,
        processingFeeFen: 35,
        quantity: 1,
        supplies: [
          { householdId: 'a', quantity: 40 },
          { householdId: 'b', quantity: 30 },
          { householdId: 'c', quantity: 30 },
        ],
      },
      policy,
    );
    expect(s.platformFeeFen).toBe(177);
    expect(s.netFen).toBe(5900 - 35 - 177);
    expect(s.purchaseFen).toBe(Math.floor((5688 * 6500) / 10000));
    expect(s.purchaseByHousehold.map((h) => h.amount)).toEqual([1479, 1109, 1109]);
  });

  it('validation refuses parts that could exceed the net amount', () => {
    const ok = {
      platformFeeBp: 300,
      purchase: { kind: 'percent' as const, bp: 6000 },
      dividendBp: 3000,
      wagesBp: 2000,
      dividendWeights: { registered: 100, monitored: 100, lifted: 100, none: 100 },
    };
    expect(validatePolicy(ok).map((p) => p.field)).toEqual(['purchase']);
    expect(validatePolicy({ ...ok, wagesBp: 1000, platformFeeBp: 2500 }).map((p) => p.field)).toEqual([
      'platformFeeBp',
    ]);
  });

  it('fees over lines and dividends over members add up', () => {
    const fees = allocateFee(35, [
      { lineId: 'l1', amountFen: 5900 },
      { lineId: 'l2', amountFen: 1250 },
    ]);
    expect([...fees.values()].reduce((a, b) => a + b, 0)).toBe(35);
    const d = distributeDividend(
      1000,
      [
        { householdId: 'a', shareUnits: 10, status: 'registered' },
        { householdId: 'b', shareUnits: 10, status: 'none' },
      ],
      { registered: 150, monitored: 150, lifted: 100, none: 100 },
    );
    expect(d).toEqual([
      { householdId: 'a', amount: 600 },
      { householdId: 'b', amount: 400 },
    ]);
  });
});

describe('allocateQuick and bpOf (plain-number paths of allocate and basisPoints)', () => {
  it('give exactly what allocate and basisPoints give, on random and edge inputs', () => {
    let x = 20260305;
    const r = (n: number) => {
      x = (x * 1664525 + 1013904223) >>> 0;
      return x % n;
    };
    const outcome = <T>(f: () => T): T | string => {
      try {
        return f();
      } catch (e) {
        return `throws ${(e as Error).message}`;
      }
    };
    const totals = [0, 1, 2, 7, 99, 5900, 123_456_789, 2 ** 40, Number.MAX_SAFE_INTEGER, -5, -5900, 1.5];
    for (let i = 0; i < 20_000; i++) {
      const total = i < totals.length * 50 ? totals[i % totals.length] : r(4) === 0 ? r(10) : r(2_000_000);
      const n = 1 + r(6);
      const shares = Array.from({ length: n }, (_, k) => ({
        key: `h${r(3) === 0 ? r(4) : k}`,
        weight: r(10) === 0 ? 0 : r(5) === 0 ? r(1_000_000_000) : r(100),
      }));
      expect(outcome(() => allocateQuick(total, shares))).toEqual(outcome(() => allocate(total, shares)));
      const bp = r(12) === 0 ? 10001 : r(10001);
      expect(outcome(() => bpOf(total, bp))).toEqual(outcome(() => basisPoints(total, bp)));
    }
    const big = [
      { key: 'a', weight: 2 ** 30 },
      { key: 'b', weight: 2 ** 31 + 1 },
    ];
    expect(allocateQuick(2 ** 30, big)).toEqual(allocate(2 ** 30, big));
    expect(allocateQuick(5, [{ key: 'a', weight: 3n }])).toEqual(allocate(5, [{ key: 'a', weight: 3n }]));
    expect(outcome(() => allocateQuick(5, []))).toEqual(outcome(() => allocate(5, [])));
    expect(outcome(() => allocateQuick(5, [{ key: 'a', weight: 0 }]))).toEqual(
      outcome(() => allocate(5, [{ key: 'a', weight: 0 }])),
    );
  });
});
