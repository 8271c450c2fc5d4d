import { type Allocation, allocate, basisPoints, type Share } from '../allocation';
import { assertMinorUnits, MoneyError } from '../money';

/**
 * A cooperative's sharing policy (利益联结机制), one immutable version. Rates are basis points (1/10000) of the
 * line's net amount (gross − processing fee − platform fee), except a per-unit guaranteed purchase price.
 */
export interface SharingPolicy {
  version: number;
  /** Platform fee, of the gross line. */
  platformFeeBp: number;
  /** Purchase payment to the supplying households (订单收购/保底收购). */
  purchase: { kind: 'percent'; bp: number } | { kind: 'per_unit'; fenPerUnit: number };
  /** Dividend pool (入股分红/资产收益), of net. */
  dividendBp: number;
  /** Wages payable (务工), of net. */
  wagesBp: number;
  /** Dividend weights by registry status, in percent (100 = share units count once); e.g. registered 150. */
  dividendWeights: { registered: number; monitored: number; lifted: number; none: number };
  /**
   * Who carries a live coupon's discount (直播间专享券): the cooperative (absent, the default: it simply receives what
   * the buyer paid) or the platform (it pays the discount into the cooperative's retained earnings at settlement).
   * Either way the households' shares are computed on what the buyer actually paid. Set by the platform.
   */
  couponCarrier?: 'cooperative' | 'platform';
}

export type PolicyProblem = { field: string; message: string };

/** Validation: the parts can never exceed the line net of fees. */
export function validatePolicy(p: Omit<SharingPolicy, 'version'>): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const bp = (field: string, v: number) => {
    if (!Number.isInteger(v) || v < 0 || v > 10000)
      problems.push({ field, message: 'must be a whole number of basis points from 0 to 10000' });
  };
  bp('platformFeeBp', p.platformFeeBp);
  if (p.platformFeeBp > 2000) problems.push({ field: 'platformFeeBp', message: 'must be at most 2000 (20%)' });
  bp('dividendBp', p.dividendBp);
  bp('wagesBp', p.wagesBp);
  if (p.purchase.kind === 'percent') bp('purchase.bp', p.purchase.bp);
  else if (!Number.isSafeInteger(p.purchase.fenPerUnit) || p.purchase.fenPerUnit < 0) {
    problems.push({ field: 'purchase.fenPerUnit', message: 'must be a whole number of fen, 0 or more' });
  }
  const percentParts = (p.purchase.kind === 'percent' ? p.purchase.bp : 0) + p.dividendBp + p.wagesBp;
  if (percentParts > 10000)
    problems.push({
      field: 'purchase',
      message: 'purchase, dividend and wages together exceed 100% of the net amount',
    });
  for (const k of ['registered', 'monitored', 'lifted', 'none'] as const) {
    const w = p.dividendWeights[k];
    if (!Number.isInteger(w) || w < 0 || w > 1000)
      problems.push({ field: `dividendWeights.${k}`, message: 'must be a whole percentage from 0 to 1000' });
  }
  return problems;
}

export interface LineToSplit {
  /** Amount of the line still to be split (after refunds before settlement), fen. */
  grossFen: number;
  /** This line's share of the payment's real processing fee, fen. */
  processingFeeFen: number;
  quantity: number;
  /** Households that supplied the product's lots, with how much each supplied (weights). */
  supplies: readonly { householdId: string; quantity: number }[];
  /**
   * A pre-sale line's guaranteed purchase payment (保底收购价 × units, this line's part), fixed when the pre-sale
   * opened: it replaces the policy's purchase rate, whatever the price now. The cooperative carries the difference:
   * it comes out of retained earnings, then wages, then the dividend pool — never the fees; it is capped at the
   * line's net (the shortfall is visible as purchase < guaranteedFen in the settlement's reference).
   */
  guaranteedPurchaseFen?: number;
}

export interface LineSplit {
  processingFeeFen: number;
  platformFeeFen: number;
  netFen: number;
  purchaseFen: number;
  /** The purchase payment per household, largest remainder over supplied quantities. */
  purchaseByHousehold: { householdId: string; amount: number }[];
  dividendFen: number;
  wagesFen: number;
  retainedFen: number;
}

/**
 * Splits one order line by a policy version. Every part is a whole number of fen, none is negative, and
 * processing fee + platform fee + purchase + dividend + wages + retained = gross, always.
 * A purchase payment with no supplying households on record stays with the cooperative (retained), visibly.
 */
