import { allocate } from '../allocation';
import { fenToYuanString } from '../money';
import { accountCode, householdOfAccount, type LedgerTransaction, type Posting } from './ledger';
import { RegistryBook, statusesOf } from './registry';

/**
 * The money rules of docs/ledger.md ("Money rules"), beyond hashes, balance and splits: what each kind of
 * transaction must look like (its idempotency key, its reference, its postings: `shapeProblem`, one line alone),
 * and what it must agree with before it (`MoneyRules`: one payment per order, settlement only after payment and of
 * what was paid less what was refunded, refunds never above what was paid, each reversal by the rule, payouts never
 * above what the household is owed and never to another account, dividends never above the pool, no idempotency
 * key twice).
 */

const isString = (v: unknown): v is string => typeof v === 'string';
const isPositiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
const yuan = (fen: number) => `¥${fenToYuanString(fen)}`;
const COUPON_SUBSIDIES = accountCode.couponSubsidies();
/** The longest bank or receipt reference a payout carries (`recordPayoutSchema` allows 100). */
export const PAYMENT_REFERENCE_MAX = 100;

/** The members a transaction line has: these and nothing else (any other member would not be hashed). */
export const TRANSACTION_MEMBERS: ReadonlySet<string> = new Set([
  'type',
  'cooperativeId',
  'seq',
  'idempotencyKey',
  'kind',
  'occurredAt',
  'reference',
  'postings',
  'prevHash',
  'hash',
]);

/** The first member of a parsed transaction line that is not hashed (not one of TRANSACTION_MEMBERS), or null. */
export function unhashedMember(line: object): string | null {
  for (const key of Object.keys(line)) if (!TRANSACTION_MEMBERS.has(key)) return key;
  return null;
}

/**
 * The first object key that appears twice in one object of a JSON text (JSON.parse keeps the last silently, so a
 * reader in another language could see the other value), or null. The text must be valid JSON.
 */
export function duplicateJsonKey(text: string): string | null {
  if (text.indexOf('{') === -1) return null;
  const objects: (Set<string> | null)[] = []; // null: an array
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      let j = i + 1;
      let escaped = false;
      for (; j < text.length; j++) {
        const d = text.charCodeAt(j);
        if (d === 92) {
          j++;
          escaped = true;
        } else if (d === 34) break;
      }
      if (expectKey) {
        const raw = text.slice(i, j + 1);
        const key = escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        const keys = objects[objects.length - 1] as Set<string>;
        if (keys.has(key)) return key;
        keys.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === 123 /* { */) {
      objects.push(new Set());
      expectKey = true;
    } else if (c === 91 /* [ */) {
      objects.push(null);
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      objects.pop();
    } else if (c === 44 /* , */) {
      expectKey = objects[objects.length - 1] instanceof Set;
    }
  }
  return null;
}

export const paymentKeyOf = (orderId: string) => `pay:order:${orderId}`;
export const settlementKeyOf = (orderId: string) => `settle:order:${orderId}`;
export const refundFeeKeyOf = (orderId: string) => `refund-fee:order:${orderId}`;

/** Postings netted per account, in order of first appearance. */
function netted(postings: readonly Posting[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of postings) out.set(p.account, (out.get(p.account) ?? 0) + p.amount);
  return out;
}

/** Exactly these two postings (in either order): `debit` of +amount and `credit` of −amount. */
function twoPostings(postings: readonly Posting[], debit: string, credit: string, amount?: number): boolean {
  if (postings.length !== 2) return false;
  const [a, b] = postings[0].amount > 0 ? postings : [postings[1], postings[0]];
  return a.account === debit && b.account === credit && a.amount > 0 && (amount === undefined || a.amount === amount);
}

/**
 * What one transaction must look like, by its kind (docs/ledger.md, "Money rules"): a problem, or null. Needs the
 * line alone (and is checked after its hash and balance).
 */
