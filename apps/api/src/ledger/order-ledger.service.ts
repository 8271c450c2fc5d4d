import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { accountCode, reversalDebits } from '@xiangbo/domain';
import { AppendedTransaction, LedgerService } from './ledger.service';

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
      return this.ledger.append(m, {
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
}
