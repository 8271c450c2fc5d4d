import { allocate, basisPoints } from '../allocation';
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
  const platformFeeFen = Math.min(basisPoints(line.grossFen, policy.platformFeeBp), line.grossFen - processingFeeFen);
  const netFen = line.grossFen - processingFeeFen - platformFeeFen;
  const supplied = line.supplies.filter((s) => s.quantity > 0);
  let purchaseFen =
    policy.purchase.kind === 'percent'
      ? basisPoints(netFen, policy.purchase.bp)
      : Math.min(netFen, policy.purchase.fenPerUnit * line.quantity);
  if (supplied.length === 0) purchaseFen = 0;
  const dividendFen = Math.min(basisPoints(netFen, policy.dividendBp), netFen - purchaseFen);
  const wagesFen = Math.min(basisPoints(netFen, policy.wagesBp), netFen - purchaseFen - dividendFen);
  const retainedFen = netFen - purchaseFen - dividendFen - wagesFen;
  const purchaseByHousehold = allocate(
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
  const parts = allocate(
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
