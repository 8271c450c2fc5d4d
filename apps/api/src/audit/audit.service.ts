import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuditCooperative, AuditOverview, HouseholdStatement, RegistryStatus } from '@xiangbo/contracts';
import type { Principal } from '../auth/principal';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Cooperative } from '../cooperatives/entities/cooperative.entity';
import { PersonalDataAccessService } from '../households/personal-data-access.service';
import { PayoutsService } from '../payouts/payouts.service';
import { StatementsService } from '../payouts/statements.service';
import { AuditErrorCode, AuditException } from './audit.exception';
import { assertAuditorOf, FindingsService } from './findings.service';

/**
 * What an auditor reads of the cooperatives assigned to them: everything, and every read of a household's
 * personal data (clear names in the member list, statements) is written to the personal-data access log.
 */
@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly accessLog: PersonalDataAccessService,
    private readonly payouts: PayoutsService,
    private readonly statements: StatementsService,
    private readonly findings: FindingsService,
  ) {}

  async cooperatives(p: Principal): Promise<AuditCooperative[]> {
    const rows: { id: string; name: string; county: string; village: string; open: number; assigned_at: Date }[] =
      await this.db.query(
        `SELECT c.id, c.name, c.county, c.village, r.created_at AS assigned_at,
                (SELECT count(*)::int FROM findings f WHERE f.cooperative_id = c.id AND f.status <> 'closed') AS open
           FROM role_assignments r JOIN cooperatives c ON c.id = r.cooperative_id
          WHERE r.user_id = $1 AND r.role = 'auditor'
          ORDER BY c.name`,
        [p.userId],
      );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      county: r.county,
      village: r.village,
      openFindings: r.open,
      assignedAt: new Date(r.assigned_at).toISOString(),
    }));
  }

  async overview(p: Principal, cooperativeId: string): Promise<AuditOverview> {
    assertAuditorOf(p, cooperativeId);
    const coop = await this.db.getRepository(Cooperative).findOne({ where: { id: cooperativeId } });
    if (!coop) throw new AuditException(AuditErrorCode.COOPERATIVE_NOT_FOUND, 'cooperative not found');
    const q = <T>(sql: string, params: unknown[] = [cooperativeId]): Promise<T[]> => this.db.query(sql, params);
    const [ordersByStatus, recent, runs, kinds, balances, last, payoutsByStatus, batches, flagged, findings] =
      await Promise.all([
        q<{ status: string; n: number; total: string }>(
          `SELECT status, count(*)::int AS n, COALESCE(SUM(total_fen), 0) AS total FROM orders WHERE cooperative_id = $1 GROUP BY status ORDER BY status`,
        ),
        q<{ id: string; number: string; status: string; total_fen: string; paid_at: Date | null }>(
          `SELECT id, number, status, total_fen, paid_at FROM orders WHERE cooperative_id = $1 AND paid_at IS NOT NULL ORDER BY paid_at DESC LIMIT 20`,
        ),
        q<{ id: string; status: string; total: number; done: number; created_at: Date; finished_at: Date | null }>(
          `SELECT id, status, total, done, created_at, finished_at FROM settlement_runs WHERE cooperative_id = $1 ORDER BY created_at DESC LIMIT 20`,
        ),
        q<{ kind: string; n: number }>(
          `SELECT kind, count(*)::int AS n FROM ledger_transactions WHERE cooperative_id = $1 GROUP BY kind ORDER BY kind`,
        ),
        q<{ account: string; balance: string }>(
          `SELECT p.account, SUM(p.amount) AS balance FROM ledger_postings p JOIN ledger_transactions t ON t.id = p.transaction_id
          WHERE t.cooperative_id = $1 GROUP BY p.account ORDER BY p.account`,
        ),
        q<{ seq: number; hash: string }>(
          `SELECT seq, hash FROM ledger_transactions WHERE cooperative_id = $1 ORDER BY seq DESC LIMIT 1`,
        ),
        q<{ status: string; n: number; total: string }>(
          `SELECT status, count(*)::int AS n, COALESCE(SUM(amount_fen), 0) AS total FROM payouts WHERE cooperative_id = $1 GROUP BY status ORDER BY status`,
        ),
        q<{ n: number }>(`SELECT count(*)::int AS n FROM payout_batches WHERE cooperative_id = $1`),
        this.payouts.unconfirmedCounts(cooperativeId),
        this.findings.counts(cooperativeId),
      ]);
    const members = await this.db.transaction(async (m) => {
      const rows: {
        household_id: string;
        head_name: string;
        village: string;
        status: RegistryStatus;
        share_units: number;
        joined_at: string;
        left_at: string | null;
        owed: string;
      }[] = await m.query(
        `SELECT ms.household_id, h.head_name, h.village, h.status, ms.share_units, ms.joined_at::text AS joined_at,
                ms.left_at::text AS left_at,
                COALESCE((SELECT -SUM(p.amount) FROM ledger_postings p
                           WHERE p.account = $2 || ms.household_id || ':payable'), 0) AS owed
           FROM memberships ms JOIN households h ON h.id = ms.household_id
          WHERE ms.cooperative_id = $1
          ORDER BY ms.left_at NULLS FIRST, h.village, h.head_name`,
        [cooperativeId, `coop:${cooperativeId}:household:`],
      );
      for (const r of rows) {
        await this.accessLog.record(m, {
          actorId: p.userId,
          actorRole: 'auditor',
          householdId: r.household_id,
          action: 'audit.overview',
          detail: `member list of cooperative ${cooperativeId}`,
        });
      }
      return rows;
    });
    return {
      cooperative: {
        id: coop.id,
        name: coop.name,
        uscc: coop.uscc,
        province: coop.province,
        city: coop.city,
        county: coop.county,
        village: coop.village,
        status: coop.status,
      },
      orders: {
        byStatus: ordersByStatus.map((r) => ({ status: r.status, count: r.n, totalFen: Number(r.total) })),
        recent: recent.map((r) => ({
          id: r.id,
          number: r.number,
          status: r.status,
          totalFen: Number(r.total_fen),
          paidAt: r.paid_at ? new Date(r.paid_at).toISOString() : null,
        })),
      },
      settlements: {
        runs: runs.map((r) => ({
          id: r.id,
          status: r.status,
          total: r.total,
          done: r.done,
          createdAt: new Date(r.created_at).toISOString(),
          finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
        })),
        transactions: kinds.map((r) => ({ kind: r.kind, count: r.n })),
        balances: balances.map((r) => ({ account: r.account, balanceFen: Number(r.balance) })),
        lastSeq: last[0]?.seq ?? 0,
        lastHash: last[0]?.hash ?? null,
      },
      payouts: {
        byStatus: payoutsByStatus.map((r) => ({ status: r.status, count: r.n, totalFen: Number(r.total) })),
        unconfirmedFlagged: flagged[0]?.count ?? 0,
        confirmDays: this.config.PAYOUT_CONFIRM_DAYS,
        batches: batches[0]?.n ?? 0,
      },
      members: members.map((r) => ({
        householdId: r.household_id,
        headName: r.head_name,
        village: r.village,
        registryStatus: r.status,
        shareUnits: r.share_units,
        joinedAt: r.joined_at,
        leftAt: r.left_at,
        owedFen: Number(r.owed),
      })),
      findings,
    };
  }

  async statement(p: Principal, cooperativeId: string, householdId: string): Promise<HouseholdStatement> {
    assertAuditorOf(p, cooperativeId);
    return this.statements.staffStatement({ userId: p.userId, role: 'auditor' }, cooperativeId, householdId);
  }
}
