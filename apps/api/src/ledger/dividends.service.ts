import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { DividendPreviewDto, DividendRequest, RegistryStatus } from '@xiangbo/contracts';
import { accountCode, distributeDividend, maskName } from '@xiangbo/domain';
import type { Principal } from '../auth/principal';
import { ValidationException } from '../common/app.exception';
import { assertCoopScope, statusAsOfSql } from './ledger-access';
import { LedgerErrorCode, LedgerException } from './ledger.exception';
import { LedgerService } from './ledger.service';
import { PoliciesService, toDomainPolicy } from './policies.service';

export const dividendKey = (cooperativeId: string, period: string) => `dividend:${cooperativeId}:${period}`;

/** First and last calendar day of a YYYY-MM period, and the instant it ends (Beijing midnight after it). */
function periodBounds(period: string) {
  const [y, mo] = period.split('-').map(Number);
  const first = `${period}-01`;
  const last = new Date(Date.UTC(y, mo, 0)).toISOString().slice(0, 10);
  const end = new Date(Date.UTC(y, mo, 1) - 8 * 3600_000);
  const start = new Date(Date.UTC(y, mo - 1, 1) - 8 * 3600_000);
  return { first, last, start, end };
}

/**
 * Dividends (入股分红 / 资产收益): the coop_admin distributes (part of) the dividend pool for a period over the
 * members active in it, by share units × the weight of their registry status at the end of the period (from
 * the policy in force then); previewed first, then posted once (`dividend:<coop>:<period>`).
 */