export function shapeProblem(t: LedgerTransaction): string | null {
  const coop = t.cooperativeId;
  const ref = (t.reference ?? {}) as Record<string, unknown>;
  if (typeof ref !== 'object' || Array.isArray(ref)) return 'its reference is not an object';
  switch (t.kind) {
    case 'payment': {
      if (!isString(ref.orderId)) return 'a payment must name its order (reference.orderId)';
      if (t.idempotencyKey !== paymentKeyOf(ref.orderId))
        return `a payment's idempotency key must be ${paymentKeyOf(ref.orderId)}`;
      if (!twoPostings(t.postings, accountCode.pspReceivable(), accountCode.clearing(coop)))
        return `a payment debits ${accountCode.pspReceivable()} and credits ${accountCode.clearing(coop)}, nothing else`;
      return null;
    }
    case 'settlement': {
      if (!isString(ref.orderId)) return 'a settlement must name its order (reference.orderId)';
      if (t.idempotencyKey !== settlementKeyOf(ref.orderId))
        return `a settlement's idempotency key must be ${settlementKeyOf(ref.orderId)}`;
      return null;
    }
    case 'refund': {
      if (!isString(ref.orderId) || !isString(ref.refundId) || !isPositiveInt(ref.amountFen))
        return 'a refund must name its order, its refund and a positive amountFen (reference)';
      if (t.idempotencyKey !== `refund:${ref.refundId}`)
        return `a refund's idempotency key must be refund:${ref.refundId}`;
      if (!twoPostings(t.postings, accountCode.clearing(coop), accountCode.pspReceivable(), ref.amountFen))
        return `a refund before settlement debits ${accountCode.clearing(coop)} and credits ${accountCode.pspReceivable()} by its amountFen (${ref.amountFen}), nothing else`;
      return null;
    }
    case 'reversal': {
      if (!isString(ref.orderId) || !isString(ref.refundId) || !isPositiveInt(ref.amountFen))
        return 'a reversal must name its order, its refund and a positive amountFen (reference)';
      if (t.idempotencyKey !== `reversal:${ref.refundId}`)
        return `a reversal's idempotency key must be reversal:${ref.refundId}`;
      if (ref.reverses !== settlementKeyOf(ref.orderId) || !isPositiveInt(ref.reversesSeq))
        return `a reversal must name the settlement it reverses (reference.reverses ${settlementKeyOf(ref.orderId)} and reversesSeq)`;
      const psp = netted(t.postings).get(accountCode.pspReceivable());
      if (psp !== -ref.amountFen)
        return `a reversal credits ${accountCode.pspReceivable()} by its amountFen (${ref.amountFen}), not ${-(psp ?? 0)}`;
      return null;
    }
    case 'refund_fee': {
      if (!isString(ref.orderId) || !isPositiveInt(ref.feeFen))
        return "a refunded order's fee must name its order and a positive feeFen (reference)";
      if (t.idempotencyKey !== refundFeeKeyOf(ref.orderId))
        return `a refunded order's fee must have the idempotency key ${refundFeeKeyOf(ref.orderId)}`;
      if (!twoPostings(t.postings, accountCode.refundedOrderFees(), accountCode.paymentFees(), ref.feeFen))
        return `a refunded order's fee debits ${accountCode.refundedOrderFees()} and credits ${accountCode.paymentFees()} by its feeFen (${ref.feeFen}), nothing else`;
      return null;
    }
    case 'payout': {
      if (!isString(ref.payoutId) || !isString(ref.householdId))
        return 'a payout must name the payout and its household (reference.payoutId, reference.householdId)';
      if (t.idempotencyKey !== `payout:${ref.payoutId}`)
        return `a payout's idempotency key must be payout:${ref.payoutId}`;
      // the bank or receipt reference typed in (docs/ledger.md); payouts recorded before it was kept lack it
      if (
        ref.paymentReference !== undefined &&
        !(
          isString(ref.paymentReference) &&
          ref.paymentReference.trim() !== '' &&
          ref.paymentReference.length <= PAYMENT_REFERENCE_MAX
        )
      )
        return `a payout's paymentReference, when present, is the reference typed in: a text of 1 to ${PAYMENT_REFERENCE_MAX} characters`;
      const payable = accountCode.householdPayable(coop, ref.householdId);
      if (!twoPostings(t.postings, payable, accountCode.paidOut(coop))) {
        const debited = t.postings.find((p) => p.amount > 0);
        const other = debited ? householdOfAccount(debited.account) : null;
        if (other && other !== ref.householdId)
          return `payout redirected: it is for household ${ref.householdId} but debits household ${other}'s account`;
        return `a payout debits the payable account of household ${ref.householdId} and credits ${accountCode.paidOut(coop)}, nothing else (redirected?)`;
      }
      return null;
    }
    case 'dividend': {
      if (!isPositiveInt(ref.amountFen)) return 'a dividend must state its amountFen (reference)';
      const pool = accountCode.dividendPool(coop);
      for (const [account, amount] of netted(t.postings)) {
        if (account === pool) {
          if (amount !== ref.amountFen)
            return `a dividend debits the dividend pool by its amountFen (${ref.amountFen}), not ${amount}`;
        } else if (!(amount < 0 && account.startsWith(`coop:${coop}:household:`) && householdOfAccount(account)))
          return `a dividend credits household payable accounts only, not ${account}`;
      }
      return null;
    }
    default:
      return `unknown kind ${String(t.kind)}`;
  }
}

