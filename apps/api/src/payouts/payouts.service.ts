import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import ExcelJS from 'exceljs';
import * as iconv from 'iconv-lite';
import { DataSource, EntityManager, In } from 'typeorm';
import type {
  ExportEncoding,
  PayoutBatchDetail,
  PayoutBatchList,
  PayoutBatchSummary,
  PayoutList,
  PayoutListQuery,
  PayoutView,
  RecordPayoutRequest,
  RecordPayoutResponse,
} from '@xiangbo/contracts';
import { accountCode, fenToYuanString, maskName } from '@xiangbo/domain';
import type { Principal } from '../auth/principal';
import { cooperativeScope } from '../common/cooperative-scope';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Cooperative } from '../cooperatives/entities/cooperative.entity';
import { Household } from '../households/entities/household.entity';
import { PersonalDataCipher } from '../households/personal-data-cipher';
import { PersonalDataAccessService } from '../households/personal-data-access.service';
import { JobsService } from '../jobs/jobs.service';
import { Payout, PayoutBatch } from '../ledger/entities/payout.entity';
import { LedgerService } from '../ledger/ledger.service';
import { SmsOutboxService } from '../sms/sms-outbox.service';
import { hashConfirmCode, newConfirmCode, newConfirmToken } from './payout-secrets';
import { PayoutErrorCode, PayoutException } from './payouts.exception';

const csvCell = (v: string | number) => {
  const s = String(v);
  // Quote everything; neutralise spreadsheet formulas.
  return `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"`;
};

/** Serialises batch planning and payment recording of one cooperative (transaction-scoped advisory lock). */
async function lockCooperativePayouts(m: EntityManager, cooperativeId: string): Promise<void> {
  await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`payouts:${cooperativeId}`]);
}

/** Paid payouts still unconfirmed whose payment date is more than `days` days ago (China's calendar). */
const UNCONFIRMED_SQL = (alias: string, daysParam: string) =>
  `${alias}.status = 'paid' AND ${alias}.paid_on < ((now() AT TIME ZONE 'Asia/Shanghai')::date - ${daysParam}::int)`;

export const UNCONFIRMED_SWEEP_JOB = 'payouts.unconfirmed-sweep';

/**
 * Payout batches (兑付): plan one payout per household owed at least a threshold, export the bank's bulk-payment
 * file, record each payment (ledger payout transaction + one-time confirmation secrets) and flag payouts the
 * households have not confirmed. coop_admins act; hosts read; everyone else gets 404.
 */