@Injectable()
export class DividendsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly ledger: LedgerService,
    private readonly policies: PoliciesService,
  ) {}

  async preview(p: Principal, cooperativeId: string, req: DividendRequest): Promise<DividendPreviewDto> {
    assertCoopScope(p, cooperativeId, 'manage');
    return this.compute(this.db.manager, cooperativeId, req);
  }

  async post(p: Principal, cooperativeId: string, req: DividendRequest): Promise<DividendPreviewDto> {
    assertCoopScope(p, cooperativeId, 'manage');
    return this.db.transaction(async (m) => {
      // Serialise with other ledger writers of this cooperative so the pool balance cannot move under us.
      await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`ledger:${cooperativeId}`]);
      const preview = await this.compute(m, cooperativeId, req);
      if (preview.alreadyPosted) return preview;
      const tx = await this.ledger.append(m, {
        cooperativeId,
        idempotencyKey: dividendKey(cooperativeId, req.period),
        kind: 'dividend',
        reference: {
          period: req.period,
          policyVersion: preview.policyVersion,
          amountFen: preview.amountFen,
          postedBy: p.userId,
          // the inputs of the split, hashed with it (docs/ledger.md): anyone can recompute it from the export
          members: preview.members.map((x) => ({
            householdId: x.householdId,
            shareUnits: x.shareUnits,
            status: x.status,
          })),
        },
        postings: [
          { account: accountCode.dividendPool(cooperativeId), amount: preview.amountFen },
          ...preview.members
            .filter((x) => x.amountFen > 0)
            .map((x) => ({
              account: accountCode.householdPayable(cooperativeId, x.householdId),
              amount: -x.amountFen,
            })),
        ],
      });
      return { ...preview, alreadyPosted: true, seq: tx.seq };
    });
  }

  private async compute(m: EntityManager, cooperativeId: string, req: DividendRequest): Promise<DividendPreviewDto> {
    const { first, last, start, end } = periodBounds(req.period);
    if (start.getTime() > Date.now())
      throw new ValidationException([{ field: 'period', message: 'must not be in the future' }]);
    const posted = await this.ledger.findByKey(m, dividendKey(cooperativeId, req.period));
    const book = await this.policies.book(m, cooperativeId);
    const row =
      book.inForce(new Date(Math.min(end.getTime() - 1, Date.now()))) ??
      book.versions[book.versions.length - 1] ??
      null;
    if (!row)
      throw new LedgerException(
        LedgerErrorCode.POLICY_REQUIRED,
        'set a sharing policy first: it says how registry statuses weigh in dividends',
      );
    const policy = toDomainPolicy(row);
    const pool = -(await this.ledger.balance(m, accountCode.dividendPool(cooperativeId), cooperativeId));

    const members: { household_id: string; head_name: string; share_units: number; status: RegistryStatus }[] =
      await m.query(
        `SELECT ms.household_id, h.head_name, ms.share_units,
              ${statusAsOfSql('h', '$3::date')} AS status
         FROM memberships ms JOIN households h ON h.id = ms.household_id
        WHERE ms.cooperative_id = $1 AND ms.joined_at <= $3::date AND (ms.left_at IS NULL OR ms.left_at >= $2::date)
        ORDER BY ms.household_id`,
        [cooperativeId, first, last],
      );
    // A household that left and rejoined within the period counts once, with its latest share units.
    const byHousehold = new Map(members.map((x) => [x.household_id, x]));

    if (posted) {
      const paid = new Map(posted.postings.filter((x) => x.amount < 0).map((x) => [x.account, -x.amount]));
      const ref = posted.reference as {
        amountFen?: number;
        policyVersion?: number;
        members?: { householdId: string; shareUnits: number; status: RegistryStatus }[];
      };
      // The inputs it was split by, exactly as recorded — the members then, whatever the memberships say now
      // (dividends posted before issue 16 lack them: today's memberships and registry).
      const recorded = ref.members;
      const names: Map<string, string> = recorded
        ? new Map(
            (
              (await m.query(`SELECT id, head_name FROM households WHERE id = ANY($1::uuid[])`, [
                recorded.map((x) => x.householdId),
              ])) as { id: string; head_name: string }[]
            ).map((h) => [h.id, h.head_name]),
          )
        : new Map();
      const shown = recorded
        ? recorded.map((x) => ({
            householdId: x.householdId,
            maskedName: maskName(names.get(x.householdId) ?? ''),
            status: x.status,
            shareUnits: x.shareUnits,
          }))
        : [...byHousehold.values()].map((x) => ({
            householdId: x.household_id,
            maskedName: maskName(x.head_name),
            status: x.status,
            shareUnits: x.share_units,
          }));
      return {
        period: req.period,
        poolBalanceFen: pool,
        amountFen: ref.amountFen ?? 0,
        policyVersion: ref.policyVersion ?? policy.version,
        weights: policy.dividendWeights,
        members: shown.map((x) => ({
          ...x,
          amountFen: paid.get(accountCode.householdPayable(cooperativeId, x.householdId)) ?? 0,
        })),
        alreadyPosted: true,
        seq: posted.seq,
      };
    }

    const amountFen = req.amountFen ?? pool;
    if (pool <= 0)
      throw new LedgerException(
        LedgerErrorCode.DIVIDEND_POOL_EMPTY,
        'the dividend pool is empty: nothing to distribute yet',
      );
    if (amountFen > pool) {
      throw new ValidationException([
        { field: 'amountFen', message: `must be at most the dividend pool balance (${pool} fen)` },
      ]);
    }
    const split = distributeDividend(
      amountFen,
      [...byHousehold.values()].map((x) => ({
        householdId: x.household_id,
        shareUnits: x.share_units,
        status: x.status,
      })),
      policy.dividendWeights,
    );
    if (!split.length)
      throw new LedgerException(
        LedgerErrorCode.NO_MEMBERS,
        'no member household with share units (and a non-zero weight) was active in this period',
      );
    const amounts = new Map(split.map((s) => [s.householdId, s.amount]));
    return {
      period: req.period,
      poolBalanceFen: pool,
      amountFen,
      policyVersion: policy.version,
      weights: policy.dividendWeights,
      members: [...byHousehold.values()].map((x) => ({
        householdId: x.household_id,
        maskedName: maskName(x.head_name),
        status: x.status,
        shareUnits: x.share_units,
        amountFen: amounts.get(x.household_id) ?? 0,
      })),
      alreadyPosted: false,
    };
  }
}