/** Where a transaction is, for a break. */
export interface At {
  line: number;
  seq?: number;
  idempotencyKey?: string;
}

export type Fail = (at: At, message: string) => void;

/** One order's money so far (column index `i` of the arrays of `MoneyRules`). */
const NONE = -1;

/**
 * The rules that need what came before (one instance per export, fed in file order). Orders live in columns (an
 * export of a million entries holds half a million orders); a settlement's credits are kept, as account ids and
 * amounts, for the reversals that may follow.
 */
export class MoneyRules {
  private readonly orders = new Map<string, number>();
  private paid = new Float64Array(1024);
  private paymentSeq = new Float64Array(1024);
  /** Refunded before settlement, and reversed after it. */
  private refunded = new Float64Array(1024);
  private reversed = new Float64Array(1024);
  private settlementSeq = new Float64Array(1024);
  private creditStart = new Float64Array(1024);
  private creditCount = new Float64Array(1024);
  private creditAccount = new Int32Array(4096);
  private creditAmount = new Float64Array(4096);
  private credits = 0;
  /** Account codes ↔ ids (for the credits). */
  private readonly accountIds = new Map<string, number>();
  readonly accounts: string[] = [];
  /** Orders whose processing fee was booked as refunded before settlement (`refund_fee`): column → its seq. */
  private readonly feeBooked = new Map<number, number>();
  /** Idempotency keys of refunds, reversals, payouts and dividends (those of payments and settlements are the order's). */
  private readonly keys = new Map<string, number>();
  /** What reached households of each registry status, and what of it left their accounts (`registry.ts`). */
  readonly registry = new RegistryBook();
  /** Per account id: the household whose payable it is, null for any other account (undefined: not looked up). */
  private readonly householdOfId: (string | null | undefined)[] = [];

  constructor(private readonly fail: Fail) {}

  accountId(account: string): number {
    let id = this.accountIds.get(account);
    if (id === undefined) {
      id = this.accounts.length;
      this.accounts.push(account);
      this.accountIds.set(account, id);
    }
    return id;
  }

  /** A payment (its shape already checked): the first of its order. */
  payment(orderId: string, amount: number, at: At): void {
    const i = this.orders.get(orderId);
    if (i !== undefined) {
      this.fail(at, `a second payment of order ${orderId} (the first is transaction #${this.paymentSeq[i]})`);
      return;
    }
    const n = this.orders.size;
    if (n === this.paid.length) this.grow();
    this.orders.set(orderId, n);
    this.paid[n] = amount;
    this.paymentSeq[n] = at.seq ?? 0;
    this.refunded[n] = 0;
    this.reversed[n] = 0;
    this.settlementSeq[n] = NONE;
  }

