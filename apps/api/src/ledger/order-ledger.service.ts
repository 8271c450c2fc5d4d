import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { accountCode, refundFeeKeyOf, reversalDebits } from '@xiangbo/domain';
import { AppendedTransaction, LedgerService } from './ledger.service';
import { orderFeeShare } from './order-fee';

/** What the ledger needs to know of an order (the orders feature passes its locked row). */
export interface OrderFacts {
  id: string;
  cooperativeId: string;
  totalFen: number;
  paidAt: Date | null;
  settledAt: Date | null;
}

export const paymentKey = (orderId: string) => `pay:order:${orderId}`;
export const settlementKey = (orderId: string) => `settle:order:${orderId}`;
export const refundFeeKey = refundFeeKeyOf;

/**
 * The money flow of one order, written in the same transaction as its cause:
 * payment (Dr psp_receivable, Cr clearing), refund before settlement (the reverse), and after settlement a
 * reversal that debits every account the settlement credited, in proportion (the cumulative largest-remainder rule
 * of docs/ledger.md).
 */
@Injectable()
export class OrderLedgerService {
  constructor(private readonly ledger: LedgerService) {}

  /** `pay:order:<id>`: the buyer's money is with the payment provider, owed to the cooperative. Idempotent. */
  async recordPayment(m: EntityManager, order: OrderFacts): Promise<AppendedTransaction | null> {
    if (order.totalFen <= 0) return null;
    return this.ledger.append(m, {
      cooperativeId: order.cooperativeId,
      idempotencyKey: paymentKey(order.id),
      kind: 'payment',
      occurredAt: order.paidAt ?? new Date(),
      reference: { orderId: order.id },
      postings: [
        { account: accountCode.pspReceivable(), amount: order.totalFen },
        { account: accountCode.clearing(order.cooperativeId), amount: -order.totalFen },
      ],
      orderId: order.id,
    });
  }

  /**
   * A refund that succeeded at the provider. Before settlement (`refund:<id>`) it takes the money back out of the
   * cooperative's clearing account; after settlement (`reversal:<id>`) it takes it back from every account the
   * settlement credited, in proportion to what each received. Call with the order locked.
   */
  async recordRefund(
    m: EntityManager,
    order: OrderFacts,
    refundId: string,
    amountFen: number,
  ): Promise<AppendedTransaction | null> {
    if (amountFen <= 0) return null;
    // An order paid before the ledger existed has nothing to take back from.
    const paid = await this.ledger.findByKey(m, paymentKey(order.id));
    if (!paid) return null;
    const settlement = order.settledAt ? await this.ledger.findByKey(m, settlementKey(order.id)) : null;
    if (!settlement) {
      const refund = await this.ledger.append(m, {
        cooperativeId: order.cooperativeId,
        idempotencyKey: `refund:${refundId}`,
        kind: 'refund',
        reference: { orderId: order.id, refundId, amountFen },
        postings: [
          { account: accountCode.clearing(order.cooperativeId), amount: amountFen },
          { account: accountCode.pspReceivable(), amount: -amountFen },
        ],
        orderId: order.id,
      });
      // Refunded in full before settlement: the fee the provider kept is booked now (or, while the provider has
      // not told it yet, by the next settlement run's sweep).
      await this.recordRefundedOrderFee(m, order);
      return refund;
    }
    // The reversal rule (docs/ledger.md): after R fen of this settlement were reversed, a reversal of A fen takes
    // allocate(R + A) − allocate(R) from the accounts it credited, so partial refunds never take back more than an
    // account received (the verifier recomputes it).
    const credited = new Map<string, number>();
    for (const p of settlement.postings) credited.set(p.account, (credited.get(p.account) ?? 0) + p.amount);
    const shares = [...credited].filter(([, v]) => v < 0).map(([key, v]) => ({ key, weight: -v }));
    const [earlier]: { fen: string }[] = await m.query(
      `SELECT COALESCE(SUM((reference->>'amountFen')::bigint), 0)::text AS fen FROM ledger_transactions
        WHERE order_id = $1 AND kind = 'reversal' AND idempotency_key <> $2`,
      [order.id, `reversal:${refundId}`],
    );
    const back = [...reversalDebits(shares, Number(earlier.fen), amountFen)].map(([key, amount]) => ({ key, amount }));
    return this.ledger.append(m, {
      cooperativeId: order.cooperativeId,
      idempotencyKey: `reversal:${refundId}`,
      kind: 'reversal',
      reference: {
        orderId: order.id,
        refundId,
        amountFen,
        reverses: settlement.idempotencyKey,
        reversesSeq: settlement.seq,
      },
      postings: [
        ...back.map((a) => ({ account: a.key, amount: a.amount })),
        { account: accountCode.pspReceivable(), amount: -amountFen },
      ],
      orderId: order.id,
    });
  }

