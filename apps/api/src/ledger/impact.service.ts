import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ImpactReceiptDto, RegistryStatus } from '@xiangbo/contracts';
import { accountCode, maskName } from '@xiangbo/domain';
import type { Principal } from '../auth/principal';
import { cooperativeScope, isUuid } from '../common/cooperative-scope';
import { statusAsOfSql } from './ledger-access';
import { LedgerErrorCode, LedgerException } from './ledger.exception';

/**
 * The impact receipt of one order, from the ledger alone: the order's payment, refund, settlement and reversal
 * postings say where every fen went. Household names are masked (it is shown to the buyer). The fee the provider kept
 * on an order refunded in full before settlement (`refund_fee`) is the platform's, not the buyer's money: left out.
 */
@Injectable()
export class ImpactService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async receipt(p: Principal, orderId: string): Promise<ImpactReceiptDto> {
    const [order]: {
      id: string;
      buyer_id: string;
      cooperative_id: string;
      total_fen: string;
      settled_at: Date | null;
    }[] = isUuid(orderId)
      ? await this.db.query(
          'SELECT id, buyer_id, cooperative_id, total_fen::text, settled_at FROM orders WHERE id = $1',
          [orderId],
        )
      : [];
    if (!order || (order.buyer_id !== p.userId && cooperativeScope(p, order.cooperative_id, 'read') !== 'ok')) {
      throw new LedgerException(LedgerErrorCode.ORDER_NOT_FOUND, 'order not found');
    }
    const coop = order.cooperative_id;
    const rows: {
      kind: string;
      occurred_at: string;
      reference: Record<string, unknown>;
      account: string;
      amount: string;
      household_id: string | null;
    }[] = await this.db.query(
      `SELECT t.kind, t.occurred_at, t.reference, p.account, p.amount::text AS amount, p.household_id
           FROM ledger_transactions t JOIN ledger_postings p ON p.transaction_id = t.id
          WHERE t.order_id = $1 AND t.cooperative_id = $2 AND t.kind <> 'refund_fee' ORDER BY t.seq, p.position`,
      [order.id, coop],
    );
    const credit = (account: string) =>
      rows.filter((r) => r.account === account).reduce((s, r) => s - Number(r.amount), 0);
    const settlement = rows.find((r) => r.kind === 'settlement');
    const paid = rows.some((r) => r.kind === 'payment');
    const byHousehold = new Map<string, number>();
    for (const r of rows)
      if (r.household_id) byHousehold.set(r.household_id, (byHousehold.get(r.household_id) ?? 0) - Number(r.amount));

    const day = settlement ? settlement.occurred_at.slice(0, 10) : new Date().toISOString().slice(0, 10);
    const people: { id: string; head_name: string; status: RegistryStatus }[] = byHousehold.size
      ? await this.db.query(
          `SELECT h.id, h.head_name, ${statusAsOfSql('h', '$2::date')} AS status FROM households h WHERE h.id = ANY($1)`,
          [[...byHousehold.keys()], day],
        )
      : [];
    const households = people
      .map((h) => ({ maskedName: maskName(h.head_name), status: h.status, amountFen: byHousehold.get(h.id) ?? 0 }))
      .filter((h) => h.amountFen > 0)
      .sort((a, b) => b.amountFen - a.amountFen || (a.maskedName < b.maskedName ? -1 : 1));
    const refundedFen = rows
      .filter((r) => r.account === accountCode.pspReceivable() && Number(r.amount) < 0)
      .reduce((s, r) => s - Number(r.amount), 0);
    return {
      orderId: order.id,
      totalFen: Number(order.total_fen),
      currency: 'CNY',
      state: !paid ? 'unpaid' : settlement ? 'settled' : 'pending',
      settledAt: order.settled_at?.toISOString() ?? null,
      policyVersion: settlement
        ? Number((settlement.reference as { policyVersion?: number }).policyVersion ?? 0)
        : null,
      pendingFen: credit(accountCode.clearing(coop)),
      refundedFen,
      destinations: {
        processingFeeFen: credit(accountCode.paymentFees()),
        platformFeeFen: credit(accountCode.platformFeeRevenue()),
        purchaseFen: [...byHousehold.values()].reduce((s, v) => s + v, 0),
        dividendPoolFen: credit(accountCode.dividendPool(coop)),
        wagesFen: credit(accountCode.wagesPayable(coop)),
        retainedFen: credit(accountCode.retained(coop)),
      },
      households,
      householdCount: households.length,
      registeredCount: households.filter((h) => h.status === 'registered').length,
      monitoredCount: households.filter((h) => h.status === 'monitored').length,
    };
  }
}
