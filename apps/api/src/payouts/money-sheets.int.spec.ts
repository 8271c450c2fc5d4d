import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { PayoutBatchDetail } from '@xiangbo/contracts';
import { insertCooperative, registerUser, TestApp, createTestApp, userWithRoles } from '../../test/test-app';
import { bearer, complete, placeAndPay, scenario, settle } from '../ledger/testing/ledger-fixtures';

/**
 * Household statements and payouts for spreadsheets (docs/ledger.md, "CSV for spreadsheets"): CSV UTF-8 with BOM,
 * CSV GBK and XLSX, read back with the library that wrote it; masked names unless clear names are asked (each
 * access-logged); the cooperative's admins and assigned auditors only.
 */
describe('household statements and payouts as CSV and XLSX', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const download = (url: string, token?: string) => {
    const req = t.http.get(url);
    if (token) req.set(bearer(token));
    return req.buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
  };
  const workbook = async (body: Buffer) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(body as unknown as ExcelJS.Buffer);
    return wb;
  };
  const values = (sheet: ExcelJS.Worksheet) =>
    (sheet.getSheetValues().filter(Boolean) as unknown[][]).map((r) => r.slice(1));

  /** One ¥59.00 order settled (purchase 3697 fen: 王小明 1849, 李秀梅 1109, 张建国 739) and 王小明 paid. */
  async function season() {
    const s = await scenario(t);
    const a = await placeAndPay(t, s.productId, 1);
    await complete(t, s, a.orderId, a.buyer.token);
    await settle(t, s);
    const batch = (
      await t.http
        .post(`/api/console/cooperatives/${s.coopId}/payout-batches`)
        .set(bearer(s.admin.token))
        .send({ thresholdFen: 1500 })
        .expect(201)
    ).body as PayoutBatchDetail;
    expect(batch.items.map((i) => [i.householdId, i.amountFen])).toEqual([[s.households[0], 1849]]);
    await t.http
      .post(`/api/console/payouts/${batch.items[0].id}/record`)
      .set(bearer(s.admin.token))
      .send({ channel: 'bank', reference: '农行-回单-0042', paidOn: '2026-12-01' })
      .expect(200);
    return { s, payoutId: batch.items[0].id };
  }

  it('statements: XLSX with numbers in yuan (two decimals) and exact fen, every entry on a second sheet; masked names', async () => {
    const { s } = await season();
    const res = await download(`/api/cooperatives/${s.coopId}/ledger/statements?format=xlsx`, s.admin.token).expect(
      200,
    );
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="household-statements-.*\.xlsx"$/);
    const wb = await workbook(res.body as Buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['农户对账 statements', '明细 entries']);
    const sum = values(wb.worksheets[0]);
    expect(sum[0]).toEqual([
      '农户编号 householdId',
      '户主（脱敏） name (masked)',
      '村 village',
      '当前登记状态 registry status (now)',
      '收购款 purchase（元）',
      '分红 dividend（元）',
      '调整（退款冲回） adjustments（元）',
      '应得合计 earned（元）',
      '已兑付 paid out（元）',
      '待兑付 owed（元）',
      '待兑付（分） owed (fen)',
      '兑付笔数 payouts',
    ]);
    const byName = new Map(sum.slice(1).map((r) => [r[1], r]));
    expect(byName.get('王*明')).toEqual(
      [
        s.households[0],
        '王*明',
        '金米村',
        '建档立卡 registered',
        18.49,
        undefined,
        undefined,
        18.49,
        18.49,
        undefined,
        undefined,
        1,
      ].map((v) => (v === undefined ? 0 : v)),
    );
    expect(byName.get('李*梅')?.slice(4, 12)).toEqual([11.09, 0, 0, 11.09, 0, 11.09, 1109, 0]);
    expect(byName.get('张*国')?.slice(3, 12)).toEqual(['监测 monitored', 7.39, 0, 0, 7.39, 0, 7.39, 739, 0]);
    expect(wb.worksheets[0].getColumn(5).numFmt).toBe('#,##0.00');
    expect(wb.worksheets[0].getColumn(11).numFmt).toBe('0');
    // no clear name anywhere
    expect(JSON.stringify(sum)).not.toMatch(/王小明|李秀梅|张建国/);

    const entries = values(wb.worksheets[1]);
    const wang = entries.filter((r) => r[0] === s.households[0]);
    expect(wang.map((r) => [r[4], r[5], r[6], r[7], r[8]])).toEqual([
      ['收购款 purchase', 18.49, 1849, undefined, undefined],
      ['兑付 payout', -18.49, -1849, '银行转账 bank', '农行-回单-0042'],
    ]);
    expect(wang[0][3]).toBeInstanceOf(Date); // China's wall-clock time in a date cell
    expect(wb.worksheets[1].getColumn(4).numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    const [log] = await t.db.query(
      `SELECT action, detail FROM personal_data_access_log WHERE actor_id = $1 ORDER BY at DESC LIMIT 1`,
      [s.admin.user.id],
    );
    expect(log).toMatchObject({
      action: 'ledger.export',
      detail: expect.stringContaining('household statements (XLSX)'),
    });
  });

  it('statements: CSV UTF-8 with a BOM and GBK, exact yuan text; clear names only when asked, each one access-logged', async () => {
    const { s } = await season();
    const utf8 = await download(`/api/cooperatives/${s.coopId}/ledger/statements?format=csv`, s.admin.token).expect(
      200,
    );
    expect(utf8.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    const bytes = utf8.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toMatch(/^农户编号 householdId,户主（脱敏） name \(masked\),村 village,/);
    expect(lines.find((l) => l.includes('李*梅'))).toMatch(/,11\.09,0\.00,0\.00,11\.09,0\.00,11\.09,0,coop:/);
    expect(lines.at(-1)).toBe('');
    const before: { n: number }[] = await t.db.query(
      `SELECT count(*)::int AS n FROM personal_data_access_log WHERE actor_id = $1 AND action = 'household.name'`,
      [s.admin.user.id],
    );
    expect(before[0].n).toBe(0);

    const gbk = await download(
      `/api/cooperatives/${s.coopId}/ledger/statements?format=csv&encoding=gbk&names=clear`,
      s.admin.token,
    ).expect(200);
    expect(gbk.headers['content-type']).toMatch(/^text\/csv; charset=gbk/);
    expect(gbk.headers['content-disposition']).toMatch(/-gbk\.csv"$/);
    const text = iconv.decode(gbk.body as Buffer, 'gbk');
    expect(text.startsWith('农户编号 householdId,户主姓名 name,')).toBe(true);
    expect(text).toContain('王小明');
    expect(text).toContain('张建国');
    const logged: { household_id: string }[] = await t.db.query(
      `SELECT household_id FROM personal_data_access_log WHERE actor_id = $1 AND action = 'household.name' ORDER BY household_id`,
      [s.admin.user.id],
    );
    expect(logged.map((r) => r.household_id)).toEqual([...s.households].sort());
  });

  it('payouts: XLSX and CSV with the reference typed in, status, date, the ledger entry that holds it', async () => {
    const { s, payoutId } = await season();
    const x = await download(`/api/cooperatives/${s.coopId}/ledger/payouts?format=xlsx`, s.admin.token).expect(200);
    expect(x.headers['content-disposition']).toMatch(/^attachment; filename="payouts-.*\.xlsx"$/);
    const rows = values((await workbook(x.body as Buffer)).worksheets[0]);
    expect(rows[0].slice(5, 10)).toEqual([
      '金额（元） amount (yuan)',
      '金额（分） amount (fen)',
      '状态 status',
      '渠道 channel',
      '凭证号 payment reference',
    ]);
    expect(rows).toHaveLength(2);
    const [seq]: { seq: number; hash: string }[] = await t.db.query(
      `SELECT seq, hash FROM ledger_transactions WHERE idempotency_key = $1`,
      [`payout:${payoutId}`],
    );
    expect(rows[1]).toEqual([
      payoutId,
      expect.any(String),
      s.households[0],
      '王*明',
      '金米村',
      18.49,
      1849,
      '已付款待确认 paid',
      '银行转账 bank',
      '农行-回单-0042',
      '2026-12-01',
      undefined,
      undefined,
      seq.seq,
      seq.hash,
    ]);
    const csv = await download(`/api/cooperatives/${s.coopId}/ledger/payouts`, s.admin.token).expect(200);
    const lines = (csv.body as Buffer).toString('utf8').slice(1).split('\r\n');
    expect(lines[1]).toBe(
      [
        payoutId,
        rows[1][1],
        s.households[0],
        '王*明',
        '金米村',
        '18.49',
        '已付款待确认 paid',
        '银行转账 bank',
        '农行-回单-0042',
        '2026-12-01',
        '',
        '',
        String(seq.seq),
        seq.hash,
      ].join(','),
    );
  });

  it('from the wrong side: no token, a stranger, a host, another cooperative’s admin or auditor get nothing; an assigned auditor does; bad query is a 400 naming the field', async () => {
    const { s } = await season();
    const other = await insertCooperative(t);
    const otherAdmin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: other.id }]);
    const otherAuditor = await userWithRoles(t, [{ role: 'auditor', cooperativeId: other.id }]);
    const host = await userWithRoles(t, [{ role: 'host', cooperativeId: s.coopId }]);
    const auditor = await userWithRoles(t, [{ role: 'auditor', cooperativeId: s.coopId }]);
    const stranger = await registerUser(t);
    for (const what of ['statements', 'payouts']) {
      const url = `/api/cooperatives/${s.coopId}/ledger/${what}?format=xlsx`;
      await download(url).expect(401);
      await download(url, stranger.token).expect(403);
      await download(url, host.token).expect(403);
      await download(url, otherAdmin.token).expect(404);
      await download(url, otherAuditor.token).expect(404);
      await download(url, auditor.token).expect(200);
      await download(`/api/cooperatives/not-a-uuid/ledger/${what}`, auditor.token).expect(404);
      for (const [q, field] of [
        ['format=pdf', 'format'],
        ['format=xlsx&encoding=gbk', 'encoding'],
        ['encoding=big5', 'encoding'],
        ['names=all', 'names'],
      ]) {
        const bad = await t.http.get(`/api/cooperatives/${s.coopId}/ledger/${what}?${q}`).set(bearer(auditor.token));
        expect({ q, status: bad.status, field: bad.body.errors?.[0]?.field }).toEqual({ q, status: 400, field });
      }
    }
    const [log] = await t.db.query(
      `SELECT actor_role FROM personal_data_access_log WHERE actor_id = $1 AND action = 'ledger.export' LIMIT 1`,
      [auditor.user.id],
    );
    expect(log.actor_role).toBe('auditor');
  });
});
