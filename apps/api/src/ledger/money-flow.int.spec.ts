import { randomUUID } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { accountCode, transactionLine, verifyExport } from '@xiangbo/domain';
import { createTestApp, insertCooperative, registerUser, TestApp, userWithRoles } from '../../test/test-app';
import { LedgerService } from './ledger.service';
import { SettlementService } from './settlement.service';
import {
  bearer,
  complete,
  DEFAULT_POLICY,
  exportLedger,
  placeAndPay,
  scenario,
  settle,
} from './testing/ledger-fixtures';

const ROOT = resolve(__dirname, '../../../..');

describe('money flow: policies, settlement, refunds, dividends, receipts, export and transparency', () => {
  let t: TestApp;
  let cli: string;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xb-ledger-'));
    cli = join(dir, 'verify-ledger.cjs');
    // The real standalone verifier, built exactly as `npm run verify-ledger` builds it (to a private file).
    execFileSync('npx', ['rolldown', '-c', 'tools/verify-ledger/rolldown.config.mjs', '-o', cli], {
      cwd: ROOT,
      stdio: 'pipe',
    });
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const runCli = (text: string, name: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return spawnSync('node', [cli, file], { encoding: 'utf8' });
  };
  const receipt = async (orderId: string, token: string) =>
    (await t.http.get(`/api/orders/${orderId}/impact`).set(bearer(token)).expect(200)).body;
  const receiptSum = (r: { destinations: Record<string, number>; pendingFen: number; refundedFen: number }) =>
    Object.values(r.destinations).reduce((s, v) => s + v, 0) + r.pendingFen + r.refundedFen;

  describe('sharing policies', () => {
    it('versions: coop_admin creates, host reads, validation names the field, old versions never change', async () => {
      const s = await scenario(t, { policy: null });
      const host = await userWithRoles(t, [{ role: 'host', cooperativeId: s.coopId }]);
      const url = `/api/console/cooperatives/${s.coopId}/sharing-policies`;
      const over = await t.http
        .post(url)
        .set(bearer(s.admin.token))
        .send({ ...DEFAULT_POLICY, purchase: { kind: 'percent', bp: 8000 }, dividendBp: 1500 })
        .expect(400);
      expect(over.body.code).toBe('VALIDATION_FAILED');
      expect(over.body.errors.map((e: { field: string }) => e.field)).toContain('purchase');
      const fee = await t.http
        .post(url)
        .set(bearer(s.admin.token))
        .send({ ...DEFAULT_POLICY, platformFeeBp: 2500 })
        .expect(400);
      expect(fee.body.errors[0].field).toBe('platformFeeBp');
      const kind = await t.http
        .post(url)
        .set(bearer(s.admin.token))
        .send({ ...DEFAULT_POLICY, purchase: { kind: 'per_unit', fenPerUnit: 12.5 } })
        .expect(400);
      expect(kind.body.errors[0].field).toBe('purchase.fenPerUnit');
      const past = await t.http
        .post(url)
        .set(bearer(s.admin.token))
        .send({ ...DEFAULT_POLICY, effectiveFrom: '2020-01-01T00:00:00Z' })
        .expect(400);
      expect(past.body.errors[0].field).toBe('effectiveFrom');

      const v1 = await t.http
        .post(url)
        .set(bearer(s.admin.token))
        .send({ ...DEFAULT_POLICY, cooperativeId: 'ignored', version: 99 })
        .expect(201);
      expect(v1.body).toMatchObject({
        version: 1,
        platformFeeBp: 300,
        purchase: { kind: 'percent', bp: 6500 },
        inForce: true,
      });
      const later = new Date(Date.now() + 86400_000).toISOString();
      const v2 = await t.http
        .post(url)
        .set(bearer(s.admin.token))
        .send({
          ...DEFAULT_POLICY,
          purchase: { kind: 'per_unit', fenPerUnit: 3000 },
          effectiveFrom: later,
          note: '保底收购价 ¥30/盒',
        })
        .expect(201);
      expect(v2.body).toMatchObject({ version: 2, inForce: false, purchase: { kind: 'per_unit', fenPerUnit: 3000 } });
      const list = await t.http.get(url).set(bearer(host.token)).expect(200);
      expect(list.body.versions.map((v: { version: number; inForce: boolean }) => [v.version, v.inForce])).toEqual([
        [2, false],
        [1, true],
      ]);
      // a version that would take effect before the latest one is refused
      await t.http.post(url).set(bearer(s.admin.token)).send(DEFAULT_POLICY).expect(400);
    });
  });

  describe('one order, end to end', () => {
    it('payment → complete → settle: each fen where the policy says, and the receipt sums to the total exactly', async () => {
      const s = await scenario(t);
      const { orderId, buyer } = await placeAndPay(t, s.productId, 1);
      const ledger = t.app.get(LedgerService);
      const pay = await ledger.findByKey(undefined, `pay:order:${orderId}`);
      expect(pay?.postings).toEqual([
        { account: 'platform:psp_receivable', amount: 5900, currency: 'CNY' },
        { account: accountCode.clearing(s.coopId), amount: -5900, currency: 'CNY' },
      ]);
      const pending = await receipt(orderId, buyer.token);
      expect(pending).toMatchObject({ state: 'pending', pendingFen: 5900, households: [] });

      // not completed yet: a run settles nothing
      const early = await settle(t, s);
      expect(early).toMatchObject({ status: 'done', total: 0, done: 0 });

      await complete(t, s, orderId, buyer.token);
      const run = await settle(t, s);
      expect(run).toMatchObject({ status: 'done', total: 1, done: 1, skipped: [], settledOrders: 1, settledFen: 5900 });

      const r = await receipt(orderId, buyer.token);
      // ¥59.00: fee 0.6% = 35; platform 3% = 177; net 5688: purchase 65% = 3697 (1849/1109/739 by 50/30/20),
      // dividend 8% = 455, wages 10% = 568, retained 968.
      expect(r).toMatchObject({
        state: 'settled',
        totalFen: 5900,
        pendingFen: 0,
        refundedFen: 0,
        policyVersion: 1,
        destinations: {
          processingFeeFen: 35,
          platformFeeFen: 177,
          purchaseFen: 3697,
          dividendPoolFen: 455,
          wagesFen: 568,
          retainedFen: 968,
        },
        householdCount: 3,
        registeredCount: 2,
        monitoredCount: 1,
      });
      expect(r.households).toEqual([
        { maskedName: '王*明', status: 'registered', amountFen: 1849 },
        { maskedName: '李*梅', status: 'registered', amountFen: 1109 },
        { maskedName: '张*国', status: 'monitored', amountFen: 739 },
      ]);
      expect(receiptSum(r)).toBe(5900);
      expect(JSON.stringify(r)).not.toMatch(/王小明|李秀梅|张建国/);
      const [{ settled_at }] = await t.db.query('SELECT settled_at FROM orders WHERE id = $1', [orderId]);
      expect(settled_at).not.toBeNull();
      // settling again changes nothing
      const again = await settle(t, s);
      expect(again).toMatchObject({ total: 0, done: 0 });
      expect(
        (
          await t.db.query(`SELECT count(*)::int AS n FROM ledger_transactions WHERE idempotency_key = $1`, [
            `settle:order:${orderId}`,
          ])
        )[0].n,
      ).toBe(1);
    });

    it('refund before settlement comes off the lines; refund after settlement reverses every credit proportionally; the verifier still passes', async () => {
      const s = await scenario(t);
      const a = await placeAndPay(t, s.productId, 2); // ¥118.00
      await t.http
        .post(`/api/console/orders/${a.orderId}/refunds`)
        .set(bearer(s.admin.token))
        .send({ reason: '少发了一包', amountFen: 1800 })
        .expect(201);
      const refund = await t.app
        .get(LedgerService)
        .findByKey(
          undefined,
          (await t.db.query(`SELECT 'refund:' || id AS k FROM refunds WHERE order_id = $1`, [a.orderId]))[0].k,
        );
      expect(refund?.kind).toBe('refund');
      await complete(t, s, a.orderId, a.buyer.token);
      await settle(t, s);
      const r1 = await receipt(a.orderId, a.buyer.token);
      expect(r1).toMatchObject({ state: 'settled', refundedFen: 1800, pendingFen: 0 });
      expect(receiptSum(r1)).toBe(11800);
      const settlement = await t.app.get(LedgerService).findByKey(undefined, `settle:order:${a.orderId}`);
      expect(settlement?.postings[0]).toEqual({
        account: accountCode.clearing(s.coopId),
        amount: 10000,
        currency: 'CNY',
      });

      // after settlement: a refund of ¥30.00 takes back from every credited account in proportion
      await t.http
        .post(`/api/console/orders/${a.orderId}/refunds`)
        .set(bearer(s.admin.token))
        .send({ reason: '品质问题', amountFen: 3000 })
        .expect(201);
      const [{ id: refundId }] = await t.db.query(`SELECT id FROM refunds WHERE order_id = $1 AND amount_fen = 3000`, [
        a.orderId,
      ]);
      const reversal = await t.app.get(LedgerService).findByKey(undefined, `reversal:${refundId}`);
      expect(reversal?.kind).toBe('reversal');
      const credits = settlement!.postings.filter((p) => p.amount < 0);
      const debits = reversal!.postings.filter((p) => p.amount > 0);
      expect(debits.reduce((x, p) => x + p.amount, 0)).toBe(3000);
      for (const d of debits) {
        const c = credits.find((p) => p.account === d.account)!;
        expect(Math.abs(d.amount - (-c.amount * 3000) / 10000)).toBeLessThan(1); // largest remainder: within a fen of exact
      }
      expect(reversal!.postings.at(-1)).toEqual({ account: 'platform:psp_receivable', amount: -3000, currency: 'CNY' });
      const r2 = await receipt(a.orderId, a.buyer.token);
      expect(r2.refundedFen).toBe(4800);
      expect(receiptSum(r2)).toBe(11800);

      const text = await exportLedger(t, s.coopId, s.admin.token);
      expect(verifyExport(text.split('\n'))).toMatchObject({ ok: true });
      const out = runCli(text, 'refunds.jsonl');
      expect(out.stdout).toMatch(/^OK: \d+ transactions/);
      expect(out.status).toBe(0);
    });
  });

  describe('settlement runs', () => {
    it('an order paid before any policy is refused with a clear reason; a later policy does not apply to it', async () => {
      const s = await scenario(t, { policy: null });
      const { orderId, buyer } = await placeAndPay(t, s.productId);
      await complete(t, s, orderId, buyer.token);
      const run = await settle(t, s);
      expect(run).toMatchObject({ status: 'done', total: 1, done: 1, settledOrders: 0 });
      expect(run.skipped).toEqual([
        expect.objectContaining({ orderId, reason: expect.stringMatching(/no sharing policy was in force/) }),
      ]);
      await t.http
        .post(`/api/console/cooperatives/${s.coopId}/sharing-policies`)
        .set(bearer(s.admin.token))
        .send(DEFAULT_POLICY)
        .expect(201);
      const again = await settle(t, s);
      expect(again.skipped).toHaveLength(1);
      expect((await receipt(orderId, buyer.token)).state).toBe('pending');
    });

    it('is resumable: a run that fails midway continues where it stopped, never settling an order twice', async () => {
      const s = await scenario(t);
      const orders = [];
      for (let i = 0; i < 4; i++) {
        const o = await placeAndPay(t, s.productId, 1 + i);
        await complete(t, s, o.orderId, o.buyer.token);
        orders.push(o);
      }
      // the power goes out while the third order is written (a database error inside its transaction)
      await t.db.query(`CREATE FUNCTION xb_test_power_cut() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.kind = 'settlement' AND (SELECT count(*) FROM ledger_transactions WHERE kind = 'settlement' AND cooperative_id = NEW.cooperative_id) >= 2 THEN
            RAISE EXCEPTION 'the machine lost power';
          END IF;
          RETURN NEW;
        END $$`);
      await t.db.query(
        `CREATE TRIGGER xb_test_power_cut BEFORE INSERT ON ledger_transactions FOR EACH ROW EXECUTE FUNCTION xb_test_power_cut()`,
      );
      const started = await t.http
        .post(`/api/console/cooperatives/${s.coopId}/settlement-runs`)
        .set(bearer(s.admin.token))
        .expect(202);
      expect(started.body).toMatchObject({ status: 'queued', total: 4, done: 0 });
      await expect(t.app.get(SettlementService).process(started.body.id)).rejects.toThrow('lost power');
      await t.db.query('DROP TRIGGER xb_test_power_cut ON ledger_transactions');
      await t.db.query('DROP FUNCTION xb_test_power_cut()');
      const failed = await t.http
        .get(`/api/console/cooperatives/${s.coopId}/settlement-runs/${started.body.id}`)
        .set(bearer(s.admin.token))
        .expect(200);
      // the two orders written before the failure stay settled (each was its own transaction); nothing of the third
      expect(failed.body).toMatchObject({ status: 'failed', total: 4, done: 2, error: 'the machine lost power' });
      const [{ n: before }] = await t.db.query(
        `SELECT count(*)::int AS n FROM orders WHERE cooperative_id = $1 AND settled_at IS NOT NULL`,
        [s.coopId],
      );
      expect(before).toBe(failed.body.done);
      // starting again resumes the same run
      const resumed = await t.http
        .post(`/api/console/cooperatives/${s.coopId}/settlement-runs`)
        .set(bearer(s.admin.token))
        .expect(202);
      expect(resumed.body.id).toBe(started.body.id);
      await t.app.get(SettlementService).process(started.body.id);
      const done = await t.http
        .get(`/api/console/cooperatives/${s.coopId}/settlement-runs/${started.body.id}`)
        .set(bearer(s.admin.token))
        .expect(200);
      expect(done.body).toMatchObject({ status: 'done', total: 4, done: 4, error: null });
      const [{ n }] = await t.db.query(
        `SELECT count(*)::int AS n FROM ledger_transactions WHERE cooperative_id = $1 AND kind = 'settlement'`,
        [s.coopId],
      );
      expect(n).toBe(4);
      for (const o of orders) expect(receiptSum(await receipt(o.orderId, o.buyer.token))).toBeGreaterThan(0);
      const overview = await t.http
        .get(`/api/console/cooperatives/${s.coopId}/settlement-runs`)
        .set(bearer(s.admin.token))
        .expect(200);
      expect(overview.body).toMatchObject({ unsettledOrders: 0, balances: { clearingFen: 0 } });
    });
    it('leaves an order whose refund is in progress (row locked) for the next run, and settles the rest', async () => {
      const s = await scenario(t);
      const a = await placeAndPay(t, s.productId);
      const b = await placeAndPay(t, s.productId);
      await complete(t, s, a.orderId, a.buyer.token);
      await complete(t, s, b.orderId, b.buyer.token);
      const qr = t.db.createQueryRunner();
      await qr.connect();
      await qr.startTransaction();
      await qr.query('SELECT id FROM orders WHERE id = $1 FOR UPDATE', [a.orderId]); // a refund holding the order
      const run = await settle(t, s);
      await qr.rollbackTransaction();
      await qr.release();
      expect(run).toMatchObject({ status: 'done', total: 2, done: 2, settledOrders: 1 });
      expect(run.skipped).toEqual([
        expect.objectContaining({
          orderId: a.orderId,
          reason: expect.stringMatching(/changed while it was being settled/),
        }),
      ]);
      expect((await receipt(b.orderId, b.buyer.token)).state).toBe('settled');
      const next = await settle(t, s);
      expect(next).toMatchObject({ total: 1, done: 1, settledOrders: 1, skipped: [] });
      const text = await exportLedger(t, s.coopId, s.admin.token);
      expect(verifyExport(text.split('\n'))).toMatchObject({ ok: true });
    });
  });

  describe('dividends, export, transparency', () => {
    it('dividends are previewed, posted once; the export verifies (CLI), tampering is caught at the right line; the public page agrees with the verifier', async () => {
      const s = await scenario(t);
      for (let i = 0; i < 3; i++) {
        const o = await placeAndPay(t, s.productId, 1);
        await complete(t, s, o.orderId, o.buyer.token);
      }
      await settle(t, s);
      const period = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
      const url = `/api/console/cooperatives/${s.coopId}/dividends`;
      const preview = await t.http.post(`${url}/preview`).set(bearer(s.admin.token)).send({ period }).expect(200);
      // pool: 3 × 455; weights 10×150, 5×150, 3×120 = 1500, 750, 360
      expect(preview.body).toMatchObject({
        period,
        poolBalanceFen: 1365,
        amountFen: 1365,
        alreadyPosted: false,
        policyVersion: 1,
      });
      const amounts = preview.body.members.map((m: { amountFen: number }) => m.amountFen);
      expect(amounts.reduce((a: number, b: number) => a + b, 0)).toBe(1365);
      expect(preview.body.members.find((m: { maskedName: string }) => m.maskedName === '王*明').amountFen).toBe(785); // 1365×1500/2610 = 784.48 (+1 fen: largest remainder)
      await t.http.post(`${url}/preview`).set(bearer(s.admin.token)).send({ period, amountFen: 999999 }).expect(400);
      await t.http.post(`${url}/preview`).set(bearer(s.admin.token)).send({ period: '2026-13' }).expect(400);
      const posted = await t.http.post(url).set(bearer(s.admin.token)).send({ period }).expect(201);
      expect(posted.body).toMatchObject({ alreadyPosted: true, amountFen: 1365 });
      const twice = await t.http.post(url).set(bearer(s.admin.token)).send({ period, amountFen: 5 }).expect(201);
      expect(twice.body).toMatchObject({ alreadyPosted: true, amountFen: 1365, seq: posted.body.seq });

      // a payout recorded by the payouts feature (ledger: Dr payable, Cr paid_out) shows on the public page
      const ledger = t.app.get(LedgerService);
      const payoutId = randomUUID();
      await t.db.transaction(async (m) => {
        await ledger.append(m, {
          cooperativeId: s.coopId,
          idempotencyKey: `payout:${payoutId}`,
          kind: 'payout',
          // (as the payouts feature writes it: the verifier checks the household and that it was owed this much)
          reference: { payoutId, householdId: s.households[0], channel: 'bank', paidOn: '2026-11-01' },
          postings: [
            { account: accountCode.householdPayable(s.coopId, s.households[0]), amount: 2000 },
            { account: accountCode.paidOut(s.coopId), amount: -2000 },
          ],
        });
        const [batch] = await m.query(
          `INSERT INTO payout_batches (cooperative_id, threshold_fen, created_by) VALUES ($1, 100, $2) RETURNING id`,
          [s.coopId, s.admin.user.id],
        );
        await m.query(
          `INSERT INTO payouts (batch_id, cooperative_id, household_id, amount_fen, status, channel, reference, paid_on) VALUES ($1, $2, $3, 2000, 'confirmed', 'bank', 'B1', current_date)`,
          [batch.id, s.coopId, s.households[0]],
        );
      });

      const text = await exportLedger(t, s.coopId, s.admin.token);
      const lines = text.trimEnd().split('\n');
      expect(JSON.parse(lines[0])).toMatchObject({
        type: 'header',
        format: 'xiangbo-ledger/1',
        cooperativeId: s.coopId,
      });
      expect(JSON.parse(lines[1])).toMatchObject({ type: 'policy', policy: { version: 1 } });
      expect(JSON.parse(lines.at(-1)!)).toMatchObject({ type: 'footer', transactions: 8 });
      // every transaction line holds its hashed content verbatim (the verifier hashes those bytes)
      const transactions = lines.filter((l) => l.startsWith('{"type":"transaction",'));
      expect(transactions).toHaveLength(8);
      for (const l of transactions) {
        const { type: _type, hash, ...content } = JSON.parse(l);
        expect(l).toBe(transactionLine(content, hash));
      }
      const ok = runCli(text, 'ok.jsonl');
      expect(ok.status).toBe(0);
      expect(ok.stdout).toMatch(/OK: 8 transactions/);
      const verified = verifyExport(lines);
      expect(verified.ok).toBe(true);

      // tampering, each caught by the CLI at the entry that breaks
      const txLine = (kind: string) =>
        lines.findIndex((l) => l.includes('"type":"transaction"') && l.includes(`"kind":"${kind}"`));
      const at = txLine('settlement');
      const changed = [...lines];
      const t1 = JSON.parse(changed[at]);
      t1.postings[1].amount -= 1;
      t1.postings[0].amount -= 1; // still balanced: only the hash can tell
      changed[at] = JSON.stringify(t1);
      const c1 = runCli(changed.join('\n') + '\n', 'changed.jsonl');
      expect(c1.status).toBe(1);
      expect(c1.stderr).toContain(`BROKEN at line ${at + 1} (transaction #${t1.seq}`);
      expect(c1.stderr).toMatch(/hash does not match/);

      const removed = [...lines];
      const t2 = JSON.parse(removed[at]);
      t2.postings.splice(2, 1);
      removed[at] = JSON.stringify(t2);
      const c2 = runCli(removed.join('\n') + '\n', 'removed.jsonl');
      expect(c2.status).toBe(1);
      expect(c2.stderr).toContain(`BROKEN at line ${at + 1}`);

      const swapped = [...lines];
      [swapped[at], swapped[at + 1]] = [swapped[at + 1], swapped[at]];
      const c3 = runCli(swapped.join('\n') + '\n', 'swapped.jsonl');
      expect(c3.status).toBe(1);
      expect(c3.stderr).toContain(`BROKEN at line ${at + 1}`);
      expect(c3.stderr).toMatch(/sequence/);

      // the public page (no sign-in) agrees with the verifier's balances of the same export
      const page = (await t.http.get(`/api/cooperatives/${s.coopId}/transparency`).expect(200)).body;
      const b = verified.balances;
      const households = Object.entries(b)
        .filter(([k]) => k.includes(':household:'))
        .reduce((x, [, v]) => x + v, 0);
      expect(page.totals.salesFen - page.totals.refundsFen).toBe(b['platform:psp_receivable']);
      expect(page.totals.salesFen).toBe(3 * 5900);
      expect(page.totals.processingFeesFen).toBe(-b['platform:payment_fees']);
      expect(page.totals.platformFeesFen).toBe(-b['platform:fee_revenue']);
      expect(page.totals.toHouseholdsFen - page.totals.paidOutFen).toBe(-households);
      expect(page.totals.paidOutFen).toBe(-b[accountCode.paidOut(s.coopId)]);
      expect(page.totals.dividendPoolFen).toBe(0 - (b[accountCode.dividendPool(s.coopId)] ?? 0));
      expect(page.totals.retainedFen).toBe(-b[accountCode.retained(s.coopId)]);
      expect(page.totals).toMatchObject({
        payoutsMadeFen: 2000,
        payoutsConfirmedFen: 2000,
        householdsReached: 3,
        toRegistered: null,
        toMonitored: null,
      });
      expect(page.months).toHaveLength(1);
      // one household paid out this month: the month row does not show it on its own (the under-3 rule)
      expect(page.months[0].payouts).toBeNull();
      expect(page.months[0].toHouseholds).toEqual({
        registered: null,
        monitored: null,
        all: { households: 3, amountFen: page.totals.toHouseholdsFen },
      });
      expect(page.households.map((h: { maskedName: string }) => h.maskedName).sort()).toEqual([
        '张*国',
        '李*梅',
        '王*明',
      ]);
      expect(JSON.stringify(page)).not.toMatch(/王小明|李秀梅|张建国|id_number|idNumber/);
    });
  });

  describe('authorization on every route', () => {
    it('other cooperatives get 404, hosts cannot write (403), buyers see only their own receipts, auditors of the cooperative export (logged)', async () => {
      const s = await scenario(t);
      const other = await insertCooperative(t);
      const otherAdmin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: other.id }]);
      const host = await userWithRoles(t, [{ role: 'host', cooperativeId: s.coopId }]);
      const auditor = await userWithRoles(t, [{ role: 'auditor', cooperativeId: s.coopId }]);
      const otherAuditor = await userWithRoles(t, [{ role: 'auditor', cooperativeId: other.id }]);
      const stranger = await registerUser(t);
      const { orderId, buyer } = await placeAndPay(t, s.productId);
      const base = `/api/console/cooperatives/${s.coopId}`;
      const run = await t.http.post(`${base}/settlement-runs`).set(bearer(s.admin.token)).expect(202);
      const period = new Date().toISOString().slice(0, 7);

      const routes: [string, string, unknown?][] = [
        ['get', `${base}/sharing-policies`],
        ['post', `${base}/sharing-policies`, DEFAULT_POLICY],
        ['get', `${base}/settlement-runs`],
        ['post', `${base}/settlement-runs`],
        ['get', `${base}/settlement-runs/${run.body.id}`],
        ['post', `${base}/dividends/preview`, { period }],
        ['post', `${base}/dividends`, { period }],
        ['get', `/api/cooperatives/${s.coopId}/ledger/export`],
      ];
      for (const [method, url, body] of routes) {
        const req = (t.http as unknown as Record<string, (u: string) => import('supertest').Test>)
          [method](url)
          .set(bearer(otherAdmin.token));
        const res = await (body ? req.send(body as object) : req);
        expect([url, res.status]).toEqual([url, 404]);
      }
      await t.http.get(`/api/cooperatives/${s.coopId}/ledger/export`).set(bearer(otherAuditor.token)).expect(404);
      await t.http.get(`/api/cooperatives/${s.coopId}/ledger/export`).set(bearer(host.token)).expect(403);
      await t.http.get(`/api/cooperatives/${s.coopId}/ledger/export`).set(bearer(stranger.token)).expect(403);
      await t.http.get(`${base}/settlement-runs/${run.body.id}`).set(bearer(host.token)).expect(200);
      await t.http.get(`${base}/sharing-policies`).set(bearer(host.token)).expect(200);
      await t.http.post(`${base}/sharing-policies`).set(bearer(host.token)).send(DEFAULT_POLICY).expect(403);
      await t.http.post(`${base}/settlement-runs`).set(bearer(host.token)).expect(403);
      await t.http.post(`${base}/dividends`).set(bearer(host.token)).send({ period }).expect(403);
      await t.http
        .get(`${base}/settlement-runs/00000000-0000-4000-8000-000000000000`)
        .set(bearer(s.admin.token))
        .expect(404);
      await t.http
        .get(`/api/console/cooperatives/${other.id}/settlement-runs/${run.body.id}`)
        .set(bearer(otherAdmin.token))
        .expect(404);

      await t.http.get(`/api/orders/${orderId}/impact`).set(bearer(stranger.token)).expect(404);
      await t.http.get(`/api/orders/${orderId}/impact`).set(bearer(otherAdmin.token)).expect(404);
      await t.http.get(`/api/orders/${orderId}/impact`).expect(401);
      await t.http.get(`/api/orders/not-a-uuid/impact`).set(bearer(buyer.token)).expect(404);
      await t.http.get(`/api/orders/${orderId}/impact`).set(bearer(buyer.token)).expect(200);
      await t.http.get(`/api/orders/${orderId}/impact`).set(bearer(host.token)).expect(200);

      const text = await exportLedger(t, s.coopId, auditor.token);
      expect(text.split('\n')[0]).toContain('xiangbo-ledger/1');
      const [log] = await t.db.query(`SELECT actor_role, action FROM personal_data_access_log WHERE actor_id = $1`, [
        auditor.user.id,
      ]);
      expect(log).toEqual({ actor_role: 'auditor', action: 'ledger.export' });

      await t.http.get(`/api/cooperatives/${s.coopId}/transparency`).expect(200);
      const pending = await insertCooperative(t, { status: 'pending' });
      await t.http.get(`/api/cooperatives/${pending.id}/transparency`).expect(404);
      await t.http.get(`/api/cooperatives/nope/transparency`).expect(404);
    });
  });
});

describe('settlement as a PostgreSQL-backed job (pg-boss)', () => {
  let t: TestApp;
  afterAll(() => t?.close());

  it('a run started in the console is carried out by the job queue, with progress to poll', async () => {
    t = await createTestApp({ JOBS_ENABLED: 'true' });
    const s = await scenario(t);
    const { orderId, buyer } = await placeAndPay(t, s.productId, 2);
    await complete(t, s, orderId, buyer.token);
    const started = await t.http
      .post(`/api/console/cooperatives/${s.coopId}/settlement-runs`)
      .set(bearer(s.admin.token))
      .expect(202);
    const deadline = Date.now() + 30_000;
    let run = started.body;
    while (run.status !== 'done' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      run = (
        await t.http
          .get(`/api/console/cooperatives/${s.coopId}/settlement-runs/${started.body.id}`)
          .set(bearer(s.admin.token))
          .expect(200)
      ).body;
    }
    expect(run).toMatchObject({ status: 'done', total: 1, done: 1, settledOrders: 1, settledFen: 11800 });
  });
});
