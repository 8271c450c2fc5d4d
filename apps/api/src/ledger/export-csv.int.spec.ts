import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { accountCode } from '@xiangbo/domain';
import { createTestApp, insertCooperative, registerUser, TestApp, userWithRoles } from '../../test/test-app';
import { csvRow } from './export.service';
import { LedgerService } from './ledger.service';
import { insertHousehold } from './testing/ledger-fixtures';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** `GET /api/cooperatives/:id/ledger/export?format=csv`: for spreadsheets, UTF-8 with BOM or GBK, access-logged. */
describe('the ledger export as CSV', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  async function setup() {
    const coop = await insertCooperative(t);
    const admin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: coop.id }]);
    await t.db.transaction((m) =>
      t.app.get(LedgerService).append(m, {
        cooperativeId: coop.id,
        idempotencyKey: `pay:order:甲-${coop.id}`,
        kind: 'payment',
        reference: { orderId: `甲-${coop.id}` },
        postings: [
          { account: accountCode.pspReceivable(), amount: 5900 },
          { account: accountCode.clearing(coop.id), amount: -5900 },
        ],
      }),
    );
    return { coop, admin };
  }

  it('text/csv, UTF-8 with a BOM, Chinese headers, one row per posting with exact yuan', async () => {
    const { coop, admin } = await setup();
    const res = await t.http
      .get(`/api/cooperatives/${coop.id}/ledger/export?format=csv`)
      .set(bearer(admin.token))
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toMatch(/^序号 seq,时间 occurredAt \(UTC\),类型 kind,/);
    expect(lines.slice(1, 3)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^1,[^,]+,付款 payment,pay:order:甲-${coop.id},甲-${coop.id},platform:psp_receivable,,,59\\.00,CNY,[0-9a-f]{64},\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,$`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          `^1,[^,]+,付款 payment,pay:order:甲-${coop.id},甲-${coop.id},coop:${coop.id}:clearing,,,-59\\.00,CNY,`,
        ),
      ),
    ]);
    expect(lines[3]).toBe('');
    const [log] = await t.db.query(
      `SELECT action, detail FROM personal_data_access_log WHERE actor_id = $1 ORDER BY at DESC LIMIT 1`,
      [admin.user.id],
    );
    expect(log).toMatchObject({ action: 'ledger.export', detail: expect.stringContaining('(CSV)') });
  });

  it('&encoding=gbk for older spreadsheets; a bad format or encoding is a 400 naming the field', async () => {
    const { coop, admin } = await setup();
    const res = await t.http
      .get(`/api/cooperatives/${coop.id}/ledger/export?format=csv&encoding=gbk`)
      .set(bearer(admin.token))
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=gbk/);
    const text = iconv.decode(res.body as Buffer, 'gbk');
    expect(text.startsWith('序号 seq,')).toBe(true);
    expect(text).toContain(`付款 payment,pay:order:甲-${coop.id}`);
    const bad = await t.http.get(`/api/cooperatives/${coop.id}/ledger/export?format=pdf`).set(bearer(admin.token));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('format');
    await t.http.get(`/api/cooperatives/${coop.id}/ledger/export?encoding=gbk`).set(bearer(admin.token)).expect(400);
  });

  it('?format=xlsx: the same rows as an Excel workbook, amounts as numbers (yuan and exact fen), access-logged', async () => {
    const { coop, admin } = await setup();
    const res = await t.http
      .get(`/api/cooperatives/${coop.id}/ledger/export?format=xlsx`)
      .set(bearer(admin.token))
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toMatch(/\.xlsx"$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as unknown as ExcelJS.Buffer);
    const sheet = wb.worksheets[0];
    expect(sheet.name).toBe('交易 transactions');
    const rows = sheet.getSheetValues().filter(Boolean) as unknown[][];
    expect(rows[0].slice(1, 4)).toEqual(['序号 seq', '时间 occurredAt (UTC)', '类型 kind']);
    expect(rows[0][10]).toBe('金额（分） amount (fen)');
    expect(rows).toHaveLength(3);
    expect(rows[1].slice(1)).toEqual([
      1,
      expect.any(String),
      '付款 payment',
      `pay:order:甲-${coop.id}`,
      `甲-${coop.id}`,
      'platform:psp_receivable',
      undefined, // (empty cells: no household, no status)
      undefined,
      59,
      5900,
      'CNY',
      expect.stringMatching(/^[0-9a-f]{64}$/),
      expect.any(Date), // China's wall-clock time, a date cell
    ]);
    expect(rows[2].slice(6, 11)).toEqual([`coop:${coop.id}:clearing`, undefined, undefined, -59, -5900]);
    const [log] = await t.db.query(
      `SELECT action, detail FROM personal_data_access_log WHERE actor_id = $1 ORDER BY at DESC LIMIT 1`,
      [admin.user.id],
    );
    expect(log).toMatchObject({ action: 'ledger.export', detail: expect.stringContaining('(XLSX)') });
  });

  it("a payout's bank or receipt reference (hashed in its entry) is in the CSV and the XLSX, times also in China's", async () => {
    const { coop, admin } = await setup();
    const hh = await insertHousehold(t, '王小明', 'registered', { cooperativeId: coop.id, shareUnits: 1 });
    const ledger = t.app.get(LedgerService);
    await t.db.transaction(async (m) => {
      await ledger.append(m, {
        cooperativeId: coop.id,
        idempotencyKey: `dividend:${coop.id}:2026-09`,
        kind: 'dividend',
        reference: { period: '2026-09', policyVersion: 1, amountFen: 1234 },
        postings: [
          { account: accountCode.dividendPool(coop.id), amount: 1234 },
          { account: accountCode.householdPayable(coop.id, hh), amount: -1234 },
        ],
      });
      await ledger.append(m, {
        cooperativeId: coop.id,
        idempotencyKey: 'payout:p-ref',
        kind: 'payout',
        occurredAt: '2026-10-01T16:30:00.000Z', // 2026-10-02 00:30 in China
        reference: {
          payoutId: 'p-ref',
          householdId: hh,
          batchId: 'b-1',
          channel: 'bank',
          paidOn: '2026-10-02',
          paymentReference: '农行回单,0042',
        },
        postings: [
          { account: accountCode.householdPayable(coop.id, hh), amount: 1234 },
          { account: accountCode.paidOut(coop.id), amount: -1234 },
        ],
      });
    });
    const get = (q: string) =>
      t.http
        .get(`/api/cooperatives/${coop.id}/ledger/export${q}`)
        .set(bearer(admin.token))
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        })
        .expect(200);
    const csv = ((await get('?format=csv')).body as Buffer).toString('utf8').slice(1).split('\r\n');
    const payoutRows = csv.filter((l) => l.includes('payout:p-ref'));
    expect(payoutRows).toHaveLength(2);
    for (const row of payoutRows) expect(row).toMatch(/,2026-10-02 00:30:00,"农行回单,0042"$/);
    expect(csv.filter((l) => l.includes('dividend:'))[0]).toMatch(/,$/); // no reference on other kinds
    const gbk = iconv.decode((await get('?format=csv&encoding=gbk')).body as Buffer, 'gbk');
    expect(gbk).toContain('"农行回单,0042"');

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await get('?format=xlsx')).body as unknown as ExcelJS.Buffer);
    const rows = wb.worksheets[0].getSheetValues().filter(Boolean) as unknown[][];
    expect(rows[0].slice(13, 15)).toEqual(['北京时间 occurredAt (China, UTC+8)', '兑付凭证号 payment reference']);
    const payout = rows.filter((r) => r[4] === 'payout:p-ref');
    expect(payout.map((r) => [r[9], r[10], r[14]])).toEqual([
      [12.34, 1234, '农行回单,0042'],
      [-12.34, -1234, '农行回单,0042'],
    ]);
    // China's wall-clock time in a date cell (no time zone in a spreadsheet), shown as yyyy-mm-dd hh:mm:ss
    expect((payout[0][13] as Date).toISOString()).toBe('2026-10-02T00:30:00.000Z');
    expect(wb.worksheets[0].getColumn(13).numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect(wb.worksheets[0].getColumn(9).numFmt).toBe('#,##0.00');
  });

  it("from the wrong side: a stranger, another cooperative's admin and no token get nothing", async () => {
    const { coop } = await setup();
    const stranger = await registerUser(t);
    const other = await insertCooperative(t);
    const otherAdmin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: other.id }]);
    await t.http.get(`/api/cooperatives/${coop.id}/ledger/export?format=csv`).expect(401);
    await t.http.get(`/api/cooperatives/${coop.id}/ledger/export?format=csv`).set(bearer(stranger.token)).expect(403);
    await t.http.get(`/api/cooperatives/${coop.id}/ledger/export?format=csv`).set(bearer(otherAdmin.token)).expect(404);
  });

  it('csvRow quotes what needs it and defuses formulas', () => {
    expect(csvRow(['a', 'b,c', 'say "hi"', '=SUM(A1)', '-59.00', '+86', 'x\ny'])).toBe(
      `a,"b,c","say ""hi""",'=SUM(A1),-59.00,'+86,"x\ny"\r\n`,
    );
  });
});