  /**
   * A settlement (its split already checked): after its order's payment, once, of what was paid less what was
   * refunded before it (`gross`: its debit of clearing). `creditIds`/`creditAmounts`: the accounts it credits
   * (ids of `accountId`) and by how much (positive), netted, n of them. `creditStatus`: the registry status code of
   * each credit's household (its `reference.statuses`; -1: none), absent for a settlement written before they were
   * kept.
   */
  settlement(
    orderId: string,
    gross: number,
    creditIds: ArrayLike<number>,
    creditAmounts: ArrayLike<number>,
    n: number,
    at: At,
    creditStatus?: ArrayLike<number>,
  ): void {
    const i = this.orders.get(orderId);
    if (i === undefined) {
      this.fail(at, `settlement without payment: order ${orderId} has no payment before it`);
      return;
    }
    if (this.settlementSeq[i] !== NONE) {
      this.fail(at, `order ${orderId} was already settled (transaction #${this.settlementSeq[i]})`);
      return;
    }
    const feeSeq = this.feeBooked.size ? this.feeBooked.get(i) : undefined;
    if (feeSeq !== undefined) {
      this.fail(
        at,
        `settlement of order ${orderId}, which was refunded in full before settlement (its fee was booked as the platform's in #${feeSeq})`,
      );
      return;
    }
    const due = this.paid[i] - this.refunded[i];
    if (gross !== due)
      this.fail(
        at,
        `settlement of order ${orderId} shares out ${yuan(gross)}, but ${yuan(this.paid[i])} was paid and ${yuan(this.refunded[i])} refunded before it (${yuan(due)} to share)`,
      );
    this.settlementSeq[i] = at.seq ?? 0;
    if (this.credits + n > this.creditAccount.length) {
      const size = Math.max(2 * this.creditAccount.length, this.credits + n);
      const accounts = new Int32Array(size);
      accounts.set(this.creditAccount);
      this.creditAccount = accounts;
      const amounts = new Float64Array(size);
      amounts.set(this.creditAmount);
      this.creditAmount = amounts;
    }
    this.creditStart[i] = this.credits;
    this.creditCount[i] = n;
    for (let k = 0; k < n; k++) {
      this.creditAccount[this.credits + k] = creditIds[k];
      this.creditAmount[this.credits + k] = creditAmounts[k];
      let household = this.householdOfId[creditIds[k]];
      if (household === undefined)
        household = this.householdOfId[creditIds[k]] = householdOfAccount(this.accounts[creditIds[k]]);
      if (household !== null)
        this.registry.credit(this.accounts[creditIds[k]], creditStatus ? creditStatus[k] : -1, creditAmounts[k]);
    }
    this.credits += n;
  }

  /** A settlement given by its postings (the reference way). */
  settlementOf(t: LedgerTransaction, at: At): void {
    const orderId = (t.reference as { orderId: string }).orderId;
    const net = netted(t.postings);
    const ids: number[] = [];
    const amounts: number[] = [];
    const statuses = statusesOf(t);
    const codes: number[] = [];
    let gross = 0;
    for (const [account, amount] of net) {
      if (amount < 0) {
        ids.push(this.accountId(account));
        amounts.push(-amount);
        const household = statuses ? householdOfAccount(account) : null;
        codes.push(household !== null ? (statuses?.get(household) ?? -1) : -1);
      } else if (account !== COUPON_SUBSIDIES) gross += amount; // the platform's coupon payment is not the buyer's
    }
    this.settlement(orderId, gross, ids, amounts, ids.length, at, statuses ? codes : undefined);
  }

