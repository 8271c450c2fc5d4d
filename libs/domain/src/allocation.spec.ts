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
    expect(() => allocate(10, [])).toThrow(MoneyError);
    expect(() => allocate(10, [{ key: 'a', weight: 0 }])).toThrow(MoneyError);
    expect(() => allocate(10.5, [{ key: 'a', weight: 1 }])).toThrow(MoneyError);
    expect(() => allocate(10, [{ key: 'a', weight: -1 }])).toThrow(MoneyError);
    expect(() =>
      allocate(10, [
        { key: 'a', weight: 1 },
        { key: 'a', weight: 2 },
      ]),
    ).toThrow(/duplicate/);
    expect(allocate(0, [])).toEqual([]);
  });
});

describe('basisPoints', () => {
  it('rounds down and refuses out-of-range rates', () => {
    expect(basisPoints(5900, 60)).toBe(35); // 35.4 fen
    expect(basisPoints(5900, 10000)).toBe(5900);
    expect(() => basisPoints(5900, 10001)).toThrow(MoneyError);
  });
});
