import ExcelJS from 'exceljs';
import * as iconv from 'iconv-lite';
import type { Test as SupertestTest } from 'supertest';
import type {
  ConfirmPayoutResponse,
  HouseholdLinkView,
  HouseholdStatement,
  PayoutBatchDetail,
  PayoutBatchList,
  PayoutList,
  RecordPayoutResponse,
} from '@xiangbo/contracts';
import { accountCode, verifyExport } from '@xiangbo/domain';
import { createTestApp, registerUser, TestApp, userWithRoles } from '../../test/test-app';
import { coopWithAdmin } from '../cooperatives/testing/fixtures';
import { LedgerService } from '../ledger/ledger.service';
import { complete, exportLedger, placeAndPay, scenario, settle } from '../ledger/testing/ledger-fixtures';
import { hashConfirmToken } from './payout-secrets';
import { CODE_MAX_ATTEMPTS_PER_PAYOUT } from './household-links.service';
import { PayoutsService } from './payouts.service';
import { addMember, creditHouseholds, insertHousehold, owed, smsForPayout } from './testing/payout-fixtures';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() + 8 * 3600_000 - n * 86_400_000).toISOString().slice(0, 10);

/** The payout of one household in a batch (fails the test when it is missing). */
function itemOf(batch: PayoutBatchDetail, householdId: string) {
  const item = batch.items.find((i) => i.householdId === householdId);
  if (!item) throw new Error(`no payout for household ${householdId}`);
  return item;
}

/** Reads a binary body (CSV in GBK) as a Buffer. */
const binary = (req: SupertestTest) =>
  req.buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });

