import fc from 'fast-check';
import { allocate, basisPoints } from './allocation';
import { MoneyError } from './money';

const sharesArb = fc
  .uniqueArray(fc.record({ key: fc.string({ minLength: 1, maxLength: 6 }), weight: fc.nat({ max: 1_000_000 }) }), {
    minLength: 1,
    maxLength: 30,
    selector: (s) => s.key,
  })
  .filter((shares) => shares.some((s) => s.weight > 0));

describe('allocate (largest remainder)', () => {
  it('splits ¥59.00 over three equal households so the parts add up and the extra fen goes by key', () => {
    const parts = allocate(5900, [
      { key: 'hh-c', weight: 1 },
      { key: 'hh-a', weight: 1 },
      { key: 'hh-b', weight: 1 },
    ]);
    expect(parts).toEqual([
      { key: 'hh-c', amount: 1966 },
      { key: 'hh-a', amount: 1967 },
      { key: 'hh-b', amount: 1967 },
    ]);
  });

  it('gives the remaining fen to the largest remainders first', () => {
    // 100 over 1:2:3 = 16.67, 33.33, 50 → 16, 33, 50 + 1 fen to the largest remainder (0.67)
    expect(
      allocate(100, [
        { key: 'a', weight: 1 },
        { key: 'b', weight: 2 },
        { key: 'c', weight: 3 },
      ]).map((p) => p.amount),
    ).toEqual([17, 33, 50]);
  });

  it('parts always sum to the whole, none negative, each within one fen of its exact share', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2_000_000_000 }), sharesArb, (total, shares) => {
        const parts = allocate(total, shares);
        const weightSum = shares.reduce((a, s) => a + BigInt(s.weight), 0n);
        expect(parts.reduce((a, p) => a + p.amount, 0)).toBe(total);
        parts.forEach((p, i) => {
          expect(p.key).toBe(shares[i].key);
          expect(p.amount).toBeGreaterThanOrEqual(0);
          const exactFloor = Number((BigInt(total) * BigInt(shares[i].weight)) / weightSum);
          expect(p.amount - exactFloor).toBeGreaterThanOrEqual(0);
          expect(p.amount - exactFloor).toBeLessThanOrEqual(1);
        });
      }),
    );
  });

  it('is deterministic and independent of input order', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000_000 }), sharesArb, (total, shares) => {
        const a = allocate(total, shares);
        const b = allocate(total, [...shares].reverse());
        const byKey = new Map(b.map((p) => [p.key, p.amount]));
        a.forEach((p) => expect(byKey.get(p.key)).toBe(p.amount));
        expect(allocate(total, shares)).toEqual(a);
      }),
    );
  });

  it('mirrors a negative total exactly, so a reversal undoes the split fen for fen', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000_000 }), sharesArb, (total, shares) => {
        const forward = allocate(total, shares);
        const back = allocate(-total, shares);
        forward.forEach((p, i) => expect(p.amount + back[i].amount).toBe(0));
      }),
    );
  });

  it('refuses what cannot be split', () => {
    expect(() => allocate(10, [])).toThrow(new MoneyError('cannot allocate a non-zero amount over no shares'));
    expect(() => allocate(10, [{ key: 'a', weight: 0 }])).toThrow(
      new MoneyError('cannot allocate a non-zero amount over shares that all weigh zero'),
    );
    expect(() => allocate(10.5, [{ key: 'a', weight: 1 }])).toThrow(/^total must be a whole number/);
    expect(() => allocate(10, [{ key: 'a', weight: -1 }])).toThrow(MoneyError);
    expect(() =>
      allocate(10, [
        { key: 'a', weight: 1 },
        { key: 'a', weight: 2 },
      ]),
    ).toThrow(/duplicate/);
    expect(allocate(0, [])).toEqual([]);
  });

  it('nothing to split over weightless shares is all zeros; a weight may be a bigint', () => {
    expect(
      allocate(0, [
        { key: 'a', weight: 0 },
        { key: 'b', weight: 0n },
      ]),
    ).toEqual([
      { key: 'a', amount: 0 },
      { key: 'b', amount: 0 },
    ]);
    // share units beyond 2^53 (bigint) split exactly
    expect(
      allocate(3, [
        { key: 'a', weight: 2n ** 60n },
        { key: 'b', weight: 2n ** 61n },
      ]),
    ).toEqual([
      { key: 'a', amount: 1 },
      { key: 'b', amount: 2 },
    ]);
    expect(() => allocate(1, [{ key: 'a', weight: 1.5 }])).toThrow(/weight of a must be a whole number/);
    expect(() => allocate(1, [{ key: 'a', weight: -1n }])).toThrow(/weight of a is negative/);
  });

  it('a negative total is the mirror of the positive split: a part that got nothing gives back 0, never -0', () => {
    const back = allocate(-1, [
      { key: 'a', weight: 1 },
      { key: 'b', weight: 1 },
    ]);
    expect(back).toEqual([
      { key: 'a', amount: -1 },
      { key: 'b', amount: 0 },
    ]);
    expect(Object.is(back[1].amount, 0)).toBe(true);
  });

  it('ties on the remainder go to the smaller key (code-unit order), whatever the input order', () => {
    const shares = [
      { key: 'b', weight: 1 },
      { key: 'c', weight: 1 },
      { key: 'a', weight: 1 },
    ];
    expect(allocate(2, shares)).toEqual([
      { key: 'b', amount: 1 },
      { key: 'c', amount: 0 },
      { key: 'a', amount: 1 },
    ]);
    // a larger remainder wins over a smaller key
    expect(
      allocate(1, [
        { key: 'a', weight: 1 },
        { key: 'b', weight: 2 },
      ]),
    ).toEqual([
      { key: 'a', amount: 0 },
      { key: 'b', amount: 1 },
    ]);
  });
});

describe('basisPoints', () => {
  it('rounds down and refuses out-of-range rates', () => {
    expect(basisPoints(5900, 60)).toBe(35); // 35.4 fen
    expect(basisPoints(5900, 10000)).toBe(5900);
    expect(() => basisPoints(5900, 10001)).toThrow(MoneyError);
    expect(basisPoints(5900, 0)).toBe(0);
    expect(basisPoints(-5900, 60)).toBe(-35); // towards zero, as bigint division does
    expect(() => basisPoints(5900, -1)).toThrow(/basis points must be 0..10000, got -1/);
    expect(() => basisPoints(5900, 0.5)).toThrow(MoneyError);
    expect(() => basisPoints(59.5, 60)).toThrow(/total must be a whole number/);
    // beyond 2^53 in the product, still exact (bigint)
    expect(basisPoints(Number.MAX_SAFE_INTEGER, 9999)).toBe(Number((BigInt(Number.MAX_SAFE_INTEGER) * 9999n) / 10000n));
  });
});