@Injectable()
export class PayoutsService implements OnModuleInit {
  private readonly logger = new Logger('Payouts');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ledger: LedgerService,
    private readonly accessLog: PersonalDataAccessService,
    private readonly jobs: JobsService,
    private readonly cipher: PersonalDataCipher,
    private readonly sms: SmsOutboxService,
  ) {}

  onModuleInit() {
    // Daily at 01:00 UTC (09:00 in China): count, per cooperative, the payouts still unconfirmed. It marks
    // nothing — the flag is computed on every read — it only reports the counts in the log.
    this.jobs.register(UNCONFIRMED_SWEEP_JOB, () => this.sweepUnconfirmed().then(() => undefined), '0 1 * * *');
  }

  assertScope(p: Principal, cooperativeId: string, mode: 'read' | 'manage'): void {
    const s = cooperativeScope(p, cooperativeId, mode);
    if (s === 'not_found') throw new PayoutException(PayoutErrorCode.COOPERATIVE_NOT_FOUND, 'cooperative not found');
    if (s === 'forbidden')
      throw new PayoutException(PayoutErrorCode.READ_ONLY, "only the cooperative's admins can do this; hosts can read");
  }

  // ---------- batches ----------

  /**
   * Plans a batch: for each household of the cooperative, available = owed (−balance of its payable account)
   * minus what is already planned and not yet paid; households with available ≥ threshold get one planned
   * payout of that amount. Runs under the cooperative's payout lock, and owed and planned are read in one
   * statement, so two batches at once never plan the same fen twice.
   */
  async createBatch(p: Principal, cooperativeId: string, thresholdFen: number): Promise<PayoutBatchDetail> {
    this.assertScope(p, cooperativeId, 'manage');
    const batchId = await this.db.transaction(async (m) => {
      await lockCooperativePayouts(m, cooperativeId);
      const due = await this.availableByHousehold(m, cooperativeId, thresholdFen);
      if (!due.length) {
        throw new PayoutException(
          PayoutErrorCode.NOTHING_TO_PAY,
          'no household is owed at least the threshold beyond what is already planned',
          { thresholdFen },
        );
      }
      const batch = await m
        .getRepository(PayoutBatch)
        .save(m.getRepository(PayoutBatch).create({ cooperativeId, thresholdFen, createdBy: p.userId }));
      await m.getRepository(Payout).insert(
        due.map((d) => ({
          batchId: batch.id,
          cooperativeId,
          householdId: d.householdId,
          amountFen: d.availableFen,
          status: 'planned' as const,
        })),
      );
      return batch.id;
    });
    return this.batchDetail(p, cooperativeId, batchId);
  }

  /** Households of the cooperative with owed − planned ≥ threshold (one statement: one snapshot). */
  async availableByHousehold(
    m: EntityManager,
    cooperativeId: string,
    thresholdFen: number,
  ): Promise<{ householdId: string; owedFen: number; plannedFen: number; availableFen: number }[]> {
    const rows: { household_id: string; owed: string; planned: string; available: string }[] = await m.query(
      `WITH owed AS (
         SELECT substring(p.account from '^coop:[^:]+:household:([0-9a-f-]+):payable$')::uuid AS household_id,
                -SUM(p.amount) AS owed
           FROM ledger_postings p
          WHERE p.account LIKE $1 AND p.account LIKE '%:payable'
          GROUP BY 1
       ), planned AS (
         SELECT household_id, SUM(amount_fen) AS planned
           FROM payouts WHERE cooperative_id = $2 AND status = 'planned' GROUP BY 1
       )
       SELECT o.household_id, o.owed, COALESCE(pl.planned, 0) AS planned, o.owed - COALESCE(pl.planned, 0) AS available
         FROM owed o LEFT JOIN planned pl ON pl.household_id = o.household_id
        WHERE o.household_id IS NOT NULL AND o.owed - COALESCE(pl.planned, 0) >= $3
        ORDER BY o.household_id`,
      [`coop:${cooperativeId}:household:%`, cooperativeId, thresholdFen],
    );
    return rows.map((r) => ({
      householdId: r.household_id,
      owedFen: Number(r.owed),
      plannedFen: Number(r.planned),
      availableFen: Number(r.available),
    }));
  }

  async listBatches(p: Principal, cooperativeId: string): Promise<PayoutBatchList> {
    this.assertScope(p, cooperativeId, 'read');
    const batches = await this.db
      .getRepository(PayoutBatch)
      .find({ where: { cooperativeId }, order: { createdAt: 'DESC' }, take: 200 });
    const summaries = await this.summaries(batches);
    const [{ n }] = await this.db.query(
      `SELECT count(*)::int AS n FROM payouts p WHERE p.cooperative_id = $1 AND ${UNCONFIRMED_SQL('p', '$2')}`,
      [cooperativeId, this.config.PAYOUT_CONFIRM_DAYS],
    );
    return { items: summaries, unconfirmedFlagged: n, confirmDays: this.config.PAYOUT_CONFIRM_DAYS };
  }

  async batchDetail(p: Principal, cooperativeId: string, batchId: string): Promise<PayoutBatchDetail> {
    this.assertScope(p, cooperativeId, 'read');
    const batch = await this.findBatch(cooperativeId, batchId);
    const [summary] = await this.summaries([batch]);
    const payouts = await this.db
      .getRepository(Payout)
      .find({ where: { batchId }, order: { amountFen: 'DESC', id: 'ASC' } });
    return { ...summary, items: await this.views(payouts) };
  }

  private async findBatch(cooperativeId: string, batchId: string): Promise<PayoutBatch> {
    const batch = /^[0-9a-f-]{36}$/i.test(batchId)
      ? await this.db.getRepository(PayoutBatch).findOne({ where: { id: batchId, cooperativeId } })
      : null;
    if (!batch) throw new PayoutException(PayoutErrorCode.BATCH_NOT_FOUND, 'payout batch not found');
    return batch;
  }

  private async summaries(batches: PayoutBatch[]): Promise<PayoutBatchSummary[]> {
    if (!batches.length) return [];
    const rows: {
      batch_id: string;
      n: number;
      total: string;
      planned: number;
      paid: number;
      confirmed: number;
      flagged: number;
    }[] = await this.db.query(
      `SELECT p.batch_id, count(*)::int AS n, COALESCE(SUM(p.amount_fen), 0) AS total,
                count(*) FILTER (WHERE p.status = 'planned')::int AS planned,
                count(*) FILTER (WHERE p.status = 'paid')::int AS paid,
                count(*) FILTER (WHERE p.status = 'confirmed')::int AS confirmed,
                count(*) FILTER (WHERE ${UNCONFIRMED_SQL('p', '$2')})::int AS flagged
           FROM payouts p WHERE p.batch_id = ANY($1::uuid[]) GROUP BY p.batch_id`,
      [batches.map((b) => b.id), this.config.PAYOUT_CONFIRM_DAYS],
    );
    const by = new Map(rows.map((r) => [r.batch_id, r]));
    return batches.map((b) => {
      const r = by.get(b.id);
      return {
        id: b.id,
        cooperativeId: b.cooperativeId,
        thresholdFen: b.thresholdFen,
        createdAt: b.createdAt.toISOString(),
        payouts: r?.n ?? 0,
        totalFen: Number(r?.total ?? 0),
        planned: r?.planned ?? 0,
        paid: r?.paid ?? 0,
        confirmed: r?.confirmed ?? 0,
        unconfirmedFlagged: r?.flagged ?? 0,
      };
    });
  }

  /** Payouts as the console shows them: masked names only (no access-log row needed). */
  private async views(payouts: Payout[], manager?: EntityManager): Promise<PayoutView[]> {
    if (!payouts.length) return [];
    const m = manager ?? this.db.manager;
    const households = await m
      .getRepository(Household)
      .find({ where: { id: In([...new Set(payouts.map((x) => x.householdId))]) } });
    const hh = new Map(households.map((h) => [h.id, h]));
    const today = chinaToday();
    const cutoff = addDays(today, -this.config.PAYOUT_CONFIRM_DAYS);
    return payouts.map((x) => {
      const h = hh.get(x.householdId);
      return {
        id: x.id,
        batchId: x.batchId,
        householdId: x.householdId,
        householdNameMasked: h ? maskName(h.headName) : '*',
        village: h?.village ?? '',
        registryStatus: h?.status ?? 'none',
        amountFen: x.amountFen,
        status: x.status,
        channel: x.channel,
        reference: x.reference,
        paidOn: x.paidOn,
        confirmedAt: x.confirmedAt ? x.confirmedAt.toISOString() : null,
        confirmRoute: x.confirmRoute,
        smsToMasked: x.smsToMasked,
        confirmMethod: x.confirmMethod,
        unconfirmedFlag: x.status === 'paid' && x.paidOn !== null && x.paidOn < cutoff,
        createdAt: x.createdAt.toISOString(),
      };
    });
  }

  /** `GET .../payouts?flag=unconfirmed|status=`: payouts of every batch, newest first. */
  async list(p: Principal, cooperativeId: string, q: PayoutListQuery): Promise<PayoutList> {
    this.assertScope(p, cooperativeId, 'read');
    const qb = this.db
      .getRepository(Payout)
      .createQueryBuilder('p')
      .where('p.cooperative_id = :c', { c: cooperativeId })
      .orderBy('p.paid_on', 'ASC', 'NULLS LAST')
      .addOrderBy('p.created_at', 'DESC')
      .limit(1000);
    if (q.status) qb.andWhere('p.status = :s', { s: q.status });
    if (q.flag === 'unconfirmed') qb.andWhere(UNCONFIRMED_SQL('p', ':days'), { days: this.config.PAYOUT_CONFIRM_DAYS });
    return { items: await this.views(await qb.getMany()), confirmDays: this.config.PAYOUT_CONFIRM_DAYS };
  }

  // ---------- bank export ----------

  /**
   * The bank's bulk-payment file for the payouts of a batch still to pay: clear names of the heads of household
   * (each one written to the personal-data access log as `payout.export`), village, amount in yuan and the
   * payout id as the remark the bank statement carries back. The account column is left for the bank or the
   * cooperative to fill: the registry keeps no bank accounts. UTF-8 (with BOM, for Excel) or GBK.
   */
  async exportCsv(
    p: Principal,
    cooperativeId: string,
    batchId: string,
    encoding: ExportEncoding,
  ): Promise<{ body: Buffer; filename: string; contentType: string }> {
    return this.exportFile(p, cooperativeId, batchId, encoding);
  }

  /**
   * The same file as an Excel workbook (one sheet): the same columns, the amount a number shown with two decimals,
   * each clear name access-logged alike. A well-kept library (exceljs) writes it: XLSX is a zip of XML parts that
   * Excel and WPS are strict about, not a format to hand-roll.
   */
  async exportXlsx(
    p: Principal,
    cooperativeId: string,
    batchId: string,
  ): Promise<{ body: Buffer; filename: string; contentType: string }> {
    return this.exportFile(p, cooperativeId, batchId, 'xlsx');
  }

  private async exportFile(
    p: Principal,
    cooperativeId: string,
    batchId: string,
    format: ExportEncoding | 'xlsx',
  ): Promise<{ body: Buffer; filename: string; contentType: string }> {
    this.assertScope(p, cooperativeId, 'manage');
    const batch = await this.findBatch(cooperativeId, batchId);
    const table = await this.db.transaction(async (m) => {
      const rows: { id: string; household_id: string; head_name: string; village: string; amount_fen: string }[] =
        await m.query(
          `SELECT p.id, p.household_id, h.head_name, h.village, p.amount_fen
           FROM payouts p JOIN households h ON h.id = p.household_id
          WHERE p.batch_id = $1 AND p.status = 'planned'
          ORDER BY h.village, h.head_name, p.id`,
          [batch.id],
        );
      for (const r of rows) {
        await this.accessLog.record(m, {
          actorId: p.userId,
          actorRole: 'coop_admin',
          householdId: r.household_id,
          action: 'payout.export',
          detail: `bank export of payout batch ${batch.id} (payout ${r.id})`,
        });
      }
      const header = ['序号', '户主姓名', '收款账号/手机号', '村', '金额(元)', '备注'];
      return { header, rows };
    });
    const date = batch.createdAt.toISOString().slice(0, 10);
    if (format === 'xlsx') {
      const wb = new ExcelJS.Workbook();
      const sheet = wb.addWorksheet('兑付 payouts', { views: [{ state: 'frozen', ySplit: 1 }] });
      sheet.columns = table.header.map((header, i) => ({ header, width: [8, 14, 22, 16, 14, 44][i] }));
      sheet.getRow(1).font = { bold: true };
      sheet.getColumn(5).numFmt = '#,##0.00';
      table.rows.forEach((r, i) =>
        sheet.addRow([i + 1, r.head_name, null, r.village, Number(r.amount_fen) / 100, `兑付 ${r.id}`]),
      );
      return {
        body: Buffer.from(await wb.xlsx.writeBuffer()),
        filename: `payout-batch-${date}-${batch.id.slice(0, 8)}.xlsx`,
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      };
    }
    const encoding = format;
    const lines = table.rows.map((r, i) =>
      [i + 1, r.head_name, '', r.village, fenToYuanString(Number(r.amount_fen)), `兑付 ${r.id}`].map(csvCell).join(','),
    );
    const csv = [table.header.map(csvCell).join(','), ...lines].join('\r\n') + '\r\n';
    const filename = `payout-batch-${date}-${batch.id.slice(0, 8)}-${encoding}.csv`;
    return encoding === 'gbk'
      ? { body: iconv.encode(csv, 'gbk'), filename, contentType: 'text/csv; charset=GBK' }
      : { body: Buffer.from('\uFEFF' + csv, 'utf8'), filename, contentType: 'text/csv; charset=utf-8' };
  }

  // ---------- recording a payment ----------

  /**
   * Records that a planned payout was paid, in ONE transaction: the ledger's payout transaction
   * (`payout:<id>`: Dr household payable, Cr paid_out), status paid with channel/reference/date, and how the
   * household will confirm. With a phone in the platform's registry: one-time secrets (stored only as hashes) and
   * an SMS to that phone queued in the same transaction and sent after commit (retried by a job; one per payout).
   * Without: the `attest` route (an assigned auditor attests in person). The code and the link are answered to
   * nobody. Recording again → 409 with the existing state, no second ledger entry and no second SMS.
   */
  async record(p: Principal, payoutId: string, body: RecordPayoutRequest): Promise<RecordPayoutResponse> {
    const existing = /^[0-9a-f-]{36}$/i.test(payoutId)
      ? await this.db.getRepository(Payout).findOne({ where: { id: payoutId } })
      : null;
    if (!existing || cooperativeScope(p, existing.cooperativeId, 'read') === 'not_found') {
      throw new PayoutException(PayoutErrorCode.PAYOUT_NOT_FOUND, 'payout not found');
    }
    this.assertScope(p, existing.cooperativeId, 'manage');
    const cooperativeId = existing.cooperativeId;
    const result = await this.db.transaction(async (m) => {
      await lockCooperativePayouts(m, cooperativeId);
      const payout = await m
        .getRepository(Payout)
        .createQueryBuilder('p')
        .setLock('pessimistic_write')
        .where('p.id = :id', { id: payoutId })
        .getOneOrFail();
      if (payout.status !== 'planned') {
        const [view] = await this.views([payout], m);
        throw new PayoutException(PayoutErrorCode.ALREADY_RECORDED, 'this payout has already been recorded', {
          payout: view,
        });
      }
      const payable = accountCode.householdPayable(cooperativeId, payout.householdId);
      const tx = await this.ledger.append(m, {
        cooperativeId,
        idempotencyKey: `payout:${payout.id}`,
        kind: 'payout',
        reference: {
          payoutId: payout.id,
          batchId: payout.batchId,
          householdId: payout.householdId,
          channel: body.channel,
          paidOn: body.paidOn,
          // the bank or receipt reference typed in, hashed with the entry (docs/ledger.md: payouts before it lack it)
          paymentReference: body.reference,
        },
        postings: [
          { account: payable, amount: payout.amountFen, currency: 'CNY' },
          { account: accountCode.paidOut(cooperativeId), amount: -payout.amountFen, currency: 'CNY' },
        ],
      });
      // Never pay out more than the household is owed: its payable account must not turn into a debt.
      const balance = await this.ledger.balance(m, payable);
      if (balance > 0) {
        throw new PayoutException(
          PayoutErrorCode.NOT_ENOUGH_OWED,
          'the household is owed less than this payout (a refund may have reversed part of it); plan a new batch',
          { owedFen: payout.amountFen - balance, amountFen: payout.amountFen },
        );
      }
      payout.status = 'paid';
      payout.channel = body.channel;
      payout.reference = body.reference;
      payout.paidOn = body.paidOn;
      payout.recordedBy = p.userId;
      payout.ledgerTransactionId = tx.id;
      const household = await m.getRepository(Household).findOneOrFail({ where: { id: payout.householdId } });
      const phone = household.phoneEncrypted ? this.cipher.decrypt(household.phoneEncrypted) : null;
      let outboxId: string | null = null;
      if (phone) {
        const token = newConfirmToken();
        const code = newConfirmCode();
        payout.confirmRoute = 'sms';
        payout.smsToMasked = household.phoneMasked;
        payout.confirmTokenHash = token.hash;
        payout.confirmCodeHash = hashConfirmCode(this.config.PERSONAL_DATA_KEY, payout.id, code);
        const coop = await m.getRepository(Cooperative).findOneOrFail({ where: { id: cooperativeId } });
        outboxId = await this.sms.enqueue(m, {
          key: `payout-confirm:${payout.id}`,
          to: phone,
          code,
          params: {
            amount: fenToYuanString(payout.amountFen),
            coop: coop.name,
            link: `${this.config.SMS_LINK_BASE_URL.replace(/\/+$/, '')}/h/${token.token}`,
          },
        });
      } else {
        payout.confirmRoute = 'attest';
        payout.smsToMasked = null;
        payout.confirmTokenHash = null;
        payout.confirmCodeHash = null;
      }
      await m.getRepository(Payout).save(payout);
      const [view] = await this.views([payout], m);
      return { view, outboxId, ledgerTransactionId: tx.id };
    });
    // After commit: send now; a failure leaves the message pending for the retry job.
    const sms = result.outboxId ? await this.sms.deliver(result.outboxId).catch(() => 'pending' as const) : null;
    return {
      payout: result.view,
      confirmation: {
        route: result.view.confirmRoute ?? 'attest',
        phoneMasked: result.view.smsToMasked,
        sms,
      },
      ledgerTransactionId: result.ledgerTransactionId,
    };
  }

  // ---------- unconfirmed ----------

  /** Per cooperative: paid payouts still unconfirmed after PAYOUT_CONFIRM_DAYS (for the console and 公示). */
  async unconfirmedCounts(
    cooperativeId?: string,
  ): Promise<{ cooperativeId: string; count: number; amountFen: number }[]> {
    const rows: { cooperative_id: string; n: number; total: string }[] = await this.db.query(
      `SELECT p.cooperative_id, count(*)::int AS n, SUM(p.amount_fen) AS total FROM payouts p
        WHERE ${UNCONFIRMED_SQL('p', '$1')} AND ($2::uuid IS NULL OR p.cooperative_id = $2::uuid)
        GROUP BY p.cooperative_id`,
      [this.config.PAYOUT_CONFIRM_DAYS, cooperativeId ?? null],
    );
    return rows.map((r) => ({ cooperativeId: r.cooperative_id, count: r.n, amountFen: Number(r.total) }));
  }

  async sweepUnconfirmed() {
    const counts = await this.unconfirmedCounts();
    for (const c of counts) {
      this.logger.warn(
        { cooperativeId: c.cooperativeId, unconfirmed: c.count, amountFen: c.amountFen },
        `payouts unconfirmed after ${this.config.PAYOUT_CONFIRM_DAYS} days`,
      );
    }
    return counts;
  }
}

export function chinaToday(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