  /**
   * `refund-fee:order:<id>` (docs/ledger.md): the processing fee the provider kept on an order refunded in full
   * before settlement, which no settlement will ever carry. Dr `platform:refunded_order_fees`, Cr
   * `platform:payment_fees` by the order's part of its payment's fee (as its settlement would have taken it). Only
   * when the ledger shows the order paid, not settled and its refunds before settlement equal to what was paid;
   * nothing while the fee is not known yet or is 0. Idempotent (its key): a refund webhook delivered twice, or the
   * sweep after it, books it once. Call with the order locked, in the transaction of the refund.
   */
  async recordRefundedOrderFee(m: EntityManager, order: OrderFacts): Promise<AppendedTransaction | null> {
    const facts: { paid: string | null; refunded: string; settled: boolean; booked: boolean }[] = await m.query(
      `SELECT (SELECT SUM(p.amount) FROM ledger_postings p WHERE p.transaction_id = pay.id AND p.amount > 0)::text AS paid,
              COALESCE((SELECT SUM((t.reference->>'amountFen')::bigint) FROM ledger_transactions t
                         WHERE t.order_id = $1 AND t.kind = 'refund'), 0)::text AS refunded,
              EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.idempotency_key = $3) AS settled,
              EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.idempotency_key = $4) AS booked
         FROM (SELECT id FROM ledger_transactions WHERE idempotency_key = $2) pay`,
      [order.id, paymentKey(order.id), settlementKey(order.id), refundFeeKey(order.id)],
    );
    const f = facts[0];
    if (!f || f.paid === null || f.settled || f.booked || Number(f.refunded) !== Number(f.paid)) return null;
    const share = await orderFeeShare(m, order.id);
    if (share === null || share <= 0) return null;
    const feeFen = Math.min(share, Number(f.paid)); // a fee is never above what was paid (the verifier checks it)
    return this.ledger.append(m, {
      cooperativeId: order.cooperativeId,
      idempotencyKey: refundFeeKey(order.id),
      kind: 'refund_fee',
      reference: { orderId: order.id, feeFen },
      postings: [
        { account: accountCode.refundedOrderFees(), amount: feeFen },
        { account: accountCode.paymentFees(), amount: -feeFen },
      ],
      orderId: order.id,
    });
  }

  /**
   * The fees of orders of a cooperative refunded in full before settlement and not booked yet, because their
   * payment's fee was not known when they were refunded (the provider tells it later): each booked in its own
   * transaction with its order locked. Run before each settlement run. Returns how many were booked.
   */
  async sweepRefundedOrderFees(db: DataSource, cooperativeId: string): Promise<number> {
    const rows: { id: string }[] = await db.query(
      `SELECT o.id FROM orders o JOIN payments p ON p.id = o.payment_id
        WHERE o.cooperative_id = $1 AND o.settled_at IS NULL AND o.total_fen > 0 AND o.refunded_fen >= o.total_fen
          AND p.fee_fen IS NOT NULL AND p.fee_fen > 0
          AND EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.idempotency_key = 'pay:order:' || o.id::text)
          AND NOT EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.idempotency_key = 'refund-fee:order:' || o.id::text)
        ORDER BY o.id LIMIT 1000`,
      [cooperativeId],
    );
    let booked = 0;
    for (const r of rows) {
      const written = await db.transaction(async (m) => {
        const [order]: {
          id: string;
          cooperative_id: string;
          total_fen: string;
          paid_at: Date | null;
          settled_at: Date | null;
        }[] = await m.query(
          `SELECT id, cooperative_id, total_fen::text, paid_at, settled_at FROM orders WHERE id = $1 FOR UPDATE`,
          [r.id],
        );
        if (!order || order.settled_at) return null;
        return this.recordRefundedOrderFee(m, {
          id: order.id,
          cooperativeId: order.cooperative_id,
          totalFen: Number(order.total_fen),
          paidAt: order.paid_at,
          settledAt: order.settled_at,
        });
      });
      if (written?.created) booked++;
    }
    return booked;
  }
}
