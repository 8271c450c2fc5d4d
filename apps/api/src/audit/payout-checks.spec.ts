import { drawSample } from './payout-checks.service';

describe('drawSample (回访抽查 draw)', () => {
  it('draws k distinct items, all of them when k exceeds the population', () => {
    const items = Array.from({ length: 10 }, (_, i) => `p${i}`);
    const s = drawSample(items, 4);
    expect(s).toHaveLength(4);
    expect(new Set(s).size).toBe(4);
    for (const x of s) expect(items).toContain(x);
    expect(drawSample(items, 50).sort()).toEqual([...items].sort());
    expect(drawSample([], 3)).toEqual([]);
  });

  it('uses the random source it is given for each position (partial Fisher–Yates)', () => {
    const items = ['a', 'b', 'c', 'd'];
    // Always the last index: a and d swap ([d, b, c, a]), then b and the last (a) swap.
    expect(drawSample(items, 2, (n) => n - 1)).toEqual(['d', 'a']);
    // Always 0: the first k in order.
    expect(drawSample(items, 3, () => 0)).toEqual(['a', 'b', 'c']);
  });

  it('is uniform: over many draws each item is picked about k/n of the time', () => {
    const items = ['a', 'b', 'c', 'd', 'e'];
    const counts = new Map(items.map((x) => [x, 0]));
    const runs = 20_000;
    for (let i = 0; i < runs; i++) for (const x of drawSample(items, 2)) counts.set(x, counts.get(x)! + 1);
    for (const x of items) expect(Math.abs(counts.get(x)! / runs - 0.4)).toBeLessThan(0.03);
  });
});
