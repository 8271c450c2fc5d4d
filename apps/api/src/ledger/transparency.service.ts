import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  type RegistryStatus,
  type TransparencyConfirmations,
  type TransparencyDto,
  type TransparencyGroup,
  type TransparencyMonth,
  XB_MIN_GROUP,
} from '@xiangbo/contracts';
import { accountCode, maskName } from '@xiangbo/domain';
import { isUuid } from '../common/cooperative-scope';
import { statusAsOfSql } from './ledger-access';
import { LedgerErrorCode, LedgerException } from './ledger.exception';

const MONTH = `to_char((t.occurred_at::timestamptz AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM')`;

type HouseholdMonth = {
  month: string;
  household_id: string;
  amount: string;
  head_name: string;
  status: RegistryStatus;
};

/** A group of fewer than XB_MIN_GROUP households is not shown on its own (null): only within larger aggregates. */
function group(amounts: number[]): TransparencyGroup | null {
  const reached = amounts.filter((a) => a !== 0);
  return reached.length >= XB_MIN_GROUP
    ? { households: reached.length, amountFen: reached.reduce((s, a) => s + a, 0) }
    : null;
}

/** A month's payouts, under the same rule: shown only when at least XB_MIN_GROUP households were paid (confirmed). */
function monthPayouts(
  paid: { made: number; madeCount: number; confirmed: number; confirmedCount: number }[],
): TransparencyMonth['payouts'] {
  if (paid.length < XB_MIN_GROUP) return null;
  const confirmedBy = paid.filter((p) => p.confirmedCount > 0);
  const confirmedShown = confirmedBy.length === 0 || confirmedBy.length >= XB_MIN_GROUP;
  return {
    madeFen: paid.reduce((s, p) => s + p.made, 0),
    madeCount: paid.reduce((s, p) => s + p.madeCount, 0),
    confirmedFen: confirmedShown ? confirmedBy.reduce((s, p) => s + p.confirmed, 0) : null,
    confirmedCount: confirmedShown ? confirmedBy.reduce((s, p) => s + p.confirmedCount, 0) : null,
  };
}

/**
 * The public transparency page (公示) of a cooperative, from the ledger (and the payouts table for what
 * households confirmed): by month (Beijing time) and in total. Names are masked; figures about fewer than
 * XB_MIN_GROUP households appear only in aggregates. Totals agree with the verifier's balances of the export.
 */
@Injectable()
export class TransparencyService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async page(cooperativeId: string): Promise<TransparencyDto> {
    const [coop]: { id: string; name: string }[] = isUuid(cooperativeId)
      ? await this.db.query(`SELECT id, name FROM cooperatives WHERE id = $1 AND status = 'approved'`, [cooperativeId])
      : [];
    if (!coop) throw new LedgerException(LedgerErrorCode.COOPERATIVE_NOT_FOUND, 'cooperative not found');

    const [flows, hh, payouts, balances, confirmations] = await Promise.all([
      this.db.query(
        `SELECT ${MONTH} AS month, t.kind, p.account, SUM(p.amount)::text AS amount, count(DISTINCT t.id)::int AS txs
           FROM ledger_transactions t JOIN ledger_postings p ON p.transaction_id = t.id
          WHERE t.cooperative_id = $1 AND p.household_id IS NULL GROUP BY 1, 2, 3`,
        [cooperativeId],
      ) as Promise<{ month: string; kind: string; account: string; amount: string; txs: number }[]>,
      this.db.query(
        `WITH hp AS (
           SELECT ${MONTH} AS month, p.household_id, SUM(-p.amount) AS amount
             FROM ledger_transactions t JOIN ledger_postings p ON p.transaction_id = t.id
            WHERE t.cooperative_id = $1 AND p.household_id IS NOT NULL AND t.kind IN ('settlement', 'dividend', 'reversal')
            GROUP BY 1, 2)
         SELECT hp.month, hp.household_id, hp.amount::text AS amount, h.head_name,
                ${statusAsOfSql('h', `LEAST((to_date(hp.month, 'YYYY-MM') + interval '1 month' - interval '1 day')::date, (now() AT TIME ZONE 'Asia/Shanghai')::date)`)} AS status
           FROM hp JOIN households h ON h.id = hp.household_id`,
        [cooperativeId],
      ) as Promise<HouseholdMonth[]>,
      this.db.query(
        `SELECT to_char(paid_on, 'YYYY-MM') AS month, household_id, status, amount_fen::text AS amount FROM payouts
          WHERE cooperative_id = $1 AND status IN ('paid', 'confirmed') AND paid_on IS NOT NULL`,
        [cooperativeId],
      ) as Promise<{ month: string; household_id: string; status: 'paid' | 'confirmed'; amount: string }[]>,
      this.db.query(
        `SELECT p.account, SUM(p.amount)::text AS amount FROM ledger_transactions t JOIN ledger_postings p ON p.transaction_id = t.id
          WHERE t.cooperative_id = $1 AND (p.household_id IS NOT NULL AND t.kind = 'payout' OR p.account = ANY($2)) GROUP BY p.account`,
        [
          cooperativeId,
          [
            accountCode.paidOut(cooperativeId),
            accountCode.dividendPool(cooperativeId),
            accountCode.wagesPayable(cooperativeId),
            accountCode.retained(cooperativeId),
          ],
        ],
      ) as Promise<{ account: string; amount: string }[]>,
      this.confirmations(cooperativeId),
    ]);

