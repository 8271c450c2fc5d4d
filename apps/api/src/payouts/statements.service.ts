import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { HouseholdStatement, PayoutChannel, StatementEntry, StatementMonth } from '@xiangbo/contracts';
import { PAYOUT_CHANNELS } from '@xiangbo/contracts';
import { accountCode, maskName } from '@xiangbo/domain';
import { isUuid } from '../common/cooperative-scope';
import { Cooperative } from '../cooperatives/entities/cooperative.entity';
import { Household } from '../households/entities/household.entity';
import { PersonalDataAccessService } from '../households/personal-data-access.service';
import { PayoutErrorCode, PayoutException } from './payouts.exception';

interface PostingRow {
  seq: number;
  kind: string;
  occurred_at: string;
  reference: Record<string, unknown> | null;
  amount: string;
}

/** YYYY-MM of an ISO instant in China's time zone (UTC+8, no daylight saving). */
export function chinaMonth(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 7);
}

const isChannel = (v: unknown): v is PayoutChannel => (PAYOUT_CHANNELS as readonly unknown[]).includes(v);

/**
 * A household's statement with one cooperative, computed from the postings of its payable account alone
 * (`coop:<coop>:household:<hid>:payable`; credits are what it earned, debits what was paid out).
 */
export function statementFromPostings(rows: readonly PostingRow[]) {
  let purchaseFen = 0;
  let dividendFen = 0;
  let adjustmentsFen = 0;
  let paidOutFen = 0;
  const channels = new Map<PayoutChannel | 'unknown', { paidOutFen: number; count: number }>();
  const months = new Map<string, StatementMonth>();
  const entries: StatementEntry[] = [];
  for (const r of rows) {
    const amount = Number(r.amount);
    const forHousehold = -amount; // credit (negative) = earned
    const month = chinaMonth(r.occurred_at);
    const m = months.get(month) ?? { month, earnedFen: 0, paidOutFen: 0 };
    months.set(month, m);
    let channel: PayoutChannel | null = null;
    if (r.kind === 'payout') {
      paidOutFen += amount;
      m.paidOutFen += amount;
      const c = r.reference?.['channel'];
      channel = isChannel(c) ? c : null;
      const key = channel ?? 'unknown';
      const ch = channels.get(key) ?? { paidOutFen: 0, count: 0 };
      ch.paidOutFen += amount;
      ch.count += 1;
      channels.set(key, ch);
    } else {
      if (r.kind === 'settlement') purchaseFen += forHousehold;
      else if (r.kind === 'dividend') dividendFen += forHousehold;
      else adjustmentsFen += forHousehold;
      m.earnedFen += forHousehold;
    }
    entries.push({ seq: Number(r.seq), kind: r.kind, occurredAt: r.occurred_at, amountFen: forHousehold, channel });
  }
  const earnedFen = purchaseFen + dividendFen + adjustmentsFen;
  return {
    earnedFen,
    purchaseFen,
    dividendFen,
    adjustmentsFen,
    paidOutFen,
    owedFen: earnedFen - paidOutFen,
    byChannel: [...channels].map(([channel, v]) => ({ channel, ...v })),
    byMonth: [...months.values()].sort((a, b) => a.month.localeCompare(b.month)),
    entries,
  };
}

@Injectable()
export class StatementsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly accessLog: PersonalDataAccessService,
  ) {}

  /** The statement with the clear name for staff (coop_admin, auditor); the read is written to the access log. */
  async staffStatement(
    actor: { userId: string; role: 'coop_admin' | 'auditor' },
    cooperativeId: string,
    householdId: string,
  ): Promise<HouseholdStatement> {
    if (!isUuid(householdId)) throw new PayoutException(PayoutErrorCode.HOUSEHOLD_NOT_FOUND, 'household not found');
    return this.db.transaction(async (m) => {
      const statement = await this.statement(cooperativeId, householdId, true, m);
      await this.accessLog.record(m, {
        actorId: actor.userId,
        actorRole: actor.role,
        householdId,
        action: 'household.statement',
        detail: `statement with cooperative ${cooperativeId}`,
      });
      return statement;
    });
  }

  /** Postings of one household's payable account with its cooperative, in chain order. */
  async postings(m: EntityManager, cooperativeId: string, householdId: string): Promise<PostingRow[]> {
    return m.query(
      `SELECT t.seq, t.kind, t.occurred_at, t.reference, p.amount
         FROM ledger_postings p JOIN ledger_transactions t ON t.id = p.transaction_id
        WHERE p.account = $1 AND t.cooperative_id = $2
        ORDER BY t.seq, p.position`,
      [accountCode.householdPayable(cooperativeId, householdId), cooperativeId],
    );
  }

  /**
   * The statement, or 404 when the household has nothing to do with this cooperative (never a member and no
   * ledger account). `withClearName` is for the console; the caller logs that read.
   */
  async statement(
    cooperativeId: string,
    householdId: string,
    withClearName: boolean,
    manager?: EntityManager,
  ): Promise<HouseholdStatement> {
    const m = manager ?? this.db.manager;
    const [coop, household] = await Promise.all([
      m.getRepository(Cooperative).findOne({ where: { id: cooperativeId } }),
      m.getRepository(Household).findOne({ where: { id: householdId } }),
    ]);
    if (!coop || !household) throw new PayoutException(PayoutErrorCode.HOUSEHOLD_NOT_FOUND, 'household not found');
    const rows = await this.postings(m, cooperativeId, householdId);
    if (!rows.length) {
      const [member] = await m.query(
        `SELECT 1 FROM memberships WHERE cooperative_id = $1 AND household_id = $2 LIMIT 1`,
        [cooperativeId, householdId],
      );
      if (!member) throw new PayoutException(PayoutErrorCode.HOUSEHOLD_NOT_FOUND, 'household not found');
    }
    return {
      householdId,
      householdNameMasked: maskName(household.headName),
      householdName: withClearName ? household.headName : null,
      cooperativeId,
      cooperativeName: coop.name,
      account: accountCode.householdPayable(cooperativeId, householdId),
      ...statementFromPostings(rows),
    };
  }
}