  /**
   * Any transaction whose line passed its own checks (hash, balance, split, shape). `balanceAfter(account)`: the
   * account's balance once this transaction's postings are added.
   */
  transaction(t: LedgerTransaction, balanceAfter: (account: string) => number, at: At): void {
    const ref = t.reference as Record<string, unknown>;
    switch (t.kind) {
      case 'payment':
        return this.payment(ref.orderId as string, netted(t.postings).get(accountCode.pspReceivable()) ?? 0, at);
      case 'settlement':
        return this.settlementOf(t, at);
      case 'refund':
      case 'reversal':
        if (!this.newKey(t.idempotencyKey, at)) return;
        if (t.kind === 'reversal') this.registry.transaction(t);
        return t.kind === 'refund' ? this.refund(t, at) : this.reversal(t, at);
      case 'refund_fee':
        if (!this.newKey(t.idempotencyKey, at)) return;
        return this.refundFee(t, at);
      case 'payout': {
        if (!this.newKey(t.idempotencyKey, at)) return;
        this.registry.transaction(t);
        const account = accountCode.householdPayable(t.cooperativeId, ref.householdId as string);
        const after = balanceAfter(account);
        if (after > 0) {
          const amount = netted(t.postings).get(account) ?? 0;
          this.fail(
            at,
            `payout above what was owed: it pays ${yuan(amount)} to household ${String(ref.householdId)}, who was owed ${yuan(amount - after)}`,
          );
        }
        return;
      }
      case 'dividend': {
        if (!this.newKey(t.idempotencyKey, at)) return;
        this.registry.transaction(t);
        const after = balanceAfter(accountCode.dividendPool(t.cooperativeId));
        if (after > 0)
          this.fail(
            at,
            `dividend above the pool: it shares out ${yuan(ref.amountFen as number)}, the pool held ${yuan((ref.amountFen as number) - after)}`,
          );
        return;
      }
    }
  }

  private newKey(key: string, at: At): boolean {
    const first = this.keys.get(key);
    if (first !== undefined) {
      this.fail(at, `duplicate idempotency key ${key} (first at line ${first}): recorded twice`);
      return false;
    }
    this.keys.set(key, at.line);
    return true;
  }

  private order(t: LedgerTransaction, at: At): number | undefined {
    const orderId = (t.reference as { orderId: string }).orderId;
    const i = this.orders.get(orderId);
    if (i === undefined) this.fail(at, `${t.kind} of order ${orderId}, which has no payment before it`);
    return i;
  }

  private aboveWhatWasPaid(i: number, amount: number, orderId: string, at: At): boolean {
    const before = this.refunded[i] + this.reversed[i];
    if (before + amount <= this.paid[i]) return false;
    this.fail(
      at,
      `refunds above what was paid: order ${orderId} was paid ${yuan(this.paid[i])}, ${yuan(before)} was refunded before and this refunds ${yuan(amount)}`,
    );
    return true;
  }

  private refund(t: LedgerTransaction, at: At): void {
    const ref = t.reference as { orderId: string; amountFen: number };
    const i = this.order(t, at);
    if (i === undefined) return;
    if (this.settlementSeq[i] !== NONE) {
      this.fail(
        at,
        `a refund of order ${ref.orderId} after its settlement (#${this.settlementSeq[i]}) must be a reversal of it`,
      );
      return;
    }
    if (this.aboveWhatWasPaid(i, ref.amountFen, ref.orderId, at)) return;
    this.refunded[i] += ref.amountFen;
  }

  /**
   * The processing fee the provider kept on an order refunded in full before settlement (docs/ledger.md): after
   * its payment, with no settlement, refunds before it equal to what was paid, and not above what was paid; once
   * (its key). After it the order can no longer be settled.
   */
  private refundFee(t: LedgerTransaction, at: At): void {
    const ref = t.reference as { orderId: string; feeFen: number };
    const i = this.order(t, at);
    if (i === undefined) return;
    if (this.settlementSeq[i] !== NONE) {
      this.fail(
        at,
        `the fee of order ${ref.orderId} booked as refunded before settlement, but it was settled (#${this.settlementSeq[i]}): the settlement carries its fee`,
      );
      return;
    }
    if (this.refunded[i] !== this.paid[i]) {
      this.fail(
        at,
        `the fee of order ${ref.orderId} booked as refunded before settlement, but only ${yuan(this.refunded[i])} of ${yuan(this.paid[i])} was refunded`,
      );
      return;
    }
    if (ref.feeFen > this.paid[i]) {
      this.fail(
        at,
        `the fee of order ${ref.orderId} (${yuan(ref.feeFen)}) is above what was paid (${yuan(this.paid[i])})`,
      );
      return;
    }
    this.feeBooked.set(i, at.seq ?? 0);
  }

