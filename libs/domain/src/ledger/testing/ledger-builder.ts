import {
  accountCode,
  GENESIS_HASH,
  type LedgerTransactionContent,
  type Posting,
  transactionHash,
  transactionLine,
} from '../ledger';
import { reversalDebits } from '../money-rules';
import { expectedSettlementPostings, type SettlementReference } from '../settlement-check';
import type { DividendMemberInput, LedgerRegistryStatus } from '../registry';
import { distributeDividend, type SharingPolicy } from '../sharing-policy';

/**
 * Builds small exports the way the API writes them (payments, settlements, refunds, reversals by the rule,
 * dividends, payouts), for the verifier's tests and the committed test vectors (docs/ledger-vectors/).
 * Deterministic: the same calls give the same bytes.
 */
export const TEST_POLICY: SharingPolicy = {
  version: 1,
  platformFeeBp: 300,
  purchase: { kind: 'percent', bp: 6500 },
  dividendBp: 800,
  wagesBp: 1000,
  dividendWeights: { registered: 150, monitored: 120, lifted: 100, none: 100 },
};

export interface BuiltTransaction extends LedgerTransactionContent {
  hash: string;
}

export class LedgerBuilder {
  readonly txs: BuiltTransaction[] = [];
  private clock = Date.UTC(2026, 8, 1, 2, 0, 0);
  private readonly settlements = new Map<string, { seq: number; credited: { key: string; weight: number }[] }>();
  private readonly reversed = new Map<string, number>();

  constructor(
    readonly coop: string,
    readonly policy: SharingPolicy = TEST_POLICY,
  ) {}

  /** Appends a transaction, hashed and linked (`postings` as given: the builder of a broken case may cheat). */
  append(
    kind: BuiltTransaction['kind'],
    idempotencyKey: string,
    reference: Record<string, unknown>,
    postings: Omit<Posting, 'currency'>[],
  ) {
    const prev = this.txs[this.txs.length - 1];
    this.clock += 3_600_000;
    const content: LedgerTransactionContent = {
      cooperativeId: this.coop,
      seq: this.txs.length + 1,
      idempotencyKey,
      kind,
      occurredAt: new Date(this.clock).toISOString(),
      reference,
      postings: postings.map((p) => ({ ...p, currency: 'CNY' as const })),
      prevHash: prev?.hash ?? GENESIS_HASH,
    };
    const t = { ...content, hash: transactionHash(content) };
    this.txs.push(t);
    return t;
  }

  payment(orderId: string, amount: number) {
    return this.append('payment', `pay:order:${orderId}`, { orderId }, [
      { account: accountCode.pspReceivable(), amount },
      { account: accountCode.clearing(this.coop), amount: -amount },
    ]);
  }

  /** One line per [grossFen, quantity, supplies] (supplies: household → quantity supplied). */
  settlement(
    orderId: string,
    feeFen: number,
    lines: { grossFen: number; quantity: number; supplies: Record<string, number>; guaranteedFen?: number }[],
    /** Each supplying household's registry status at the time (`reference.statuses`); absent: an older entry. */
    statuses?: Record<string, LedgerRegistryStatus>,
  ) {
    const ref: SettlementReference & { statuses?: Record<string, LedgerRegistryStatus> } = {
      orderId,
      policyVersion: this.policy.version,
      feeFen,
      lines: lines.map((l, i) => ({
        lineId: `${orderId}-l${i + 1}`,
        grossFen: l.grossFen,
        quantity: l.quantity,
        supplies: Object.entries(l.supplies).map(([householdId, quantity]) => ({ householdId, quantity })),
        ...(l.guaranteedFen !== undefined ? { guaranteedFen: l.guaranteedFen } : {}),
      })),
      ...(statuses ? { statuses } : {}),
    };
    const postings = [...expectedSettlementPostings(this.coop, ref, this.policy)].map(([account, amount]) => ({
      account,
      amount,
    }));
    const t = this.append('settlement', `settle:order:${orderId}`, ref as unknown as Record<string, unknown>, postings);
    this.settlements.set(orderId, {
      seq: t.seq,
      credited: postings.filter((p) => p.amount < 0).map((p) => ({ key: p.account, weight: -p.amount })),
    });
    return t;
  }

  refund(orderId: string, refundId: string, amountFen: number) {
    return this.append('refund', `refund:${refundId}`, { orderId, refundId, amountFen }, [
      { account: accountCode.clearing(this.coop), amount: amountFen },
      { account: accountCode.pspReceivable(), amount: -amountFen },
    ]);
  }

  /** The fee the provider kept on an order refunded in full before settlement (docs/ledger.md), carried by the platform. */
  refundFee(orderId: string, feeFen: number) {
    return this.append('refund_fee', `refund-fee:order:${orderId}`, { orderId, feeFen }, [
      { account: accountCode.refundedOrderFees(), amount: feeFen },
      { account: accountCode.paymentFees(), amount: -feeFen },
    ]);
  }

  /** A reversal by the rule (docs/ledger.md); `cheat` changes its postings before hashing. */
  reversal(orderId: string, refundId: string, amountFen: number, cheat?: (p: Omit<Posting, 'currency'>[]) => void) {
    const s = this.settlements.get(orderId);
    if (!s) throw new Error(`order ${orderId} is not settled`);
    const before = this.reversed.get(orderId) ?? 0;
    this.reversed.set(orderId, before + amountFen);
    const postings = [...reversalDebits(s.credited, before, amountFen)].map(([account, amount]) => ({
      account,
      amount,
    }));
    postings.push({ account: accountCode.pspReceivable(), amount: -amountFen });
    cheat?.(postings);
    return this.append(
      'reversal',
      `reversal:${refundId}`,
      { orderId, refundId, amountFen, reverses: `settle:order:${orderId}`, reversesSeq: s.seq },
      postings,
    );
  }

