import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Writable } from 'node:stream';
import { DataSource, QueryRunner } from 'typeorm';
import type { ExportLine, LedgerKind, LedgerTransactionContent } from '@xiangbo/domain';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { fenToYuanString, GENESIS_HASH, LedgerError, transactionLine } from '@xiangbo/domain';
import type { Principal } from '../auth/principal';
import { PersonalDataAccessService } from '../households/personal-data-access.service';
import { SharingPolicyVersion } from './entities/sharing-policy.entity';
import { exportRole, statusAsOfSql } from './ledger-access';
import { LedgerErrorCode, LedgerException } from './ledger.exception';
import { toDomainPolicy } from './policies.service';

const PAGE = 5000;

const CSV_HEADERS = [
  '序号 seq',
  '时间 occurredAt (UTC)',
  '类型 kind',
  '业务编号 idempotencyKey',
  '订单 orderId',
  '账户 account',
  '农户 householdId',
  '当日登记状态 registry status',
  '金额（元，借正贷负） amount (yuan)',
  '币种 currency',
  '交易哈希 hash',
  '北京时间 occurredAt (China, UTC+8)',
  '兑付凭证号 payment reference',
];

/** An ISO instant as China's wall-clock time (UTC+8, no daylight saving): `YYYY-MM-DD HH:mm:ss`. */
export function chinaTime(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * The same instant for a spreadsheet's date cell: spreadsheets have no time zones, so the cell holds China's
 * wall-clock time (the Date shifted by 8 hours, written as if it were UTC, as exceljs does).
 */
export function chinaDateCell(iso: string): Date {
  return new Date(Date.parse(iso) + 8 * 3600_000);
}
const KIND_LABEL: Record<string, string> = {
  payment: '付款 payment',
  settlement: '结算 settlement',
  refund: '退款 refund',
  reversal: '冲正 reversal',
  refund_fee: '退款订单手续费（平台承担） refund_fee',
  dividend: '分红 dividend',
  payout: '兑付 payout',
};
const STATUS_LABEL: Record<string, string> = {
  registered: '建档立卡 registered',
  monitored: '监测 monitored',
  lifted: '已脱贫 lifted',
  none: '一般农户 none',
};

type CsvRow = {
  seq: number;
  occurred_at: string;
  kind: string;
  idempotency_key: string;
  order_id: string | null;
  hash: string;
  account: string;
  amount: string;
  currency: string;
  household_id: string | null;
  status: string | null;
  payment_reference: string | null;
};

/**
 * One CSV line (RFC 4180, CRLF): fields with a comma, quote or line break quoted; a text that a spreadsheet would
 * read as a formula (=, +, -, @ first, and not a number) gets a leading apostrophe.
 */
export function csvRow(fields: readonly string[]): string {
  return (
    fields
      .map((f) => {
        let v = /^[=+\-@\t\r]/.test(f) && !/^-?\d+(\.\d+)?$/.test(f) ? `'${f}` : f;
        if (/[",\r\n]/.test(v)) v = `"${v.replace(/"/g, '""')}"`;
        return v;
      })
      .join(',') + '\r\n'
  );
}

type Row = {
  seq: number;
  idempotency_key: string;
  kind: string;
  occurred_at: string;
  reference: Record<string, unknown>;
  prev_hash: string;
  hash: string;
};

/**
 * A transaction line with its hashed content verbatim (`transactionLine`, docs/ledger.md), so the verifier can hash
 * the line's own bytes. A stored entry that canonical JSON cannot hold (it could not have been hashed when it was
 * appended: only a changed row) is still exported, as plain JSON, for the verifier to name.
 */
function exportedTransactionLine(content: LedgerTransactionContent, hash: string): string {
  try {
    return transactionLine(content, hash);
  } catch (e) {
    if (!(e instanceof LedgerError)) throw e;
    return JSON.stringify({ type: 'transaction', ...content, hash });
  }
}

/**
 * The ledger export (JSON Lines, `xiangbo-ledger/1`, docs/ledger.md): header, every policy version, every
 * transaction in seq order with its postings in hashed order, the balances, a footer. Read in one
 * REPEATABLE READ snapshot and streamed page by page, so a ledger of millions of entries never sits in memory
 * and appends made meanwhile never half-appear.
 */
@Injectable()
export class LedgerExportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: PersonalDataAccessService,
  ) {}

  /** Authorises (coop_admin of it, or an auditor assigned to it; others 404) and logs the read. */
  async authorise(p: Principal, cooperativeId: string, format: 'jsonl' | 'csv' | 'xlsx' = 'jsonl'): Promise<void> {
    const role = exportRole(p, cooperativeId);
    const [coop] = await this.db.query('SELECT id FROM cooperatives WHERE id = $1', [cooperativeId]);
    if (!coop) throw new LedgerException(LedgerErrorCode.COOPERATIVE_NOT_FOUND, 'cooperative not found');
    await this.access.record(undefined, {
      actorId: p.userId,
      actorRole: role,
      householdId: null,
      action: 'ledger.export',
      detail: `ledger export (${format === 'csv' ? 'CSV' : format === 'xlsx' ? 'XLSX' : 'JSON Lines'}) of cooperative ${cooperativeId}`,
    });
  }

  /**
   * The transactions as CSV for a spreadsheet (one row per posting, Chinese headers; docs/ledger.md): UTF-8 with a
   * BOM (Excel then reads the Chinese), or GBK for older spreadsheets. Households by id, with their registry status
   * on the day of each credit; amounts in yuan as exact decimal text. The JSON Lines export stays the one to verify.
   */
  async writeCsv(cooperativeId: string, out: Writable, encoding: 'utf-8' | 'gbk'): Promise<void> {
    const send = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const bytes = encoding === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8');
        const ok = out.write(bytes, (err) => err && reject(err));
        if (ok) resolve();
        else out.once('drain', resolve);
      });
    await send((encoding === 'utf-8' ? '\uFEFF' : '') + csvRow(CSV_HEADERS));
    await this.postingRows(cooperativeId, (rows) =>
      send(
        rows
          .map((r) =>
            csvRow([
              String(r.seq),
              r.occurred_at,
              KIND_LABEL[r.kind] ?? r.kind,
              r.idempotency_key,
              r.order_id ?? '',
              r.account,
              r.household_id ?? '',
              r.status ? (STATUS_LABEL[r.status] ?? r.status) : '',
              fenToYuanString(Number(r.amount)),
              r.currency,
              r.hash,
              chinaTime(r.occurred_at),
              r.payment_reference ?? '',
            ]),
          )
          .join(''),
      ),
    );
  }

  /**
   * The same rows as the CSV, as an Excel workbook (XLSX, streamed: one sheet "交易"): seq and amounts are numbers
   * (yuan with two decimals shown, and the exact fen beside), text stays text (never read as a formula).
   */
  async writeXlsx(cooperativeId: string, out: Writable): Promise<void> {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    const sheet = wb.addWorksheet('交易 transactions', { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = [
      ...CSV_HEADERS.slice(0, 9).map((header) => ({ header, width: 18 })),
      { header: '金额（分） amount (fen)', width: 16 },
      ...CSV_HEADERS.slice(9).map((header) => ({ header, width: 18 })),
    ];
    sheet.getColumn(13).numFmt = 'yyyy-mm-dd hh:mm:ss';
    sheet.getColumn(9).numFmt = '#,##0.00';
    sheet.getColumn(10).numFmt = '0';
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    await this.postingRows(cooperativeId, async (rows) => {
      for (const r of rows) {
        const fen = Number(r.amount);
        sheet
          .addRow([
            r.seq,
            r.occurred_at,
            KIND_LABEL[r.kind] ?? r.kind,
            r.idempotency_key,
            r.order_id,
            r.account,
            r.household_id,
            r.status ? (STATUS_LABEL[r.status] ?? r.status) : null,
            fen / 100,
            fen,
            r.currency,
            r.hash,
            chinaDateCell(r.occurred_at),
            r.payment_reference,
          ])
          .commit();
      }
    });
    sheet.commit();
    await wb.commit();
  }

  /** Every posting of the cooperative with its transaction, page by page, in one REPEATABLE READ snapshot. */
  private async postingRows(cooperativeId: string, each: (rows: CsvRow[]) => Promise<void>): Promise<void> {
    const qr = this.db.createQueryRunner();
    await qr.connect();
    await qr.startTransaction('REPEATABLE READ');
    try {
      let lastSeq = 0;
      for (;;) {
        const rows: CsvRow[] = await qr.query(
          `SELECT t.seq, t.occurred_at, t.kind, t.idempotency_key, t.reference->>'orderId' AS order_id, t.hash,
                  CASE WHEN t.kind = 'payout' THEN t.reference->>'paymentReference' END AS payment_reference,
                  p.account, p.amount::text AS amount, p.currency, p.household_id,
                  CASE WHEN p.household_id IS NULL THEN NULL ELSE ${statusAsOfSql('h', `(t.occurred_at::timestamptz AT TIME ZONE 'Asia/Shanghai')::date`)} END AS status
             FROM ledger_transactions t JOIN ledger_postings p ON p.transaction_id = t.id
             LEFT JOIN households h ON h.id = p.household_id
            WHERE t.cooperative_id = $1 AND t.seq > $2 AND t.seq <= $2 + ${PAGE}
            ORDER BY t.seq, p.position`,
          [cooperativeId, lastSeq],
        );
        if (!rows.length) break;
        await each(rows);
        lastSeq = rows[rows.length - 1].seq;
      }
      await qr.commitTransaction();
    } catch (e) {
      await qr.rollbackTransaction().catch(() => undefined);
      throw e;
    } finally {
      await qr.release();
    }
  }

  async write(cooperativeId: string, out: Writable): Promise<void> {
    const qr = this.db.createQueryRunner();
    await qr.connect();
    await qr.startTransaction('REPEATABLE READ');
    try {
      await this.writeAll(qr, cooperativeId, out);
      await qr.commitTransaction();
    } catch (e) {
      await qr.rollbackTransaction().catch(() => undefined);
      throw e;
    } finally {
      await qr.release();
    }
  }

  private async writeAll(qr: QueryRunner, cooperativeId: string, out: Writable): Promise<void> {
    const send = (lines: string[]) =>
      new Promise<void>((resolve, reject) => {
        if (!lines.length) return resolve();
        const ok = out.write(lines.join('\n') + '\n', (err) => err && reject(err));
        if (ok) resolve();
        else out.once('drain', resolve);
      });
    const header: ExportLine = {
      type: 'header',
      format: 'xiangbo-ledger/1',
      cooperativeId,
      exportedAt: new Date().toISOString(),
    };
    const policies = await qr.manager
      .getRepository(SharingPolicyVersion)
      .find({ where: { cooperativeId }, order: { version: 'ASC' } });
    await send([
      JSON.stringify(header),
      ...policies.map((v) =>
        JSON.stringify({
          type: 'policy',
          cooperativeId,
          policy: { ...toDomainPolicy(v), effectiveFrom: v.effectiveFrom.toISOString(), note: v.note },
        }),
      ),
    ]);

    let lastSeq = 0;
    let lastHash = GENESIS_HASH;
    let count = 0;
    for (;;) {
      const txs: Row[] = await qr.query(
        `SELECT seq, idempotency_key, kind, occurred_at, reference, prev_hash, hash FROM ledger_transactions
          WHERE cooperative_id = $1 AND seq > $2 ORDER BY seq LIMIT ${PAGE}`,
        [cooperativeId, lastSeq],
      );
      if (!txs.length) break;
      const postings: { seq: number; account: string; amount: string; currency: 'CNY' }[] = await qr.query(
        `SELECT t.seq, p.account, p.amount::text AS amount, p.currency FROM ledger_postings p JOIN ledger_transactions t ON t.id = p.transaction_id
          WHERE t.cooperative_id = $1 AND t.seq > $2 AND t.seq <= $3 ORDER BY t.seq, p.position`,
        [cooperativeId, lastSeq, txs[txs.length - 1].seq],
      );
      let i = 0;
      const lines = txs.map((t) => {
        const ps: { account: string; amount: number; currency: 'CNY' }[] = [];
        while (i < postings.length && postings[i].seq === t.seq) {
          const p = postings[i++];
          ps.push({ account: p.account, amount: Number(p.amount), currency: p.currency });
        }
        const content: LedgerTransactionContent = {
          cooperativeId,
          seq: t.seq,
          idempotencyKey: t.idempotency_key,
          kind: t.kind as LedgerKind,
          occurredAt: t.occurred_at,
          reference: t.reference,
          postings: ps,
          prevHash: t.prev_hash,
        };
        return exportedTransactionLine(content, t.hash);
      });
      await send(lines);
      lastSeq = txs[txs.length - 1].seq;
      lastHash = txs[txs.length - 1].hash;
      count += txs.length;
    }

    // Balances derived from the postings, in the same snapshot.
    const rows: { account: string; balance: string }[] = await qr.query(
      `SELECT p.account, SUM(p.amount)::text AS balance FROM ledger_postings p JOIN ledger_transactions t ON t.id = p.transaction_id
        WHERE t.cooperative_id = $1 GROUP BY p.account ORDER BY p.account`,
      [cooperativeId],
    );
    const balances = Object.fromEntries(rows.map((r) => [r.account, Number(r.balance)]));
    await send([
      JSON.stringify({ type: 'balances', cooperativeId, balances }),
      JSON.stringify({ type: 'footer', transactions: count, lastHash }),
    ]);
  }
}