    const months = new Map<
      string,
      TransparencyMonth & {
        hh: Map<string, { amount: number; status: RegistryStatus }>;
        /** Payouts of the month by household: what was paid and what of it was confirmed. */
        paid: Map<string, { made: number; madeCount: number; confirmed: number; confirmedCount: number }>;
      }
    >();
    const monthOf = (m: string) => {
      let x = months.get(m);
      if (!x) {
        x = {
          month: m,
          salesFen: 0,
          orders: 0,
          refundsFen: 0,
          processingFeesFen: 0,
          platformFeesFen: 0,
          toHouseholds: { registered: null, monitored: null, all: null },
          payouts: null,
          hh: new Map(),
          paid: new Map(),
        };
        months.set(m, x);
      }
      return x;
    };
    const psp = accountCode.pspReceivable();
    for (const f of flows) {
      const x = monthOf(f.month);
      const amount = Number(f.amount);
      if (f.account === psp && f.kind === 'payment') {
        x.salesFen += amount;
        x.orders += f.txs;
      } else if (f.account === psp && (f.kind === 'refund' || f.kind === 'reversal')) x.refundsFen -= amount;
      // the fees of orders refunded in full before settlement are the platform's (refund_fee), not the cooperative's
      else if (f.account === accountCode.paymentFees() && f.kind !== 'refund_fee') x.processingFeesFen -= amount;
      else if (f.account === accountCode.platformFeeRevenue()) x.platformFeesFen -= amount;
    }
    const people = new Map<
      string,
      { name: string; status: RegistryStatus; statusMonth: string; received: number; paidOut: number }
    >();
    for (const r of hh) {
      const amount = Number(r.amount);
      monthOf(r.month).hh.set(r.household_id, { amount, status: r.status });
      const who = people.get(r.household_id) ?? {
        name: r.head_name,
        status: r.status,
        statusMonth: r.month,
        received: 0,
        paidOut: 0,
      };
      who.received += amount;
      if (r.month >= who.statusMonth) Object.assign(who, { status: r.status, statusMonth: r.month });
      people.set(r.household_id, who);
    }
    let payoutsMadeFen = 0;
    let payoutsConfirmedFen = 0;
    for (const p of payouts) {
      const x = monthOf(p.month);
      const amount = Number(p.amount);
      const one = x.paid.get(p.household_id) ?? { made: 0, madeCount: 0, confirmed: 0, confirmedCount: 0 };
      one.made += amount;
      one.madeCount += 1;
      payoutsMadeFen += amount;
      if (p.status === 'confirmed') {
        one.confirmed += amount;
        one.confirmedCount += 1;
        payoutsConfirmedFen += amount;
      }
      x.paid.set(p.household_id, one);
    }
    const bal = new Map(balances.map((b) => [b.account, Number(b.amount)]));
    for (const [account, amount] of bal) {
      const m = /:household:([^:]+):payable$/.exec(account);
      const who = m ? people.get(m[1]) : undefined;
      if (who) who.paidOut += amount; // payouts debit the payable
    }

