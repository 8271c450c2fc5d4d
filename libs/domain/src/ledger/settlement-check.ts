import { accountCode, LedgerTransaction, Posting } from './ledger';
import { allocateFee, LineToSplit, SharingPolicy, splitLine } from './sharing-policy';

/** Settlement transactions carry the inputs of their split so anyone can recompute it. */
export interface SettlementReference {
  orderId: string;
  policyVersion: number;
  feeFen: number;
  /**
   * A live coupon's discount on the order (what its lines listed above what the buyer paid; the lines' grossFen are
   * already what was paid). With the policy's `couponCarrier: 'platform'` the platform pays it to the cooperative's
   * retained earnings in this settlement; else the cooperative carried it. Absent: no coupon.
   */
  couponDiscountFen?: number;
  lines: {
    lineId: string;
    grossFen: number;
    quantity: number;
    supplies: { householdId: string; quantity: number }[];
    /** A pre-sale line: its part of the guaranteed purchase payment (保底收购), which replaces the policy's rate. */
    guaranteedFen?: number;
  }[];
}

/** Recomputes a settlement's split from its inputs and the policy version; returns a problem or null. */
export function checkSettlement(t: LedgerTransaction, policies: Map<number, SharingPolicy>): string | null {
  const ref = t.reference as unknown as SettlementReference;
  const policy = policies.get(ref.policyVersion);
  if (!policy) return `policy version ${ref.policyVersion} is not in the export`;
  return splitProblem(t.cooperativeId, ref, t.postings, policy);
}

/** The postings of a settlement against the split of its reference by its policy version: a problem or null. */
export function splitProblem(
  coop: string,
  ref: SettlementReference,
  postings: readonly Posting[],
  policy: SharingPolicy,
): string | null {
  const expected = expectedSettlementPostings(coop, ref, policy);
  const actual = new Map<string, number>();
  for (const p of postings) actual.set(p.account, (actual.get(p.account) ?? 0) + p.amount);
  for (const [account, amount] of expected) {
    if ((actual.get(account) ?? 0) !== amount)
      return `split of order ${ref.orderId} does not follow policy v${ref.policyVersion}: ${account} is ${actual.get(account) ?? 0}, expected ${amount}`;
  }
  for (const [account, amount] of actual) {
    if (!expected.has(account) && amount !== 0)
      return `split of order ${ref.orderId} posts to ${account}, which policy v${ref.policyVersion} does not`;
  }
  return null;
}

/** The postings a settlement must have (netted per account), from its inputs alone. Used by the API too. */
export function expectedSettlementPostings(
  coop: string,
  ref: SettlementReference,
  policy: SharingPolicy,
): Map<string, number> {
  const fees = allocateFee(
    ref.feeFen,
    ref.lines.map((l) => ({ lineId: l.lineId, amountFen: l.grossFen })),
  );
  const out = new Map<string, number>();
  const add = (account: string, amount: number) => amount && out.set(account, (out.get(account) ?? 0) + amount);
  const codes = accountsOf(coop);
  for (const l of ref.lines) {
    const line: LineToSplit = {
      grossFen: l.grossFen,
      processingFeeFen: fees.get(l.lineId) ?? 0,
      quantity: l.quantity,
      supplies: l.supplies,
      ...(l.guaranteedFen !== undefined ? { guaranteedPurchaseFen: l.guaranteedFen } : {}),
    };
    const s = splitLine(line, policy);
    add(codes.clearing, l.grossFen);
    add(codes.paymentFees, -s.processingFeeFen);
    add(codes.platformFeeRevenue, -s.platformFeeFen);
    for (const h of s.purchaseByHousehold) add(codes.householdPayable(h.householdId), -h.amount);
    add(codes.dividendPool, -s.dividendFen);
    add(codes.wagesPayable, -s.wagesFen);
    add(codes.retained, -s.retainedFen);
  }
  // A coupon the platform carries: it pays the discount to the cooperative (retained), not to the households.
  const coupon = ref.couponDiscountFen ?? 0;
  if (coupon > 0 && policy.couponCarrier === 'platform') {
    add(accountCode.couponSubsidies(), coupon);
    add(codes.retained, -coupon);
  }
  for (const [k, v] of out) if (v === 0) out.delete(k);
  return out;
}

/**
 * A cooperative's account codes, each string made once (a settlement names them again and again; a map finds a
 * string it has seen faster). The last cooperative's are kept: an export is one cooperative's chain.
 */
let accounts: { coop: string; codes: ReturnType<typeof makeAccounts> } | null = null;
function accountsOf(coop: string) {
  if (accounts?.coop !== coop) accounts = { coop, codes: makeAccounts(coop) };
  return accounts.codes;
}

function makeAccounts(coop: string) {
  const households = new Map<string, string>();
  return {
    clearing: accountCode.clearing(coop),
    paymentFees: accountCode.paymentFees(),
    platformFeeRevenue: accountCode.platformFeeRevenue(),
    dividendPool: accountCode.dividendPool(coop),
    wagesPayable: accountCode.wagesPayable(coop),
    retained: accountCode.retained(coop),
    householdPayable(household: string): string {
      let code = households.get(household);
      if (code === undefined) {
        code = accountCode.householdPayable(coop, household);
        if (households.size < 100_000) households.set(household, code);
      }
      return code;
    },
  };
}