  /**
   * The reversal rule: with C the accounts the settlement credited (weights: what each received) and R the amounts
   * reversed so far, this reversal of A fen debits each account allocate(R + A, C) − allocate(R, C) (largest
   * remainder, ties by account code) and credits psp_receivable A. So after any number of partial refunds, the total
   * taken back from each account is exactly allocate(total reversed, C): never more than it received.
   */
  private reversal(t: LedgerTransaction, at: At): void {
    const ref = t.reference as { orderId: string; amountFen: number; reversesSeq: number };
    const i = this.order(t, at);
    if (i === undefined) return;
    if (this.settlementSeq[i] === NONE) {
      this.fail(
        at,
        `a reversal of order ${ref.orderId}, which has not been settled (a refund before settlement is a refund)`,
      );
      return;
    }
    if (this.settlementSeq[i] !== ref.reversesSeq) {
      this.fail(
        at,
        `a reversal of order ${ref.orderId} names settlement #${ref.reversesSeq}; its settlement is #${this.settlementSeq[i]}`,
      );
      return;
    }
    if (this.aboveWhatWasPaid(i, ref.amountFen, ref.orderId, at)) return;
    const expected = this.reversalPostings(i, this.reversed[i], ref.amountFen);
    this.reversed[i] += ref.amountFen;
    const actual = netted(t.postings);
    actual.delete(accountCode.pspReceivable());
    for (const [account, amount] of expected) {
      if ((actual.get(account) ?? 0) !== amount) {
        this.fail(
          at,
          `reversal does not follow the rule: ${account} is ${actual.get(account) ?? 0}, the rule gives ${amount} (order ${ref.orderId})`,
        );
        return;
      }
    }
    for (const [account, amount] of actual) {
      if (!expected.has(account) && amount !== 0) {
        this.fail(
          at,
          `reversal does not follow the rule: it posts ${amount} to ${account}, the rule gives 0 (order ${ref.orderId})`,
        );
        return;
      }
    }
  }

  /** The debits of a reversal of `amount` after `before` was reversed (the rule above), netted, without zeros. */
  private reversalPostings(i: number, before: number, amount: number): Map<string, number> {
    const shares: { key: string; weight: number }[] = [];
    const start = this.creditStart[i];
    for (let k = 0; k < this.creditCount[i]; k++)
      shares.push({ key: this.accounts[this.creditAccount[start + k]], weight: this.creditAmount[start + k] });
    return reversalDebits(shares, before, amount);
  }

  private grow(): void {
    const size = 2 * this.paid.length;
    const grown = (a: Float64Array) => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    this.paid = grown(this.paid);
    this.paymentSeq = grown(this.paymentSeq);
    this.refunded = grown(this.refunded);
    this.reversed = grown(this.reversed);
    this.settlementSeq = grown(this.settlementSeq);
    this.creditStart = grown(this.creditStart);
    this.creditCount = grown(this.creditCount);
  }
}

/**
 * The reversal rule (docs/ledger.md): the debits of a reversal of `amount` fen after `before` fen of the same
 * settlement were reversed, over the accounts the settlement credited (`credited`: account and what it received):
 * allocate(before + amount) − allocate(before), per account, zeros left out. Used by the API to write reversals and
 * by the verifier to check them.
 */
export function reversalDebits(
  credited: readonly { key: string; weight: number }[],
  before: number,
  amount: number,
): Map<string, number> {
  const after = allocate(before + amount, credited);
  const earlier = before > 0 ? allocate(before, credited) : null;
  const out = new Map<string, number>();
  for (let k = 0; k < after.length; k++) {
    const d = after[k].amount - (earlier ? earlier[k].amount : 0);
    if (d !== 0) out.set(after[k].key, d);
  }
  return out;
}