  dividend(period: string, amountFen: number, shares: Record<string, number>) {
    return this.append(
      'dividend',
      `dividend:${this.coop}:${period}`,
      { period, policyVersion: this.policy.version, amountFen },
      [
        { account: accountCode.dividendPool(this.coop), amount: amountFen },
        ...Object.entries(shares).map(([h, fen]) => ({
          account: accountCode.householdPayable(this.coop, h),
          amount: -fen,
        })),
      ],
    );
  }

  /**
   * A dividend with its inputs (`reference.members`), split as the API splits it (`distributeDividend` by the
   * policy's weights); `cheat` changes the household → fen split before posting.
   */
  dividendOf(
    period: string,
    amountFen: number,
    members: DividendMemberInput[],
    cheat?: (split: Record<string, number>) => void,
  ) {
    const split: Record<string, number> = {};
    for (const s of distributeDividend(amountFen, members, this.policy.dividendWeights))
      if (s.amount > 0) split[s.householdId] = s.amount;
    cheat?.(split);
    return this.append(
      'dividend',
      `dividend:${this.coop}:${period}`,
      { period, policyVersion: this.policy.version, amountFen, members },
      [
        { account: accountCode.dividendPool(this.coop), amount: amountFen },
        ...Object.entries(split).map(([h, fen]) => ({
          account: accountCode.householdPayable(this.coop, h),
          amount: -fen,
        })),
      ],
    );
  }

  payout(payoutId: string, householdId: string, amountFen: number, paidTo = householdId) {
    return this.append(
      'payout',
      `payout:${payoutId}`,
      { payoutId, householdId, channel: 'bank', paidOn: '2026-10-01', paymentReference: `BANK-${payoutId}` },
      [
        { account: accountCode.householdPayable(this.coop, paidTo), amount: amountFen },
        { account: accountCode.paidOut(this.coop), amount: -amountFen },
      ],
    );
  }

  /** Balance of an account now. */
  balance(account: string): number {
    let sum = 0;
    for (const t of this.txs) for (const p of t.postings) if (p.account === account) sum += p.amount;
    return sum;
  }

  /** The export's lines (header, policy, transactions, balances, footer), as the API writes them. */
  lines(txs: readonly BuiltTransaction[] = this.txs): string[] {
    const balances = new Map<string, number>();
    for (const t of txs) for (const p of t.postings) balances.set(p.account, (balances.get(p.account) ?? 0) + p.amount);
    const last = txs[txs.length - 1];
    return [
      JSON.stringify({
        type: 'header',
        format: 'xiangbo-ledger/1',
        cooperativeId: this.coop,
        exportedAt: '2026-12-01T00:00:00.000Z',
      }),
      JSON.stringify({ type: 'policy', cooperativeId: this.coop, policy: this.policy }),
      ...txs.map((t) => transactionLine(t, t.hash)),
      JSON.stringify({
        type: 'balances',
        cooperativeId: this.coop,
        balances: Object.fromEntries([...balances].sort()),
      }),
      JSON.stringify({ type: 'footer', transactions: txs.length, lastHash: last?.hash ?? GENESIS_HASH }),
    ];
  }

  /** Re-hashes every transaction from `fromSeq` on, after changes (what a forger with the database does). */
  rehashFrom(fromSeq: number): void {
    for (let i = fromSeq - 1; i < this.txs.length; i++) {
      const t = this.txs[i];
      const { hash: _old, ...content } = t;
      void _old;
      content.prevHash = i === 0 ? GENESIS_HASH : this.txs[i - 1].hash;
      this.txs[i] = { ...content, hash: transactionHash(content) };
    }
  }
}

/** A season of one small cooperative: paid, settled, refunded before and after settlement, a dividend, payouts. */
export function sampleSeason(
  coop = 'c0ffee00-0000-4000-8000-000000000001',
  cheat: { lastReversal?: (p: Omit<Posting, 'currency'>[]) => void } = {},
): LedgerBuilder {
  const b = new LedgerBuilder(coop);
  const H1 = 'a1111111-0000-4000-8000-000000000001';
  const H2 = 'a2222222-0000-4000-8000-000000000002';
  const H3 = 'a3333333-0000-4000-8000-000000000003';
  b.payment('o-1', 5900);
  b.payment('o-2', 12800);
  b.settlement('o-1', 35, [{ grossFen: 5900, quantity: 1, supplies: { [H1]: 2, [H2]: 1 } }]);
  b.refund('o-2', 'r-1', 2800);
  b.settlement('o-2', 60, [
    { grossFen: 6000, quantity: 2, supplies: { [H2]: 1 } },
    { grossFen: 4000, quantity: 1, supplies: { [H3]: 3, [H1]: 1 } },
  ]);
  b.payment('o-3', 9999);
  b.settlement('o-3', 59, [{ grossFen: 9999, quantity: 3, supplies: { [H3]: 1 } }]);
  b.reversal('o-3', 'r-2', 3333);
  b.reversal('o-3', 'r-3', 1, cheat.lastReversal);
  b.dividend('2026-09', 700, { [H1]: 300, [H2]: 250, [H3]: 150 });
  b.payout('p-1', H1, 2000);
  b.payout('p-2', H3, 1500);
  return b;
}
