/**
 * Claims decided in batches (group commit). The requests for one hot item (a flash deal, a product in a rush)
 * that arrive within a few milliseconds are decided together in one short transaction: the per-buyer caps first
 * (`admitClaims`: the most the batch can use), then ONE conditional UPDATE takes that total or what remains, and
 * `grantClaims` hands what was taken out in arrival order. Pure: the database supplies
 * what each buyer already holds and what the UPDATE took; nothing here reads a clock or does I/O.
 */

export interface Claim {
  buyerId: string;
  quantity: number;
}

export type ClaimRefusal = 'CAP_REACHED' | 'SOLD_OUT';

export type ClaimDecision =
  | { granted: true }
  | { granted: false; refusal: 'CAP_REACHED'; /** which of the caps (index) */ cap: number }
  | { granted: false; refusal: 'SOLD_OUT'; available: number };

/** Per-buyer cap and what each buyer holds already (units in live orders), both read under the buyer's lock. */
export interface CapContext {
  /** Most units one buyer may hold; null: no cap. */
  cap: number | null;
  held: ReadonlyMap<string, number>;
}

/** One cap or several (e.g. a product's per-buyer limit and a flash deal's cap): a claim must fit in all. */
export type Caps = CapContext | readonly CapContext[];

/** The first cap a buyer's claim would go over (index), or -1. */
function capBroken(caps: readonly CapContext[], buyerId: string, already: number, quantity: number): number {
  return caps.findIndex((c) => c.cap !== null && (c.held.get(buyerId) ?? 0) + already + quantity > c.cap);
}

const list = (caps: Caps): readonly CapContext[] => (Array.isArray(caps) ? caps : [caps as CapContext]);

/**
 * Step 1, before the hot row: which claims the per-buyer cap admits, in arrival order (a buyer's earlier claims in
 * the same batch count against the later ones), and the admitted total — what the conditional UPDATE asks for.
 * A claim refused here is refused whatever the stock.
 */
export function admitClaims(claims: readonly Claim[], caps: Caps): { admitted: boolean[]; demand: number } {
  const all = list(caps);
  const taking = new Map<string, number>();
  let demand = 0;
  const admitted = claims.map((c) => {
    if (!(Number.isSafeInteger(c.quantity) && c.quantity > 0)) return false;
    if (capBroken(all, c.buyerId, taking.get(c.buyerId) ?? 0, c.quantity) >= 0) return false;
    taking.set(c.buyerId, (taking.get(c.buyerId) ?? 0) + c.quantity);
    demand += c.quantity;
    return true;
  });
  return { admitted, demand };
}

/**
 * Step 2, after the conditional UPDATE took `available` units (the admitted total, or what remained): decides the
 * claims one by one in arrival order, exactly as if they had come one at a time — the cap against what the buyer
 * holds and was granted in this batch, then the stock: a claim that does not fit in what is left is refused SOLD_OUT
 * (with what was left) and a later, smaller claim may still fit. `unused` (only when a large claim did not fit at
 * the end) goes back in the same transaction. Taking min(remaining, demand) and deciding here gives the same answers
 * as deciding against `remaining` itself: when demand ≤ remaining no claim runs out of stock.
 */
export function grantClaims(
  claims: readonly Claim[],
  caps: Caps,
  available: number,
): { decisions: ClaimDecision[]; granted: number; unused: number } {
  const all = list(caps);
  if (!(Number.isSafeInteger(available) && available >= 0))
    throw new RangeError('available must be a whole number ≥ 0');
  let left = available;
  const got = new Map<string, number>();
  const decisions = claims.map((c): ClaimDecision => {
    if (!(Number.isSafeInteger(c.quantity) && c.quantity > 0))
      return { granted: false, refusal: 'CAP_REACHED', cap: 0 };
    const broken = capBroken(all, c.buyerId, got.get(c.buyerId) ?? 0, c.quantity);
    if (broken >= 0) return { granted: false, refusal: 'CAP_REACHED', cap: broken };
    if (c.quantity > left) return { granted: false, refusal: 'SOLD_OUT', available: left };
    left -= c.quantity;
    got.set(c.buyerId, (got.get(c.buyerId) ?? 0) + c.quantity);
    return { granted: true };
  });
  return { decisions, granted: available - left, unused: left };
}

/** Both steps when the available quantity is known up front (tests, a single process's view). */
export function decideClaims(
  claims: readonly Claim[],
  caps: Caps,
  remaining: number,
): { decisions: ClaimDecision[]; taken: number; granted: number } {
  const { demand } = admitClaims(claims, caps);
  const taken = Math.min(remaining, demand);
  const { decisions, granted } = grantClaims(claims, caps, taken);
  return { decisions, taken, granted };
}
