import fc from 'fast-check';
import { admitClaims, type CapContext, type Claim, decideClaims, grantClaims } from './claims';

/** The claims decided one at a time, each against what is left: the behaviour a batch must reproduce. */
function oneByOne(claims: readonly Claim[], caps: CapContext, remaining: number) {
  let left = remaining;
  const held = new Map(caps.held);
  return claims.map((c) => {
    const h = held.get(c.buyerId) ?? 0;
    if (caps.cap !== null && h + c.quantity > caps.cap) return 'CAP_REACHED';
    if (c.quantity > left) return 'SOLD_OUT';
    left -= c.quantity;
    held.set(c.buyerId, h + c.quantity);
    return 'granted';
  });
}

const buyers = ['a', 'b', 'c', 'd', 'e', 'f'];
const claimArb = fc.record({ buyerId: fc.constantFrom(...buyers), quantity: fc.integer({ min: 1, max: 6 }) });
const capsArb = fc.record({
  cap: fc.option(fc.integer({ min: 1, max: 8 }), { nil: null }),
  held: fc
    .array(fc.tuple(fc.constantFrom(...buyers), fc.integer({ min: 0, max: 5 })), { maxLength: 6 })
    .map((pairs) => new Map(pairs)),
});

describe('claims decided in batches', () => {
  it('hands out what remains in arrival order; a later, smaller claim still fits', () => {
    const claims = [
      { buyerId: 'a', quantity: 1 },
      { buyerId: 'b', quantity: 3 },
      { buyerId: 'c', quantity: 1 },
      { buyerId: 'd', quantity: 1 },
    ];
    const r = decideClaims(claims, { cap: null, held: new Map() }, 2);
    expect(r.taken).toBe(2);
    expect(r.decisions).toEqual([
      { granted: true },
      { granted: false, refusal: 'SOLD_OUT', available: 1 },
      { granted: true },
      { granted: false, refusal: 'SOLD_OUT', available: 0 },
    ]);
  });

  it('counts a buyer’s earlier claims of the same batch against the cap, and what they already hold', () => {
    const claims = [
      { buyerId: 'a', quantity: 1 },
      { buyerId: 'a', quantity: 1 },
      { buyerId: 'b', quantity: 1 },
    ];
    const r = decideClaims(claims, { cap: 2, held: new Map([['a', 1]]) }, 10);
    expect(r.decisions.map((d) => d.granted)).toEqual([true, false, true]);
    expect(r.decisions[1]).toEqual({ granted: false, refusal: 'CAP_REACHED', cap: 0 });
    expect(r.taken).toBe(2);
  });

  it('a claim that ran out of stock does not count against the same buyer’s later claim', () => {
    const claims = [
      { buyerId: 'a', quantity: 3 },
      { buyerId: 'a', quantity: 1 },
    ];
    // admitClaims asks for 3 (the second would pass the cap only if the first failed); 2 remain
    expect(admitClaims(claims, { cap: 3, held: new Map() }).demand).toBe(3);
    const r = decideClaims(claims, { cap: 3, held: new Map() }, 2);
    expect(r.decisions.map((d) => d.granted)).toEqual([false, true]);
  });

  it('several caps (a product limit and a deal cap): a claim must fit in all, and says which it broke', () => {
    const caps = [
      { cap: 5, held: new Map([['a', 4]]) },
      { cap: 2, held: new Map<string, number>() },
    ];
    const r = decideClaims(
      [
        { buyerId: 'a', quantity: 2 },
        { buyerId: 'b', quantity: 3 },
        { buyerId: 'b', quantity: 2 },
      ],
      caps,
      10,
    );
    expect(r.decisions).toEqual([
      { granted: false, refusal: 'CAP_REACHED', cap: 0 },
      { granted: false, refusal: 'CAP_REACHED', cap: 1 },
      { granted: true },
    ]);
  });

  it('refuses nonsense: a negative availability, a claim of zero', () => {
    expect(() => grantClaims([], { cap: null, held: new Map() }, -1)).toThrow(RangeError);
    expect(decideClaims([{ buyerId: 'a', quantity: 0 }], { cap: null, held: new Map() }, 5).taken).toBe(0);
  });

  it('property: any arrival order, quantities and caps → total ≤ available, caps exact, first come first served', () => {
    fc.assert(
      fc.property(
        fc.array(claimArb, { maxLength: 40 }),
        capsArb,
        fc.integer({ min: 0, max: 60 }),
        (claims, caps, rem) => {
          const { demand } = admitClaims(claims, caps);
          const taken = Math.min(rem, demand);
          const { decisions, granted, unused } = grantClaims(claims, caps, taken);
          // never more than what the UPDATE took, never more than remained
          expect(granted).toBeLessThanOrEqual(taken);
          expect(granted + unused).toBe(taken);
          expect(taken).toBeLessThanOrEqual(rem);
          // caps exact: nobody above the cap
          if (caps.cap !== null) {
            const per = new Map<string, number>();
            claims.forEach((c, i) => {
              if (decisions[i].granted) per.set(c.buyerId, (per.get(c.buyerId) ?? 0) + c.quantity);
            });
            for (const [b, n] of per) expect((caps.held.get(b) ?? 0) + n).toBeLessThanOrEqual(caps.cap);
          }
          // first come first served: the same answers as deciding them one at a time against what remained
          expect(decisions.map((d) => (d.granted ? 'granted' : d.refusal))).toEqual(oneByOne(claims, caps, rem));
          // a refusal for stock means the claim did not fit in what was left when its turn came
          let left = taken;
          claims.forEach((c, i) => {
            const d = decisions[i];
            if (d.granted) left -= c.quantity;
            else if (d.refusal === 'SOLD_OUT') expect(c.quantity).toBeGreaterThan(left);
          });
          // nothing is left unused while an admitted claim that fits was refused
          expect(
            unused === 0 ||
              decisions.every((d, i) => d.granted || claims[i].quantity > unused || d.refusal === 'CAP_REACHED'),
          ).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('property: unit claims without caps → the winners are exactly the first `remaining` in arrival order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 60 }), (n, rem) => {
        const claims = Array.from({ length: n }, (_, i) => ({ buyerId: `b${i}`, quantity: 1 }));
        const { decisions } = decideClaims(claims, { cap: null, held: new Map() }, rem);
        expect(decisions.map((d) => d.granted)).toEqual(claims.map((_, i) => i < rem));
      }),
    );
  });
});