    const list = [...months.values()].sort((a, b) => (a.month < b.month ? -1 : 1));
    const regTotal = new Map<string, number>();
    const monTotal = new Map<string, number>();
    for (const x of list) {
      const entries = [...x.hh.values()];
      x.toHouseholds = {
        registered: group(entries.filter((e) => e.status === 'registered').map((e) => e.amount)),
        monitored: group(entries.filter((e) => e.status === 'monitored').map((e) => e.amount)),
        all: group(entries.map((e) => e.amount)),
      };
      x.payouts = monthPayouts([...x.paid.values()]);
      for (const [id, e] of x.hh) {
        if (e.status === 'registered') regTotal.set(id, (regTotal.get(id) ?? 0) + e.amount);
        if (e.status === 'monitored') monTotal.set(id, (monTotal.get(id) ?? 0) + e.amount);
      }
    }
    const sum = (f: (x: TransparencyMonth) => number) => list.reduce((s, x) => s + f(x), 0);
    const reached = [...people.values()].filter((p) => p.received !== 0);
    const toHouseholdsFen = [...people.values()].reduce((s, p) => s + p.received, 0);
    return {
      cooperative: coop,
      minGroup: XB_MIN_GROUP,
      generatedAt: new Date().toISOString(),
      months: list.map(({ hh: _hh, paid: _paid, ...x }) => x),
      totals: {
        salesFen: sum((x) => x.salesFen),
        orders: sum((x) => x.orders),
        refundsFen: sum((x) => x.refundsFen),
        processingFeesFen: sum((x) => x.processingFeesFen),
        platformFeesFen: sum((x) => x.platformFeesFen),
        // the headline follows the month rows: fewer than XB_MIN_GROUP households reached → not shown on its own
        toHouseholdsFen: reached.length >= XB_MIN_GROUP ? toHouseholdsFen : null,
        toRegistered: group([...regTotal.values()]),
        toMonitored: group([...monTotal.values()]),
        householdsReached: reached.length >= XB_MIN_GROUP ? reached.length : null,
        paidOutFen: -(bal.get(accountCode.paidOut(cooperativeId)) ?? 0),
        payoutsMadeFen,
        payoutsConfirmedFen,
        dividendPoolFen: -(bal.get(accountCode.dividendPool(cooperativeId)) ?? 0),
        wagesPayableFen: -(bal.get(accountCode.wagesPayable(cooperativeId)) ?? 0),
        retainedFen: -(bal.get(accountCode.retained(cooperativeId)) ?? 0),
      },
      households:
        reached.length >= XB_MIN_GROUP
          ? reached
              .map((p) => ({
                maskedName: maskName(p.name),
                status: p.status,
                receivedFen: p.received,
                paidOutFen: p.paidOut,
              }))
              .sort((a, b) => b.receivedFen - a.receivedFen || (a.maskedName < b.maskedName ? -1 : 1))
          : [],
      confirmations,
    };
  }

  /** How the payouts made were confirmed (counts and amounts only) and the call-back checks' outcomes. */
  private async confirmations(cooperativeId: string): Promise<TransparencyConfirmations> {
    const [byMethod, callbacks] = await Promise.all([
      this.db.query(
        `SELECT status, confirm_method, count(*)::int AS n, COALESCE(SUM(amount_fen), 0)::text AS total FROM payouts
          WHERE cooperative_id = $1 AND status IN ('paid', 'confirmed') GROUP BY 1, 2`,
        [cooperativeId],
      ) as Promise<{ status: 'paid' | 'confirmed'; confirm_method: string | null; n: number; total: string }[]>,
      this.db.query(
        `SELECT count(DISTINCT sample_id)::int AS samples, count(*)::int AS sampled,
                count(*) FILTER (WHERE outcome = 'confirmed')::int AS confirmed,
                count(*) FILTER (WHERE outcome = 'disputed')::int AS disputed,
                count(*) FILTER (WHERE outcome = 'unreachable')::int AS unreachable
           FROM payout_callback_checks WHERE cooperative_id = $1`,
        [cooperativeId],
      ) as Promise<{ samples: number; sampled: number; confirmed: number; disputed: number; unreachable: number }[]>,
    ]);
    const zero = () => ({ count: 0, amountFen: 0 });
    const out: TransparencyConfirmations = {
      sms: zero(),
      attested: zero(),
      legacy: zero(),
      pending: zero(),
      callbacks: callbacks[0] ?? { samples: 0, sampled: 0, confirmed: 0, disputed: 0, unreachable: 0 },
    };
    for (const r of byMethod) {
      const bucket =
        r.status === 'paid'
          ? out.pending
          : r.confirm_method === 'sms'
            ? out.sms
            : r.confirm_method === 'attested'
              ? out.attested
              : out.legacy;
      bucket.count += r.n;
      bucket.amountFen += Number(r.total);
    }
    return out;
  }
}
