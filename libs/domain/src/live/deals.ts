/** Flash deal (秒杀) rules: what a launch must satisfy and why a buy is refused. Pure: the database decides atomically. */

export interface DealLaunchInput {
  priceFen: number;
  quantity: number;
  perBuyerCap: number;
  durationSeconds: number;
}

export interface DealLaunchContext {
  /** The product's normal price and available stock. */
  listPriceFen: number;
  stock: number;
  /** Whether the product is the pinned one (a deal is launched on the pinned product). */
  pinned: boolean;
}

export type DealLaunchProblem =
  'NOT_PINNED' | 'PRICE_NOT_BELOW_LIST' | 'QUANTITY_ABOVE_STOCK' | 'CAP_ABOVE_QUANTITY' | 'BAD_DURATION';

export function dealLaunchProblems(
  d: DealLaunchInput,
  ctx: DealLaunchContext,
  limits = { minSeconds: 10, maxSeconds: 3600 },
): DealLaunchProblem[] {
  const out: DealLaunchProblem[] = [];
  if (!ctx.pinned) out.push('NOT_PINNED');
  if (!(d.priceFen > 0 && d.priceFen < ctx.listPriceFen)) out.push('PRICE_NOT_BELOW_LIST');
  if (d.quantity > ctx.stock) out.push('QUANTITY_ABOVE_STOCK');
  if (d.perBuyerCap > d.quantity) out.push('CAP_ABOVE_QUANTITY');
  if (d.durationSeconds < limits.minSeconds || d.durationSeconds > limits.maxSeconds) out.push('BAD_DURATION');
  return out;
}

export interface DealSnapshot {
  status: 'open' | 'closed';
  startsAt: number;
  endsAt: number;
  remaining: number;
}

export type DealRefusal = 'DEAL_CLOSED' | 'SOLD_OUT' | 'CAP_REACHED';

/** Is a deal open at `now`? Closed when its status says so or its end time has passed (whoever closes it). */
export function dealIsOpen(d: Pick<DealSnapshot, 'status' | 'startsAt' | 'endsAt'>, now: number): boolean {
  return d.status === 'open' && now >= d.startsAt && now < d.endsAt;
}

/**
 * Why buying `quantity` of a deal would be refused, given what the buyer already holds of it — or null.
 * The same rule the conditional UPDATE enforces; used for the quick refusal before any lock and for messages.
 */
export function dealRefusal(
  d: DealSnapshot,
  now: number,
  quantity: number,
  heldByBuyer: number,
  cap: number,
): DealRefusal | null {
  if (!dealIsOpen(d, now)) return 'DEAL_CLOSED';
  if (heldByBuyer + quantity > cap) return 'CAP_REACHED';
  if (d.remaining < quantity) return 'SOLD_OUT';
  return null;
}

/** Countdown parts for "还剩 01:59" (never negative). */
export function countdown(
  endsAt: number,
  now: number,
): { totalSeconds: number; minutes: number; seconds: number; label: string } {
  const totalSeconds = Math.max(0, Math.ceil((endsAt - now) / 1000));
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return {
    totalSeconds,
    minutes,
    seconds,
    label: `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`,
  };
}