describe('payouts (兑付): batches, bank export, recording, household confirmation, statements', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  /** A cooperative with an admin, a host and households owed 5000, 3000 and 500 fen. */
  async function setup(names = ['王小明', '李春梅', '张三']) {
    const { coop, admin } = await coopWithAdmin(t);
    const host = await userWithRoles(t, [{ role: 'host', cooperativeId: coop.id }]);
    const hh = [];
    const phones: string[] = [];
    for (const name of names) {
      const { household, phone } = await insertHousehold(t, { headName: name });
      await addMember(t, coop.id, household.id);
      hh.push(household);
      phones.push(phone ?? '');
    }
    await creditHouseholds(t, coop.id, { [hh[0].id]: 5000, [hh[1].id]: 3000, [hh[2].id]: 500 });
    return { coop, admin, host, hh, phones };
  }

  async function recordOne(token: string, payoutId: string, paidOn = today()) {
    const res = await t.http
      .post(`/api/console/payouts/${payoutId}/record`)
      .set(bearer(token))
      .send({ channel: 'bank', reference: 'BOC-20260301-001', paidOn })
      .expect(200);
    return res.body as RecordPayoutResponse;
  }

  describe('batches', () => {
    it('plans one payout per household owed at least the threshold, never the same fen twice', async () => {
      const { coop, admin, host, hh } = await setup();
      const res = await t.http
        .post(`/api/console/cooperatives/${coop.id}/payout-batches`)
        .set(bearer(admin.token))
        .send({ thresholdFen: 1000, cooperativeId: 'ignored', status: 'paid' })
        .expect(201);
      const batch = res.body as PayoutBatchDetail;
      expect(batch.thresholdFen).toBe(1000);
      expect(batch.items.map((i) => [i.householdId, i.amountFen, i.status])).toEqual([
        [hh[0].id, 5000, 'planned'],
        [hh[1].id, 3000, 'planned'],
      ]);
      expect(batch.totalFen).toBe(8000);
      // Lists show masked names only.
      expect(batch.items.map((i) => i.householdNameMasked)).toEqual(['王*明', '李*梅']);
      expect(JSON.stringify(batch)).not.toMatch(/王小明|李春梅/);

      // Nothing new owed: a second batch plans nothing.
      const again = await t.http
        .post(`/api/console/cooperatives/${coop.id}/payout-batches`)
        .set(bearer(admin.token))
        .send({ thresholdFen: 1000 })
        .expect(409);
      expect(again.body.code).toBe('NOTHING_TO_PAY');

      // New earnings: only the new fen are planned (and the small household's 500 once it is ≥ threshold).
      await creditHouseholds(t, coop.id, { [hh[0].id]: 2000 });
      const next = (
        await t.http
          .post(`/api/console/cooperatives/${coop.id}/payout-batches`)
          .set(bearer(admin.token))
          .send({ thresholdFen: 500 })
          .expect(201)
      ).body as PayoutBatchDetail;
      expect(next.items.map((i) => [i.householdId, i.amountFen]).sort()).toEqual(
        [
          [hh[0].id, 2000],
          [hh[2].id, 500],
        ].sort(),
      );

      // Hosts read; lists and details.
      const list = (
        await t.http.get(`/api/console/cooperatives/${coop.id}/payout-batches`).set(bearer(host.token)).expect(200)
      ).body as PayoutBatchList;
      expect(list.items).toHaveLength(2);
      expect(list.confirmDays).toBe(7);
      await t.http
        .get(`/api/console/cooperatives/${coop.id}/payout-batches/${batch.id}`)
        .set(bearer(host.token))
        .expect(200);
      await t.http
        .post(`/api/console/cooperatives/${coop.id}/payout-batches`)
        .set(bearer(host.token))
        .send({ thresholdFen: 1 })
        .expect(403);
    });

    it('two (or five) batches at once never plan a household twice; together they plan exactly what is owed', async () => {
      const { coop, admin } = await coopWithAdmin(t);
      const amounts: Record<string, number> = {};
      for (let i = 0; i < 12; i++) {
        const { household } = await insertHousehold(t, { headName: `赵${i}强` });
        amounts[household.id] = 1000 + i * 37;
      }
      await creditHouseholds(t, coop.id, amounts);
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          t.http
            .post(`/api/console/cooperatives/${coop.id}/payout-batches`)
            .set(bearer(admin.token))
            .send({ thresholdFen: 100 }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
      const rows: { household_id: string; n: number; total: string }[] = await t.db.query(
        `SELECT household_id, count(*)::int AS n, SUM(amount_fen) AS total FROM payouts WHERE cooperative_id = $1 GROUP BY household_id`,
        [coop.id],
      );
      expect(rows).toHaveLength(12);
      for (const r of rows) {
        expect(r.n).toBe(1);
        expect(Number(r.total)).toBe(amounts[r.household_id]);
      }
    });

    it('validates the threshold and answers 404 / 403 / 401 to the wrong side', async () => {
      const { coop, admin, host } = await setup();
      const other = await coopWithAdmin(t);
      const buyer = await registerUser(t);
      const bad = await t.http
        .post(`/api/console/cooperatives/${coop.id}/payout-batches`)
        .set(bearer(admin.token))
        .send({ thresholdFen: 0.5 })
        .expect(400);
      expect(bad.body.errors[0].field).toBe('thresholdFen');
      await t.http
        .post(`/api/console/cooperatives/${coop.id}/payout-batches`)
        .set(bearer(admin.token))
        .send({})
        .expect(400);
      const batch = (
        await t.http
          .post(`/api/console/cooperatives/${coop.id}/payout-batches`)
          .set(bearer(admin.token))
          .send({ thresholdFen: 1 })
          .expect(201)
      ).body as PayoutBatchDetail;
      const base = `/api/console/cooperatives/${coop.id}`;
      const payoutId = batch.items[0].id;
      const hid = batch.items[0].householdId;
      const routes: [method: 'get' | 'post', url: string, body?: object][] = [
        ['post', `${base}/payout-batches`, { thresholdFen: 1 }],
        ['get', `${base}/payout-batches`],
        ['get', `${base}/payout-batches/${batch.id}`],
        ['get', `${base}/payout-batches/${batch.id}/export.csv`],
        ['get', `${base}/payouts`],
        ['get', `${base}/households/${hid}/statement`],
        ['post', `/api/console/payouts/${payoutId}/record`, { channel: 'cash', reference: 'R1', paidOn: today() }],
      ];
      const call = (method: 'get' | 'post', url: string, token?: string, body?: object) => {
        const req = t.http[method](url);
        if (token) req.set(bearer(token));
        return body ? req.send(body) : req;
      };
      for (const [method, url, body] of routes) {
        await call(method, url, other.admin.token, body).expect(404);
        await call(method, url, buyer.token, body).expect(403);
        await call(method, url, undefined, body).expect(401);
      }
      // Hosts read lists but not the clear-name export, the statement, or any change.
      await call('get', `${base}/payouts`, host.token).expect(200);
      await call('get', `${base}/payout-batches/${batch.id}/export.csv`, host.token).expect(403);
      await call('get', `${base}/households/${hid}/statement`, host.token).expect(403);
      await call('post', `/api/console/payouts/${payoutId}/record`, host.token, {
        channel: 'cash',
        reference: 'R',
        paidOn: today(),
      }).expect(403);
      // A batch of another cooperative is not found through this one.
      const otherBatch = await t.http
        .get(`/api/console/cooperatives/${other.coop.id}/payout-batches/${batch.id}`)
        .set(bearer(other.admin.token));
      expect(otherBatch.status).toBe(404);
      await t.http.get(`${base}/payout-batches/not-a-uuid`).set(bearer(admin.token)).expect(404);
      await t.http
        .post(`/api/console/payouts/not-a-uuid/record`)
        .set(bearer(admin.token))
        .send({ channel: 'cash', reference: 'R', paidOn: today() })
        .expect(404);
    });
  });

  describe('bank export', () => {
    it('GBK decodes to the right Chinese, UTF-8 has a BOM, only planned payouts, every clear name access-logged', async () => {
      const { coop, admin, hh } = await setup(['欧阳小明', '李春梅', '张三']);
      const batch = (
        await t.http
          .post(`/api/console/cooperatives/${coop.id}/payout-batches`)
          .set(bearer(admin.token))
          .send({ thresholdFen: 1000 })
          .expect(201)
      ).body as PayoutBatchDetail;
      const url = `/api/console/cooperatives/${coop.id}/payout-batches/${batch.id}/export.csv`;
      const gbk = await binary(t.http.get(`${url}?encoding=gbk`).set(bearer(admin.token))).expect(200);
      expect(gbk.headers['content-type']).toMatch(/charset=GBK/i);
      expect(gbk.headers['content-disposition']).toMatch(/attachment; filename="payout-batch-.*-gbk\.csv"/);
      const bytes = gbk.body as Buffer;
      expect(bytes.includes(Buffer.from('欧阳小明', 'utf8'))).toBe(false); // really GBK, not UTF-8
      const text = iconv.decode(bytes, 'gbk');
      const lines = text.trim().split('\r\n');
      expect(lines[0]).toBe('"序号","户主姓名","收款账号/手机号","村","金额(元)","备注"');
      expect(lines.slice(1).sort()).toEqual(
        [
          `"1","李春梅","","金米村","30.00","兑付 ${batch.items.find((i) => i.householdId === hh[1].id)?.id}"`,
          `"2","欧阳小明","","金米村","50.00","兑付 ${batch.items.find((i) => i.householdId === hh[0].id)?.id}"`,
        ].sort(),
      );
      const utf8 = await binary(t.http.get(url).set(bearer(admin.token))).expect(200);
      const u = utf8.body as Buffer;
      expect([...u.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(u.toString('utf8')).toContain('欧阳小明');
      const logged: { household_id: string; action: string; actor_role: string }[] = await t.db.query(
        `SELECT household_id, action, actor_role FROM personal_data_access_log WHERE actor_id = $1 AND action = 'payout.export'`,
        [admin.user.id],
      );
      expect(logged).toHaveLength(4); // two names, two downloads
      expect(new Set(logged.map((l) => l.household_id))).toEqual(new Set([hh[0].id, hh[1].id]));
      // Paid payouts leave the bank file.
      await recordOne(admin.token, batch.items[0].id);
      const after = iconv.decode(
        (await binary(t.http.get(`${url}?encoding=gbk`).set(bearer(admin.token))).expect(200)).body as Buffer,
        'gbk',
      );
      expect(after.trim().split('\r\n')).toHaveLength(2);
      await t.http.get(`${url}?encoding=latin1`).set(bearer(admin.token)).expect(400);

      // the same as XLSX beside the CSV: the remaining planned payout, the amount a number, the name access-logged
      const xlsxUrl = url.replace(/export\.csv$/, 'export.xlsx');
      const x = await binary(t.http.get(xlsxUrl).set(bearer(admin.token))).expect(200);
      expect(x.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(x.headers['content-disposition']).toMatch(/attachment; filename="payout-batch-.*\.xlsx"/);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(x.body as unknown as ExcelJS.Buffer);
      const rows = wb.worksheets[0].getSheetValues().filter(Boolean) as unknown[][];
      expect(rows.map((r) => r.slice(1))).toEqual([
        ['序号', '户主姓名', '收款账号/手机号', '村', '金额(元)', '备注'],
        [1, expect.any(String), undefined, '金米村', expect.any(Number), expect.stringMatching(/^兑付 /)],
      ]);
      const left = batch.items.find((i) => i.id !== batch.items[0].id && rows[1][6] === `兑付 ${i.id}`);
      expect(left).toBeDefined();
      expect(rows[1][5]).toBe(left!.amountFen / 100);
      const xlsxLogged = await t.db.query(
        `SELECT count(*)::int AS n FROM personal_data_access_log WHERE actor_id = $1 AND action = 'payout.export'`,
        [admin.user.id],
      );
      expect(xlsxLogged[0].n).toBe(4 + 1 + 1); // + the GBK download after the payment, + this one
    });
  });

  describe('recording a payment', () => {
    it('writes the ledger payout transaction, lowers what is owed by exactly the amount, sends link and code by SMS only', async () => {
      const { coop, admin, hh, phones } = await setup();
      const batch = (
        await t.http
          .post(`/api/console/cooperatives/${coop.id}/payout-batches`)
          .set(bearer(admin.token))
          .send({ thresholdFen: 1000 })
          .expect(201)
      ).body as PayoutBatchDetail;
      const p = itemOf(batch, hh[0].id);
      const paidOutBefore = -(
        await t.db.query(`SELECT COALESCE(SUM(amount),0) AS s FROM ledger_postings WHERE account = $1`, [
          accountCode.paidOut(coop.id),
        ])
      )[0].s;
      expect(await owed(t, coop.id, hh[0].id)).toBe(5000);
      const r = await recordOne(admin.token, p.id);
      expect(r.payout.status).toBe('paid');
      expect(r.payout.channel).toBe('bank');
      // The admin learns where the code went (masked), never the code or the link.
      const sms = smsForPayout(t, p.id);
      expect(sms.to).toBe(phones[0]);
      expect(sms.code).toMatch(/^\d{6}$/);
      expect(r.confirmation).toEqual({
        route: 'sms',
        phoneMasked: `${phones[0].slice(0, 3)}****${phones[0].slice(-4)}`,
        sms: 'sent',
      });
      expect(r.payout).toMatchObject({ confirmRoute: 'sms', smsToMasked: r.confirmation.phoneMasked });
      expect(JSON.stringify(r)).not.toContain(sms.code);
      expect(JSON.stringify(r)).not.toContain(sms.token);
      expect(JSON.stringify(r)).not.toContain(phones[0]);
      expect(await owed(t, coop.id, hh[0].id)).toBe(0);

      const txs: { id: string; kind: string; reference: Record<string, unknown> }[] = await t.db.query(
        `SELECT id, kind, reference FROM ledger_transactions WHERE idempotency_key = $1`,
        [`payout:${p.id}`],
      );
      expect(txs).toHaveLength(1);
      expect(txs[0].id).toBe(r.ledgerTransactionId);
      // the bank reference typed in is in the hashed entry (docs/ledger.md)
      expect(txs[0].reference).toMatchObject({
        payoutId: p.id,
        channel: 'bank',
        paidOn: today(),
        paymentReference: 'BOC-20260301-001',
      });
      const postings: { account: string; amount: string }[] = await t.db.query(
        `SELECT account, amount FROM ledger_postings WHERE transaction_id = $1 ORDER BY position`,
        [txs[0].id],
      );
      expect(postings.map((x) => [x.account, Number(x.amount)])).toEqual([
        [accountCode.householdPayable(coop.id, hh[0].id), 5000],
        [accountCode.paidOut(coop.id), -5000],
      ]);
      const paidOutAfter = -(
        await t.db.query(`SELECT SUM(amount) AS s FROM ledger_postings WHERE account = $1`, [
          accountCode.paidOut(coop.id),
        ])
      )[0].s;
      expect(paidOutAfter - paidOutBefore).toBe(5000);

      // Only hashes are stored.
      const [row] = await t.db.query(`SELECT * FROM payouts WHERE id = $1`, [p.id]);
      const token = sms.token;
      expect(row.confirm_token_hash).toBe(hashConfirmToken(token));
      expect(JSON.stringify(row)).not.toContain(token);
      expect(JSON.stringify(row)).not.toContain(`"${sms.code}"`);
      // The outbox row keeps no number and no code once sent.
      const [outbox] = await t.db.query(`SELECT * FROM sms_outbox WHERE key = $1`, [`payout-confirm:${p.id}`]);
      expect(outbox).toMatchObject({ status: 'sent', payload: null, to_masked: r.confirmation.phoneMasked });
      expect(JSON.stringify(outbox)).not.toContain(phones[0]);

      // Recording again: 409 with the existing state, no link or code, no second ledger entry.
      const again = await t.http
        .post(`/api/console/payouts/${p.id}/record`)
        .set(bearer(admin.token))
        .send({ channel: 'cash', reference: 'other', paidOn: today() })
        .expect(409);
      expect(again.body.code).toBe('PAYOUT_ALREADY_RECORDED');
      expect(again.body.details.payout).toMatchObject({
        id: p.id,
        status: 'paid',
        channel: 'bank',
        reference: 'BOC-20260301-001',
      });
      expect(JSON.stringify(again.body)).not.toContain(token);
      expect(JSON.stringify(again.body)).not.toContain(sms.code);
      // One SMS per payout.
      expect((await t.db.query(`SELECT id FROM sms_outbox WHERE key = $1`, [`payout-confirm:${p.id}`])).length).toBe(1);
      const [{ n }] = await t.db.query(
        `SELECT count(*)::int AS n FROM ledger_transactions WHERE idempotency_key = $1`,
        [`payout:${p.id}`],
      );
      expect(n).toBe(1);
      expect(await owed(t, coop.id, hh[0].id)).toBe(0);
    });

    it('the payout transaction verifies offline in the ledger export (chain, balance, account balances)', async () => {
      // What a household is owed comes from a real sale: paid, received and settled by the cooperative's policy, so
      // the export holds only entries the verifier's money rules accept (a hand-made credit would not be).
      const s = await scenario(t);
      const { orderId, buyer } = await placeAndPay(t, s.productId, 3);
      await complete(t, s, orderId, buyer.token);
      await settle(t, s);
      const batch = (
        await t.http
          .post(`/api/console/cooperatives/${s.coopId}/payout-batches`)
          .set(bearer(s.admin.token))
          .send({ thresholdFen: 100 })
          .expect(201)
      ).body as PayoutBatchDetail;
      const paid = batch.items[0];
      expect(paid.amountFen).toBeGreaterThan(0);
      await recordOne(s.admin.token, paid.id);
      const result = verifyExport((await exportLedger(t, s.coopId, s.admin.token)).split('\n'));
      expect(result.error).toBeUndefined();
      expect(result.ok).toBe(true);
      expect(result.balances[accountCode.householdPayable(s.coopId, paid.householdId)] ?? 0).toBe(0);
      expect(result.balances[accountCode.paidOut(s.coopId)]).toBe(-paid.amountFen);
    });

    it('recording the same payout twice at once: one 200, one 409, one ledger transaction', async () => {
      const { coop, admin } = await setup();
      const batch = (
        await t.http
          .post(`/api/console/cooperatives/${coop.id}/payout-batches`)
          .set(bearer(admin.token))
          .send({ thresholdFen: 1000 })
          .expect(201)
      ).body as PayoutBatchDetail;
      const id = batch.items[0].id;
      const res = await Promise.all(
        [0, 1, 2].map(() =>
          t.http
            .post(`/api/console/payouts/${id}/record`)
            .set(bearer(admin.token))
            .send({ channel: 'mobile', reference: 'WX1', paidOn: today() }),
        ),
      );
      expect(res.map((r) => r.status).sort()).toEqual([200, 409, 409]);
      const [{ n }] = await t.db.query(
        `SELECT count(*)::int AS n FROM ledger_transactions WHERE idempotency_key = $1`,
        [`payout:${id}`],
      );
      expect(n).toBe(1);
    });

    it('refuses to pay more than is owed (a reversal after planning) and writes nothing', async () => {
      const { coop, admin, hh } = await setup();
      const batch = (
        await t.http
          .post(`/api/console/cooperatives/${coop.id}/payout-batches`)
          .set(bearer(admin.token))
          .send({ thresholdFen: 1000 })
          .expect(201)
      ).body as PayoutBatchDetail;
      const p = itemOf(batch, hh[1].id);
      // A refund reverses 1000 of the household's 3000 after the batch was planned.
      await t.db.transaction((m) =>
        t.app.get(LedgerService).append(m, {
          cooperativeId: coop.id,
          idempotencyKey: `reversal:test:${p.id}`,
          kind: 'reversal',
          reference: { test: true },
          postings: [
            { account: accountCode.householdPayable(coop.id, hh[1].id), amount: 1000 },
            { account: accountCode.clearing(coop.id), amount: -1000 },
          ],
        }),
      );
      const res = await t.http
        .post(`/api/console/payouts/${p.id}/record`)
        .set(bearer(admin.token))
        .send({ channel: 'bank', reference: 'X', paidOn: today() })
        .expect(409);
      expect(res.body.code).toBe('NOT_ENOUGH_OWED');
      expect(res.body.details).toEqual({ owedFen: 2000, amountFen: 3000 });
      const [{ n }] = await t.db.query(
        `SELECT count(*)::int AS n FROM ledger_transactions WHERE idempotency_key = $1`,
        [`payout:${p.id}`],
      );
      expect(n).toBe(0);
      const [row] = await t.db.query(`SELECT status FROM payouts WHERE id = $1`, [p.id]);
      expect(row.status).toBe('planned');
    });

    it('validates channel, reference and date', async () => {
      const { coop, admin } = await setup();
      const batch = (
        await t.http
          .post(`/api/console/cooperatives/${coop.id}/payout-batches`)
          .set(bearer(admin.token))
          .send({ thresholdFen: 1000 })
          .expect(201)
      ).body as PayoutBatchDetail;
      const id = batch.items[0].id;
      const send = (body: object) =>
        t.http.post(`/api/console/payouts/${id}/record`).set(bearer(admin.token)).send(body);
      expect(
        (await send({ channel: 'alipay', reference: 'x', paidOn: today() }).expect(400)).body.errors[0].field,
      ).toBe('channel');
      expect((await send({ channel: 'bank', reference: '  ', paidOn: today() }).expect(400)).body.errors[0].field).toBe(
        'reference',
      );
      expect(
        (await send({ channel: 'bank', reference: 'x', paidOn: '2026-02-30' }).expect(400)).body.errors[0].field,
      ).toBe('paidOn');
      const tomorrow = new Date(Date.now() + 8 * 3600_000 + 2 * 86_400_000).toISOString().slice(0, 10);
      expect((await send({ channel: 'bank', reference: 'x', paidOn: tomorrow }).expect(400)).body.errors[0].field).toBe(
        'paidOn',
      );
    });
  });

  describe('household confirmation (no account)', () => {
    it('the link shows the masked name, cooperative, payout and statement, and confirms once', async () => {
      const { coop, admin, hh } = await setup();
      const batch = (
        await t.http
          .post(`/api/console/cooperatives/${coop.id}/payout-batches`)
          .set(bearer(admin.token))
          .send({ thresholdFen: 1000 })
          .expect(201)
      ).body as PayoutBatchDetail;
      const p0 = itemOf(batch, hh[0].id);
      const p1 = itemOf(batch, hh[1].id);
      await recordOne(admin.token, p0.id);
      await recordOne(admin.token, p1.id);
      const sms0 = smsForPayout(t, p0.id);
      const sms1 = smsForPayout(t, p1.id);
      const token0 = sms0.token;

      const view = (await t.http.get(`/api/household-links/${token0}`).expect(200)).body as HouseholdLinkView;
      expect(view.householdNameMasked).toBe('王*明');
      expect(view.cooperative).toEqual({ id: coop.id, name: coop.name });
      expect(view.payout).toMatchObject({
        id: p0.id,
        amountFen: 5000,
        channel: 'bank',
        paidOn: today(),
        status: 'paid',
        confirmedAt: null,
        confirmMethod: null,
      });
      expect(view.statement).toMatchObject({ earnedFen: 5000, paidOutFen: 5000, owedFen: 0, householdName: null });
      const json = JSON.stringify(view);
      expect(json).not.toContain('王小明');
      expect(json).not.toMatch(/\d{6}\*+\d{3}|\d{17}[\dX]/); // no ID number, masked or not

      // The link alone confirms nothing: the code of the same SMS is needed.
      await t.http.post(`/api/household-links/${token0}/confirm`).expect(400);
      const bare = await t.http.post(`/api/household-links/${token0}/confirm`).send({}).expect(400);
      expect(bare.body.errors[0].field).toBe('code');
      const otherCode = sms1.code === sms0.code ? '000000' : sms1.code;
      await t.http.post(`/api/household-links/${token0}/confirm`).send({ code: otherCode }).expect(400);
      const first = (await t.http.post(`/api/household-links/${token0}/confirm`).send({ code: sms0.code }).expect(200))
        .body as ConfirmPayoutResponse;
      expect(first.alreadyConfirmed).toBe(false);
      const second = (await t.http.post(`/api/household-links/${token0}/confirm`).send({ code: sms0.code }).expect(200))
        .body as ConfirmPayoutResponse;
      expect(second).toEqual({ payoutId: p0.id, confirmedAt: first.confirmedAt, alreadyConfirmed: true });
      const after = (await t.http.get(`/api/household-links/${token0}`).expect(200)).body as HouseholdLinkView;
      expect(after.payout.status).toBe('confirmed');
      expect(after.payout.confirmedAt).toBe(first.confirmedAt);
      expect(after.payout.confirmMethod).toBe('sms');

      // The other payout is untouched by this token.
      const [other] = await t.db.query(`SELECT status, confirmed_at FROM payouts WHERE id = $1`, [p1.id]);
      expect(other).toEqual({ status: 'paid', confirmed_at: null });
      // Wrong, malformed and planned-payout tokens: 404.
      const wrong = 'A'.repeat(43);
      expect((await t.http.get(`/api/household-links/${wrong}`).expect(404)).body.code).toBe('LINK_NOT_FOUND');
      await t.http.post(`/api/household-links/${wrong}/confirm`).send({ code: sms0.code }).expect(404);
      await t.http.get(`/api/household-links/short`).expect(404);
      await t.http
        .post(`/api/household-links/${sms1.token.slice(0, -1)}${sms1.token.endsWith('x') ? 'y' : 'x'}/confirm`)
        .send({ code: sms1.code })
        .expect(404);
      // The code of payout 1 does not confirm payout 0's sibling through payout 0's id.
      await t.http.post('/api/household-links/confirm-by-code').send({ payoutId: p0.id, code: otherCode }).expect(400);
      const ok = (
        await t.http.post('/api/household-links/confirm-by-code').send({ payoutId: p1.id, code: sms1.code }).expect(200)
      ).body as ConfirmPayoutResponse;
      expect(ok).toMatchObject({ payoutId: p1.id, alreadyConfirmed: false });
    });

    it('the 6-digit code cannot be brute-forced: attempts are counted and then refused with 429', async () => {
      const { coop, admin } = await setup();
      const batch = (
        await t.http
          .post(`/api/console/cooperatives/${coop.id}/payout-batches`)
          .set(bearer(admin.token))
          .send({ thresholdFen: 1000 })
          .expect(201)
      ).body as PayoutBatchDetail;
      await recordOne(admin.token, batch.items[0].id);
      const r = smsForPayout(t, batch.items[0].id);
      const wrongCode = r.code === '123456' ? '654321' : '123456';
      for (let i = 1; i <= CODE_MAX_ATTEMPTS_PER_PAYOUT; i++) {
        const res = await t.http
          .post('/api/household-links/confirm-by-code')
          .send({ payoutId: batch.items[0].id, code: wrongCode })
          .expect(400);
        expect(res.body).toMatchObject({
          code: 'WRONG_CODE',
          details: { attemptsLeft: CODE_MAX_ATTEMPTS_PER_PAYOUT - i },
        });
      }
      // Now even the right code is refused until the window passes.
      const limited = await t.http
        .post('/api/household-links/confirm-by-code')
        .send({ payoutId: batch.items[0].id, code: r.code })
        .expect(429);
      expect(limited.body.code).toBe('RATE_LIMITED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      const [row] = await t.db.query(`SELECT confirmed_at FROM payouts WHERE id = $1`, [batch.items[0].id]);
      expect(row.confirmed_at).toBeNull();
      // The link's page asks for the same code and counts against the same limit.
      await t.http.post(`/api/household-links/${r.token}/confirm`).send({ code: r.code }).expect(429);
      // Malformed input is a 400 naming the field; unknown payouts answer like a wrong code.
      expect(
        (
          await t.http
            .post('/api/household-links/confirm-by-code')
            .send({ payoutId: batch.items[0].id, code: '12ab56' })
            .expect(400)
        ).body.errors[0].field,
      ).toBe('code');
      const unknown = await t.http
        .post('/api/household-links/confirm-by-code')
        .send({ payoutId: '00000000-0000-4000-8000-000000000000', code: '123456' })
        .expect(400);
      expect(unknown.body.code).toBe('WRONG_CODE');
    });
  });

  describe('statements', () => {
    it('earned, paid out and owed by channel and month equal the ledger postings; the console read is logged', async () => {
      const { coop, admin, host, hh } = await setup();
      await creditHouseholds(t, coop.id, { [hh[0].id]: 1234 }, { kind: 'dividend' });
      const batch = (
        await t.http
          .post(`/api/console/cooperatives/${coop.id}/payout-batches`)
          .set(bearer(admin.token))
          .send({ thresholdFen: 6000 })
          .expect(201)
      ).body as PayoutBatchDetail;
      expect(batch.items).toHaveLength(1);
      await t.http
        .post(`/api/console/payouts/${batch.items[0].id}/record`)
        .set(bearer(admin.token))
        .send({ channel: 'mobile', reference: 'WX-9', paidOn: today() })
        .expect(200);
      await creditHouseholds(t, coop.id, { [hh[0].id]: 700 });
      const s = (
        await t.http
          .get(`/api/console/cooperatives/${coop.id}/households/${hh[0].id}/statement`)
          .set(bearer(admin.token))
          .expect(200)
      ).body as HouseholdStatement;
      expect(s.householdName).toBe('王小明');
      expect(s.householdNameMasked).toBe('王*明');
      expect(s).toMatchObject({
        purchaseFen: 5700,
        dividendFen: 1234,
        adjustmentsFen: 0,
        earnedFen: 6934,
        paidOutFen: 6234,
        owedFen: 700,
      });
      expect(s.byChannel).toEqual([{ channel: 'mobile', paidOutFen: 6234, count: 1 }]);
      const month = today().slice(0, 7);
      expect(s.byMonth).toEqual([{ month, earnedFen: 6934, paidOutFen: 6234 }]);
      // The same figures straight from the postings.
      const [sums] = await t.db.query(
        `SELECT SUM(amount) FILTER (WHERE amount < 0) AS credits, SUM(amount) FILTER (WHERE amount > 0) AS debits, SUM(amount) AS balance
           FROM ledger_postings WHERE account = $1`,
        [accountCode.householdPayable(coop.id, hh[0].id)],
      );
      expect(s.earnedFen).toBe(-Number(sums.credits));
      expect(s.paidOutFen).toBe(Number(sums.debits));
      expect(s.owedFen).toBe(-Number(sums.balance));
      expect(s.entries.reduce((a, e) => a + e.amountFen, 0)).toBe(s.owedFen);
      const [log] = await t.db.query(
        `SELECT count(*)::int AS n FROM personal_data_access_log WHERE actor_id = $1 AND household_id = $2 AND action = 'household.statement'`,
        [admin.user.id, hh[0].id],
      );
      expect(log.n).toBe(1);
      // A household with nothing to do with the cooperative, or a malformed id: 404.
      const { household: stranger } = await insertHousehold(t, { headName: '陌生人' });
      await t.http
        .get(`/api/console/cooperatives/${coop.id}/households/${stranger.id}/statement`)
        .set(bearer(admin.token))
        .expect(404);
      await t.http
        .get(`/api/console/cooperatives/${coop.id}/households/nope/statement`)
        .set(bearer(admin.token))
        .expect(404);
      // A member with no ledger entries yet gets an empty statement.
      const { household: fresh } = await insertHousehold(t, { headName: '新成员' });
      await addMember(t, coop.id, fresh.id);
      const empty = (
        await t.http
          .get(`/api/console/cooperatives/${coop.id}/households/${fresh.id}/statement`)
          .set(bearer(admin.token))
          .expect(200)
      ).body as HouseholdStatement;
      expect(empty).toMatchObject({ earnedFen: 0, paidOutFen: 0, owedFen: 0, entries: [] });
      await t.http
        .get(`/api/console/cooperatives/${coop.id}/households/${hh[0].id}/statement`)
        .set(bearer(host.token))
        .expect(403);
    });
  });

  describe('unconfirmed payouts', () => {
    it('are flagged after PAYOUT_CONFIRM_DAYS, listed with ?flag=unconfirmed and counted by the daily sweep', async () => {
      const { coop, admin, hh } = await setup();
      const batch = (
        await t.http
          .post(`/api/console/cooperatives/${coop.id}/payout-batches`)
          .set(bearer(admin.token))
          .send({ thresholdFen: 1000 })
          .expect(201)
      ).body as PayoutBatchDetail;
      const old = itemOf(batch, hh[0].id);
      const recent = itemOf(batch, hh[1].id);
      await recordOne(admin.token, old.id, daysAgo(8));
      await recordOne(admin.token, recent.id, daysAgo(7));
      const flagged = (
        await t.http
          .get(`/api/console/cooperatives/${coop.id}/payouts?flag=unconfirmed`)
          .set(bearer(admin.token))
          .expect(200)
      ).body as PayoutList;
      expect(flagged.items.map((i) => [i.id, i.unconfirmedFlag])).toEqual([[old.id, true]]);
      const all = (
        await t.http.get(`/api/console/cooperatives/${coop.id}/payouts`).set(bearer(admin.token)).expect(200)
      ).body as PayoutList;
      expect(all.items.find((i) => i.id === recent.id)?.unconfirmedFlag).toBe(false);
      const list = (
        await t.http.get(`/api/console/cooperatives/${coop.id}/payout-batches`).set(bearer(admin.token)).expect(200)
      ).body as PayoutBatchList;
      expect(list.unconfirmedFlagged).toBe(1);
      expect(list.items[0].unconfirmedFlagged).toBe(1);
      const counts = await t.app.get(PayoutsService).sweepUnconfirmed();
      expect(counts.find((c) => c.cooperativeId === coop.id)).toEqual({
        cooperativeId: coop.id,
        count: 1,
        amountFen: 5000,
      });
      // Confirming clears the flag.
      const [row] = await t.db.query(`SELECT confirm_token_hash FROM payouts WHERE id = $1`, [old.id]);
      expect(row.confirm_token_hash).toHaveLength(64);
      await t.db.query(`UPDATE payouts SET status = 'confirmed', confirmed_at = now() WHERE id = $1`, [old.id]);
      const none = (
        await t.http
          .get(`/api/console/cooperatives/${coop.id}/payouts?flag=unconfirmed`)
          .set(bearer(admin.token))
          .expect(200)
      ).body as PayoutList;
      expect(none.items).toEqual([]);
      await t.http.get(`/api/console/cooperatives/${coop.id}/payouts?flag=late`).set(bearer(admin.token)).expect(400);
    });
  });
});
