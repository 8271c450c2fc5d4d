import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { DataSource, EntityManager } from 'typeorm';
import { accountCode, fenToYuanString, maskName } from '@xiangbo/domain';
import type { Principal } from '../auth/principal';
import { ValidationException } from '../common/app.exception';
import { PersonalDataAccessService } from '../households/personal-data-access.service';
import { chinaDateCell, chinaTime, csvRow } from '../ledger/export.service';
import { exportRole } from '../ledger/ledger-access';
import { LedgerErrorCode, LedgerException } from '../ledger/ledger.exception';
import { statementFromPostings } from './statements.service';

export type SheetFormat = 'csv' | 'csv-gbk' | 'xlsx';
export interface SheetFile {
  body: Buffer;
  filename: string;
  contentType: string;
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const STATUS_LABEL: Record<string, string> = {
  registered: '建档立卡 registered',
  monitored: '监测 monitored',
  lifted: '已脱贫 lifted',
  none: '一般农户 none',
};
const CHANNEL_LABEL: Record<string, string> = { bank: '银行转账 bank', mobile: '移动支付 mobile', cash: '现金 cash' };
const PAYOUT_STATUS_LABEL: Record<string, string> = {
  planned: '待付款 planned',
  paid: '已付款待确认 paid',
  confirmed: '农户已确认 confirmed',
};
const CONFIRM_LABEL: Record<string, string> = {
  sms: '短信验证码 sms',
  attested: '审计员见证 attested',
  legacy: '旧链接 legacy',
};
const KIND_LABEL: Record<string, string> = {
  settlement: '收购款 purchase',
  dividend: '分红 dividend',
  reversal: '退款冲回 reversal',
  payout: '兑付 payout',
};

/**
 * `?format=csv|xlsx&encoding=utf-8|gbk&names=masked|clear` of the sheet routes, checked: a 400 naming the field,
 * never a 500. CSV is UTF-8 with a BOM (Excel reads the Chinese) or GBK (older Excel and WPS).
 */
export function parseSheetQuery(q: { format?: string; encoding?: string; names?: string }): {
  format: SheetFormat;
  clearNames: boolean;
} {
  const errors: { field: string; message: string }[] = [];
  if (q.format !== undefined && q.format !== 'csv' && q.format !== 'xlsx')
    errors.push({ field: 'format', message: 'must be csv or xlsx' });
  if (q.encoding !== undefined && !(q.format !== 'xlsx' && (q.encoding === 'utf-8' || q.encoding === 'gbk')))
    errors.push({ field: 'encoding', message: 'must be utf-8 or gbk (with format=csv)' });
  if (q.names !== undefined && q.names !== 'masked' && q.names !== 'clear')
    errors.push({ field: 'names', message: 'must be masked or clear' });
  if (errors.length) throw new ValidationException(errors);
  return {
    format: q.format === 'xlsx' ? 'xlsx' : q.encoding === 'gbk' ? 'csv-gbk' : 'csv',
    clearNames: q.names === 'clear',
  };
}

/** A table as CSV (UTF-8 with BOM, or GBK), CRLF, formulas defused (`csvRow`). */
function csvFile(header: string[], rows: string[][], name: string, format: 'csv' | 'csv-gbk'): SheetFile {
  const text = [header, ...rows].map(csvRow).join('');
  return format === 'csv-gbk'
    ? { body: iconv.encode(text, 'gbk'), filename: `${name}-gbk.csv`, contentType: 'text/csv; charset=gbk' }
    : { body: Buffer.from('\uFEFF' + text, 'utf8'), filename: `${name}.csv`, contentType: 'text/csv; charset=utf-8' };
}

interface Column {
  header: string;
  width: number;
  /** 'yuan': a number shown with two decimals; 'fen': an integer; 'time': a date cell in China's wall-clock time. */
  kind?: 'yuan' | 'fen' | 'time';
}

function addSheet(wb: ExcelJS.Workbook, name: string, columns: Column[], rows: unknown[][]): void {
  const sheet = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  columns.forEach((c, i) => {
    if (c.kind === 'yuan') sheet.getColumn(i + 1).numFmt = '#,##0.00';
    else if (c.kind === 'fen') sheet.getColumn(i + 1).numFmt = '0';
    else if (c.kind === 'time') sheet.getColumn(i + 1).numFmt = 'yyyy-mm-dd hh:mm:ss';
  });
  sheet.getRow(1).font = { bold: true };
  for (const r of rows) sheet.addRow(r);
}

const yuan = (fen: number) => fen / 100;

interface HouseholdRow {
  id: string;
  head_name: string;
  village: string;
  status: string;
}

/**
 * Household statements and payouts of one cooperative for a spreadsheet (CSV UTF-8 with BOM, CSV GBK, XLSX), for
 * its coop_admins and the auditors assigned to it (others 404), every download written to the access log. Names
 * are masked (王*明) unless `names=clear` is asked, and then each household whose clear name is in the file gets
 * its own access-log row. Amounts: exact yuan text in CSV; in XLSX a number in yuan shown with two decimals and,
 * beside it, the exact integer fen (the column to add up). Times in China's (UTC+8).
 */
@Injectable()
export class MoneySheetsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: PersonalDataAccessService,
  ) {}

  private async authorise(
    m: EntityManager,
    p: Principal,
    cooperativeId: string,
    what: string,
    format: SheetFormat,
  ): Promise<'coop_admin' | 'auditor'> {
    const role = exportRole(p, cooperativeId);
    const [coop] = await m.query('SELECT id FROM cooperatives WHERE id = $1', [cooperativeId]);
    if (!coop) throw new LedgerException(LedgerErrorCode.COOPERATIVE_NOT_FOUND, 'cooperative not found');
    await this.access.record(m, {
      actorId: p.userId,
      actorRole: role,
      householdId: null,
      action: 'ledger.export',
      detail: `${what} (${format === 'xlsx' ? 'XLSX' : format === 'csv-gbk' ? 'CSV GBK' : 'CSV'}) of cooperative ${cooperativeId}`,
    });
    return role;
  }

  /** Each household whose clear name goes into a file: one access-log row. */
  private async logNames(
    m: EntityManager,
    p: Principal,
    role: string,
    households: HouseholdRow[],
    what: string,
  ): Promise<void> {
    for (const h of households)
      await this.access.record(m, {
        actorId: p.userId,
        actorRole: role,
        householdId: h.id,
        action: 'household.name',
        detail: `clear name in the ${what} export`,
      });
  }

  private households(m: EntityManager, ids: string[]): Promise<HouseholdRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return m.query(
      `SELECT h.id, h.head_name, h.village, h.status FROM households h WHERE h.id = ANY($1::uuid[])
        ORDER BY h.village, h.head_name, h.id`,
      [ids],
    ) as Promise<HouseholdRow[]>;
  }

  /**
   * Household statements (农户对账单): one row per household with an account at the cooperative or a member of it —
   * purchase payments, dividends, adjustments (reversals), earned, paid out, still owed, number of payouts. The XLSX
   * has a second sheet with every entry of every household (seq, time, kind, amount, channel, payment reference).
   */
  async statements(p: Principal, cooperativeId: string, format: SheetFormat, clearNames: boolean): Promise<SheetFile> {
    return this.db.transaction('REPEATABLE READ', async (m) => {
      const role = await this.authorise(m, p, cooperativeId, 'household statements', format);
      const prefix = `coop:${cooperativeId}:household:`;
      const rows: {
        household_id: string;
        seq: number;
        kind: string;
        occurred_at: string;
        reference: Record<string, unknown> | null;
        amount: string;
      }[] = await m.query(
        `SELECT p.household_id, t.seq, t.kind, t.occurred_at, t.reference, p.amount::text AS amount
           FROM ledger_postings p JOIN ledger_transactions t ON t.id = p.transaction_id
          WHERE t.cooperative_id = $1 AND p.household_id IS NOT NULL AND p.account = $2 || p.household_id::text || ':payable'
          ORDER BY p.household_id, t.seq, p.position`,
        [cooperativeId, prefix],
      );
      const members: { household_id: string }[] = await m.query(
        `SELECT DISTINCT household_id FROM memberships WHERE cooperative_id = $1`,
        [cooperativeId],
      );
      const byHousehold = new Map<string, typeof rows>();
      for (const r of rows) {
        const list = byHousehold.get(r.household_id);
        if (list) list.push(r);
        else byHousehold.set(r.household_id, [r]);
      }
      for (const mem of members) if (!byHousehold.has(mem.household_id)) byHousehold.set(mem.household_id, []);
      const households = await this.households(m, [...byHousehold.keys()]);
      if (clearNames) await this.logNames(m, p, role, households, 'household statements');
      const name = (h: HouseholdRow) => (clearNames ? h.head_name : maskName(h.head_name));

      const summary = households.map((h) => ({ h, s: statementFromPostings(byHousehold.get(h.id) ?? []) }));
      const day = chinaTime(new Date().toISOString()).slice(0, 10);
      const file = `household-statements-${cooperativeId.slice(0, 8)}-${day}`;
      const amountHeaders = [
        '收购款 purchase',
        '分红 dividend',
        '调整（退款冲回） adjustments',
        '应得合计 earned',
        '已兑付 paid out',
        '待兑付 owed',
      ];
      const amountsOf = (s: ReturnType<typeof statementFromPostings>) => [
        s.purchaseFen,
        s.dividendFen,
        s.adjustmentsFen,
        s.earnedFen,
        s.paidOutFen,
        s.owedFen,
      ];
      const head = [
        '农户编号 householdId',
        clearNames ? '户主姓名 name' : '户主（脱敏） name (masked)',
        '村 village',
        '当前登记状态 registry status (now)',
      ];
      const payoutsOf = (s: ReturnType<typeof statementFromPostings>) => s.byChannel.reduce((n, c) => n + c.count, 0);
      if (format !== 'xlsx') {
        return csvFile(
          [...head, ...amountHeaders.map((x) => `${x}（元） (yuan)`), '兑付笔数 payouts', '账户 account'],
          summary.map(({ h, s }) => [
            h.id,
            name(h),
            h.village,
            STATUS_LABEL[h.status] ?? h.status,
            ...amountsOf(s).map(fenToYuanString),
            String(payoutsOf(s)),
            accountCode.householdPayable(cooperativeId, h.id),
          ]),
          file,
          format,
        );
      }
      const wb = new ExcelJS.Workbook();
      addSheet(
        wb,
        '农户对账 statements',
        [
          { header: head[0], width: 38 },
          { header: head[1], width: 14 },
          { header: head[2], width: 14 },
          { header: head[3], width: 18 },
          ...amountHeaders.map((header): Column => ({ header: `${header}（元）`, width: 14, kind: 'yuan' })),
          { header: '待兑付（分） owed (fen)', width: 14, kind: 'fen' },
          { header: '兑付笔数 payouts', width: 10 },
        ],
        summary.map(({ h, s }) => [
          h.id,
          name(h),
          h.village,
          STATUS_LABEL[h.status] ?? h.status,
          ...amountsOf(s).map(yuan),
          s.owedFen,
          payoutsOf(s),
        ]),
      );
      const names = new Map(households.map((h) => [h.id, name(h)]));
      addSheet(
        wb,
        '明细 entries',
        [
          { header: '农户编号 householdId', width: 38 },
          { header: head[1], width: 14 },
          { header: '序号 seq', width: 8 },
          { header: '北京时间 time (China)', width: 20, kind: 'time' },
          { header: '类型 kind', width: 16 },
          { header: '金额（元，应得为正） amount (yuan)', width: 16, kind: 'yuan' },
          { header: '金额（分） amount (fen)', width: 14, kind: 'fen' },
          { header: '兑付渠道 channel', width: 14 },
          { header: '兑付凭证号 payment reference', width: 24 },
        ],
        households.flatMap((h) =>
          (byHousehold.get(h.id) ?? []).map((r) => {
            const fen = -Number(r.amount); // credit = earned (positive), a payout negative
            const ref = r.reference ?? {};
            return [
              h.id,
              names.get(h.id),
              Number(r.seq),
              chinaDateCell(r.occurred_at),
              KIND_LABEL[r.kind] ?? r.kind,
              yuan(fen),
              fen,
              r.kind === 'payout' && typeof ref.channel === 'string'
                ? (CHANNEL_LABEL[ref.channel] ?? ref.channel)
                : null,
              r.kind === 'payout' && typeof ref.paymentReference === 'string' ? ref.paymentReference : null,
            ];
          }),
        ),
      );
      return { body: Buffer.from(await wb.xlsx.writeBuffer()), filename: `${file}.xlsx`, contentType: XLSX_TYPE };
    });
  }

  /**
   * Payouts (兑付记录): every payout of the cooperative, planned, paid and confirmed — amount, status, channel, the
   * reference typed in, date paid, how and when the household confirmed, and its ledger entry (seq, hash).
   */
  async payouts(p: Principal, cooperativeId: string, format: SheetFormat, clearNames: boolean): Promise<SheetFile> {
    return this.db.transaction('REPEATABLE READ', async (m) => {
      const role = await this.authorise(m, p, cooperativeId, 'payouts', format);
      const rows: {
        id: string;
        batch_id: string;
        household_id: string;
        amount_fen: string;
        status: string;
        channel: string | null;
        reference: string | null;
        paid_on: string | null;
        confirmed_at: Date | null;
        confirm_method: string | null;
        seq: number | null;
        hash: string | null;
      }[] = await m.query(
        `SELECT x.id, x.batch_id, x.household_id, x.amount_fen::text, x.status, x.channel, x.reference,
                x.paid_on::text AS paid_on, x.confirmed_at, x.confirm_method, t.seq, t.hash
           FROM payouts x LEFT JOIN ledger_transactions t ON t.id = x.ledger_transaction_id
          WHERE x.cooperative_id = $1
          ORDER BY x.paid_on NULLS LAST, x.created_at, x.id`,
        [cooperativeId],
      );
      const households = await this.households(m, [...new Set(rows.map((r) => r.household_id))]);
      if (clearNames) await this.logNames(m, p, role, households, 'payouts');
      const hh = new Map(households.map((h) => [h.id, h]));
      const name = (id: string) => {
        const h = hh.get(id);
        return h ? (clearNames ? h.head_name : maskName(h.head_name)) : '';
      };
      const day = chinaTime(new Date().toISOString()).slice(0, 10);
      const file = `payouts-${cooperativeId.slice(0, 8)}-${day}`;
      const label = (map: Record<string, string>, v: string | null) => (v ? (map[v] ?? v) : '');
      if (format !== 'xlsx') {
        return csvFile(
          [
            '兑付编号 payoutId',
            '批次 batchId',
            '农户编号 householdId',
            clearNames ? '户主姓名 name' : '户主（脱敏） name (masked)',
            '村 village',
            '金额（元） amount (yuan)',
            '状态 status',
            '渠道 channel',
            '凭证号 payment reference',
            '付款日期 paid on',
            '确认方式 confirmed by',
            '确认时间（北京时间） confirmed at (China)',
            '账本序号 ledger seq',
            '交易哈希 ledger hash',
          ],
          rows.map((r) => [
            r.id,
            r.batch_id,
            r.household_id,
            name(r.household_id),
            hh.get(r.household_id)?.village ?? '',
            fenToYuanString(Number(r.amount_fen)),
            label(PAYOUT_STATUS_LABEL, r.status),
            label(CHANNEL_LABEL, r.channel),
            r.reference ?? '',
            r.paid_on ?? '',
            label(CONFIRM_LABEL, r.confirm_method),
            r.confirmed_at ? chinaTime(r.confirmed_at.toISOString()) : '',
            r.seq === null ? '' : String(r.seq),
            r.hash ?? '',
          ]),
          file,
          format,
        );
      }
      const wb = new ExcelJS.Workbook();
      addSheet(
        wb,
        '兑付 payouts',
        [
          { header: '兑付编号 payoutId', width: 38 },
          { header: '批次 batchId', width: 38 },
          { header: '农户编号 householdId', width: 38 },
          { header: clearNames ? '户主姓名 name' : '户主（脱敏） name (masked)', width: 14 },
          { header: '村 village', width: 14 },
          { header: '金额（元） amount (yuan)', width: 14, kind: 'yuan' },
          { header: '金额（分） amount (fen)', width: 14, kind: 'fen' },
          { header: '状态 status', width: 20 },
          { header: '渠道 channel', width: 16 },
          { header: '凭证号 payment reference', width: 24 },
          { header: '付款日期 paid on', width: 12 },
          { header: '确认方式 confirmed by', width: 18 },
          { header: '确认时间（北京时间） confirmed at (China)', width: 20, kind: 'time' },
          { header: '账本序号 ledger seq', width: 10 },
          { header: '交易哈希 ledger hash', width: 66 },
        ],
        rows.map((r) => [
          r.id,
          r.batch_id,
          r.household_id,
          name(r.household_id),
          hh.get(r.household_id)?.village ?? null,
          yuan(Number(r.amount_fen)),
          Number(r.amount_fen),
          label(PAYOUT_STATUS_LABEL, r.status),
          label(CHANNEL_LABEL, r.channel) || null,
          r.reference,
          r.paid_on,
          label(CONFIRM_LABEL, r.confirm_method) || null,
          r.confirmed_at ? chinaDateCell(r.confirmed_at.toISOString()) : null,
          r.seq,
          r.hash,
        ]),
      );
      return { body: Buffer.from(await wb.xlsx.writeBuffer()), filename: `${file}.xlsx`, contentType: XLSX_TYPE };
    });
  }
}
