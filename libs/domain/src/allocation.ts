import { assertMinorUnits, MoneyError } from './money';

export interface Share<K extends string = string> {
  /** Stable key used to break ties between equal remainders (e.g. household id). */
  readonly key: K;
  /** Non-negative whole-number weight (fen, share units, basis points, jin supplied…). */
  readonly weight: number | bigint;
}

export interface Allocation<K extends string = string> {
  readonly key: K;
  readonly amount: number;
}

/**
 * Splits `total` minor units over `shares` by the largest-remainder method (money.md):
 * floor each share, then hand the remaining units one by one to the largest fractional remainders,
 * ties broken by key (ascending, code-unit order). Exact: all arithmetic is on bigint.
 *
 * Guarantees: the parts sum to `total`; each part is between floor and ceil of its exact share (so none
 * is negative for a non-negative total); the output order is the input order; the same input gives the
 * same output. A total that is negative is split as the negation of the split of its absolute value, so
 * reversals mirror the original split exactly.
 */
export function allocate<K extends string>(total: number, shares: readonly Share<K>[]): Allocation<K>[] {
  assertMinorUnits(total, 'total');
  if (total < 0) {
    return allocate(-total, shares).map((a) => ({ key: a.key, amount: a.amount === 0 ? 0 : -a.amount }));
  }
  if (shares.length === 0) {
    if (total === 0) return [];
    throw new MoneyError('cannot allocate a non-zero amount over no shares');
  }
  const seen = new Set<string>();
  const weights = shares.map((s) => {
    if (seen.has(s.key)) throw new MoneyError(`duplicate share key ${s.key}`);
    seen.add(s.key);
    const w = typeof s.weight === 'bigint' ? s.weight : toBigIntWeight(s.weight, s.key);
    if (w < 0n) throw new MoneyError(`weight of ${s.key} is negative`);
    return w;
  });
  const weightSum = weights.reduce((a, b) => a + b, 0n);
  if (weightSum === 0n) {
    if (total === 0) return shares.map((s) => ({ key: s.key, amount: 0 }));
    throw new MoneyError('cannot allocate a non-zero amount over shares that all weigh zero');
  }
  const t = BigInt(total);
  const floors = weights.map((w) => (t * w) / weightSum);
  const remainders = weights.map((w) => (t * w) % weightSum);
  let left = t - floors.reduce((a, b) => a + b, 0n);
  const order = shares
    .map((s, i) => i)
    .sort((a, b) => {
      const ra = remainders[a];
      const rb = remainders[b];
      if (ra !== rb) return ra > rb ? -1 : 1;
      const ka = shares[a].key;
      const kb = shares[b].key;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
  const amounts = [...floors];
  for (const i of order) {
    if (left === 0n) break;
    if (remainders[i] === 0n) break; // only fractional parts receive a unit; exact shares stay exact
    amounts[i] += 1n;
    left -= 1n;
  }
  return shares.map((s, i) => ({ key: s.key, amount: Number(amounts[i]) }));
}

function toBigIntWeight(weight: number, key: string): bigint {
  if (!Number.isSafeInteger(weight)) throw new MoneyError(`weight of ${key} must be a whole number, got ${weight}`);
  return BigInt(weight);
}

/** Convenience: a total split by basis points (1/10000) — e.g. a fee of 60 bp — rounded down, remainder kept apart. */
export function basisPoints(total: number, bp: number): number {
  assertMinorUnits(total, 'total');
  if (!Number.isSafeInteger(bp) || bp < 0 || bp > 10000)
    throw new MoneyError(`basis points must be 0..10000, got ${bp}`);
  return Number((BigInt(total) * BigInt(bp)) / 10000n);
}