export function splitLine(line: LineToSplit, policy: SharingPolicy): LineSplit {
  assertMinorUnits(line.grossFen, 'grossFen');
  assertMinorUnits(line.processingFeeFen, 'processingFeeFen');
  if (line.grossFen < 0 || line.processingFeeFen < 0) throw new MoneyError('a line to split cannot be negative');
  const processingFeeFen = Math.min(line.processingFeeFen, line.grossFen);
  const platformFeeFen = Math.min(bpOf(line.grossFen, policy.platformFeeBp), line.grossFen - processingFeeFen);
  const netFen = line.grossFen - processingFeeFen - platformFeeFen;
  const supplied = line.supplies.filter((s) => s.quantity > 0);
  let purchaseFen =
    line.guaranteedPurchaseFen !== undefined
      ? Math.min(netFen, line.guaranteedPurchaseFen)
      : policy.purchase.kind === 'percent'
        ? bpOf(netFen, policy.purchase.bp)
        : Math.min(netFen, policy.purchase.fenPerUnit * line.quantity);
  if (line.guaranteedPurchaseFen !== undefined) {
    assertMinorUnits(line.guaranteedPurchaseFen, 'guaranteedPurchaseFen');
    if (line.guaranteedPurchaseFen < 0) throw new MoneyError('a guaranteed purchase cannot be negative');
  }
  if (supplied.length === 0) purchaseFen = 0;
  const dividendFen = Math.min(bpOf(netFen, policy.dividendBp), netFen - purchaseFen);
  const wagesFen = Math.min(bpOf(netFen, policy.wagesBp), netFen - purchaseFen - dividendFen);
  const retainedFen = netFen - purchaseFen - dividendFen - wagesFen;
  const purchaseByHousehold = allocateQuick(
    purchaseFen,
    supplied.map((s) => ({ key: s.householdId, weight: s.quantity })),
  ).map((a) => ({ householdId: a.key, amount: a.amount }));
  return {
    processingFeeFen,
    platformFeeFen,
    netFen,
    purchaseFen,
    purchaseByHousehold,
    dividendFen,
    wagesFen,
    retainedFen,
  };
}

/** Splits a payment's processing fee over its lines in proportion to their amounts (largest remainder, by line id). */
export function allocateFee(
  feeFen: number,
  lines: readonly { lineId: string; amountFen: number }[],
): Map<string, number> {
  const parts = allocateQuick(
    feeFen,
    lines.map((l) => ({ key: l.lineId, weight: l.amountFen })),
  );
  return new Map(parts.map((p) => [p.key, p.amount]));
}

export interface Member {
  householdId: string;
  shareUnits: number;
  status: 'registered' | 'monitored' | 'lifted' | 'none';
}

/** Distributes a dividend pool over members by share units × status weight (资产收益扶贫), largest remainder. */
export function distributeDividend(
  poolFen: number,
  members: readonly Member[],
  weights: SharingPolicy['dividendWeights'],
) {
  const shares = members
    .map((m) => ({ key: m.householdId, weight: m.shareUnits * weights[m.status] }))
    .filter((s) => s.weight > 0);
  if (shares.length === 0) return [];
  return allocate(poolFen, shares).map((a) => ({ householdId: a.key, amount: a.amount }));
}

/**
 * ⌊product / sum⌋ exactly, for safe integers with sum > 0: the float quotient corrected by its remainder (a float
 * division can be one off either way). Shared by `allocateQuick` and the verifier's fast split check.
 */
export function floorDiv(product: number, sum: number): number {
  let q = Math.floor(product / sum);
  let r = product - q * sum;
  while (r < 0) {
    q--;
    r += sum;
  }
  while (r >= sum) {
    q++;
    r -= sum;
  }
  return q;
}

/**
 * `allocate` (largest remainder, allocation.ts), computed with plain numbers when every product involved is an exact
 * double — the usual case for money in fen — and by `allocate` itself otherwise (negative totals, bigint or unsafe
 * weights, duplicate keys, all-zero weights, large amounts…). The result is the same in every case; only faster
 * (a settlement check per transaction when a million-entry export is verified).
 */
export function allocateQuick<K extends string>(total: number, shares: readonly Share<K>[]): Allocation<K>[] {
  const n = shares.length;
  if (!Number.isSafeInteger(total) || total < 0 || n === 0 || n > 32) return allocate(total, shares);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const w = shares[i].weight;
    if (typeof w !== 'number' || !Number.isSafeInteger(w) || w < 0) return allocate(total, shares);
    sum += w;
    for (let j = 0; j < i; j++) if (shares[j].key === shares[i].key) return allocate(total, shares);
  }
  // every total × weight and floor × sum below stays an exact integer
  if (sum === 0 || (total + 1) * sum > Number.MAX_SAFE_INTEGER) return allocate(total, shares);
  const floors = new Array<number>(n);
  const remainders = new Array<number>(n);
  let left = total;
  for (let i = 0; i < n; i++) {
    const product = total * (shares[i].weight as number);
    const q = floorDiv(product, sum);
    floors[i] = q;
    remainders[i] = product - q * sum;
    left -= q;
  }
  if (left > 0) {
    const order = floors.map((_, i) => i);
    order.sort((a, b) => {
      const ra = remainders[a];
      const rb = remainders[b];
      if (ra !== rb) return ra > rb ? -1 : 1;
      const ka = shares[a].key;
      const kb = shares[b].key;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    for (const i of order) {
      if (left === 0 || remainders[i] === 0) break;
      floors[i] += 1;
      left -= 1;
    }
  }
  return shares.map((s, i) => ({ key: s.key, amount: floors[i] }));
}

/** `basisPoints` (rounded down), with plain numbers when exact, else `basisPoints` itself. Same result always. */
export function bpOf(total: number, bp: number): number {
  if (!Number.isSafeInteger(total) || total < 0 || !Number.isSafeInteger(bp) || bp < 0 || bp > 10000)
    return basisPoints(total, bp);
  const product = total * bp;
  if (product + 10000 > Number.MAX_SAFE_INTEGER) return basisPoints(total, bp);
  let q = Math.floor(product / 10000);
  let r = product - q * 10000;
  while (r < 0) {
    q--;
    r += 10000;
  }
  while (r >= 10000) {
    q++;
    r -= 10000;
  }
  return q;
}
