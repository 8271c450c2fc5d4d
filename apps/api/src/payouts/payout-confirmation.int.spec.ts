import type {
  AttestationView,
  HouseholdDetail,
  HouseholdPhoneView,
  PayoutBatchDetail,
  PayoutToAttest,
  RecordPayoutResponse,
  TransparencyDto,
} from '@xiangbo/contracts';
import { createTestApp, TestApp, userWithRoles } from '../../test/test-app';
import { coopWithAdmin } from '../cooperatives/testing/fixtures';
import { SmsOutboxService } from '../sms/sms-outbox.service';
import {
  addMember,
  creditHouseholds,
  insertHousehold,
  smsForPayout,
  smsSink,
  testPhone,
} from './testing/payout-fixtures';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/**
 * Issue 15, finding 2: the household's confirmation comes through a channel the cooperative does not control.
 * The code goes by SMS to the phone the PLATFORM keeps in the registry; no response to the cooperative carries
 * it; the cooperative's admin cannot confirm; a household without a phone is attested by an assigned auditor.
 */
describe('payout confirmation nobody can fake (SMS code to the registry phone, attestation)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  async function paidPayouts(households: { name: string; phone?: string | null; fen: number }[]) {
    const { coop, admin } = await coopWithAdmin(t);
    const host = await userWithRoles(t, [{ role: 'host', cooperativeId: coop.id }]);
    const hh = [];
    for (const h of households) {
      const { household, phone } = await insertHousehold(t, { headName: h.name, phone: h.phone });
      await addMember(t, coop.id, household.id);
      hh.push({ ...household, phone });
    }
    await creditHouseholds(t, coop.id, Object.fromEntries(hh.map((h, i) => [h.id, households[i].fen])));
    const batch = (
      await t.http
        .post(`/api/console/cooperatives/${coop.id}/payout-batches`)
        .set(bearer(admin.token))
        .send({ thresholdFen: 1 })
        .expect(201)
    ).body as PayoutBatchDetail;
    const payouts = [];
    for (const h of hh) {
      const item = batch.items.find((i) => i.householdId === h.id);
      if (!item) throw new Error('no payout planned');
      const res = await t.http
        .post(`/api/console/payouts/${item.id}/record`)
        .set(bearer(admin.token))
        .send({ channel: 'bank', reference: `BANK-${item.id.slice(0, 8)}`, paidOn: today() })
        .expect(200);
      payouts.push({ id: item.id, household: h, recorded: res.body as RecordPayoutResponse });
    }
    return { coop, admin, host, batch, payouts };
  }

  describe('the phone is the platform registry’s', () => {
    it('a platform admin sets it (stored encrypted, masked in the detail); reading it in full is access-logged', async () => {
      const pa = await userWithRoles(t, [{ role: 'platform_admin' }]);
      const { household } = await insertHousehold(t, { headName: '刘桂芳', phone: null });
      const phone = testPhone();
      const set = await t.http
        .put(`/api/admin/households/${household.id}/phone`)
        .set(bearer(pa.token))
        .send({ phone: `+86 ${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}` })
        .expect(200);
      const masked = `${phone.slice(0, 3)}****${phone.slice(-4)}`;
      expect((set.body as HouseholdDetail).phoneMasked).toBe(masked);
      expect(JSON.stringify(set.body)).not.toContain(phone);
      const [row] = await t.db.query(`SELECT phone_encrypted, phone_masked FROM households WHERE id = $1`, [
        household.id,
      ]);
      expect(row.phone_masked).toBe(masked);
      expect(row.phone_encrypted).toMatch(/^v1:/);
      expect(row.phone_encrypted).not.toContain(phone);
      const detail = (await t.http.get(`/api/admin/households/${household.id}`).set(bearer(pa.token)).expect(200))
        .body as HouseholdDetail;
      expect(detail.phoneMasked).toBe(masked);
      expect(JSON.stringify(detail)).not.toContain(phone);

      const full = (await t.http.get(`/api/admin/households/${household.id}/phone`).set(bearer(pa.token)).expect(200))
        .body as HouseholdPhoneView;
      expect(full).toEqual({ householdId: household.id, phone, phoneMasked: masked });
      const log: { action: string; detail: string }[] = await t.db.query(
        `SELECT action, detail FROM personal_data_access_log WHERE household_id = $1 AND actor_id = $2 ORDER BY at`,
        [household.id, pa.user.id],
      );
      expect(log.map((l) => l.action)).toEqual(['household.phone.update', 'household.read', 'household.phone.read']);
      expect(JSON.stringify(log)).not.toContain(phone);

      // Validation names the field; null removes the phone.
      const bad = await t.http
        .put(`/api/admin/households/${household.id}/phone`)
        .set(bearer(pa.token))
        .send({ phone: '12345' })
        .expect(400);
      expect(bad.body.errors[0].field).toBe('phone');
      const removed = await t.http
        .put(`/api/admin/households/${household.id}/phone`)
        .set(bearer(pa.token))
        .send({ phone: null })
        .expect(200);
      expect((removed.body as HouseholdDetail).phoneMasked).toBeNull();
    });

    it('a cooperative (admin or host of the household’s own cooperative) can neither set nor read it', async () => {
      const { coop, admin } = await coopWithAdmin(t);
      const host = await userWithRoles(t, [{ role: 'host', cooperativeId: coop.id }]);
      const { household, phone } = await insertHousehold(t, { headName: '陈秀英' });
      await addMember(t, coop.id, household.id);
      for (const who of [admin, host]) {
        await t.http
          .put(`/api/admin/households/${household.id}/phone`)
          .set(bearer(who.token))
          .send({ phone: testPhone() })
          .expect(403);
        const read = await t.http.get(`/api/admin/households/${household.id}/phone`).set(bearer(who.token));
        expect(read.status).toBe(403);
        expect(JSON.stringify(read.body)).not.toContain(phone);
        // PATCH of the household's particulars does not take a phone either (and is the platform's too).
        await t.http
          .patch(`/api/admin/households/${household.id}`)
          .set(bearer(who.token))
          .send({ phone: testPhone() })
          .expect(403);
      }
      const [row] = await t.db.query(`SELECT phone_masked FROM households WHERE id = $1`, [household.id]);
      expect(row.phone_masked).toBe(`${phone!.slice(0, 3)}****${phone!.slice(-4)}`);
    });
  });

  describe('recording sends the code by SMS; the cooperative never sees it', () => {
    it('the SMS stand-in receives the code; no response to any cooperative route contains it; the admin cannot confirm', async () => {
      const { coop, admin, host, batch, payouts } = await paidPayouts([{ name: '王小明', fen: 4200 }]);
      const [p] = payouts;
      const sms = smsForPayout(t, p.id);
      expect(sms.to).toBe(p.household.phone);
      expect(sms.code).toMatch(/^\d{6}$/);
      expect(sms.text).toContain(sms.code);
      expect(sms.text).toContain(`/h/${sms.token}`);
      expect(sms.text).toContain('42.00');
      expect(p.recorded.confirmation).toEqual({
        route: 'sms',
        phoneMasked: `${p.household.phone!.slice(0, 3)}****${p.household.phone!.slice(-4)}`,
        sms: 'sent',
      });
      const secrets = [sms.code, sms.token, p.household.phone!];
      const leaks = (label: string, body: unknown) => {
        const text = JSON.stringify(body ?? '');
        for (const s of secrets)
          expect({ label, leaked: text.includes(s) ? s : null }).toEqual({ label, leaked: null });
      };
      leaks('record', p.recorded);

      // Every GET route of the console, with every id of this cooperative we know, as its admin and its host.
      type Stack = { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
      const express = t.app.getHttpAdapter().getInstance() as { router?: Stack; _router?: Stack };
      const routes = (express.router ?? express._router)!.stack
        .map((l) => l.route)
        .filter((r): r is { path: string; methods: Record<string, boolean> } => !!r && r.methods['get'])
        .map((r) => r.path)
        .filter((path) => path.startsWith('/api/console/'));
      expect(routes.length).toBeGreaterThan(10);
      const fill = (path: string) =>
        path
          .replace(':coopId', coop.id)
          .replace(':batchId', batch.id)
          .replace(':householdId', p.household.id)
          .replace(/:id\b/, p.id)
          .replace(/:[A-Za-z]+/g, p.id);
      let called = 0;
      for (const route of routes) {
        for (const who of [admin, host]) {
          const res = await t.http.get(fill(route)).set(bearer(who.token));
          leaks(`${route} (${res.status})`, res.text);
          called++;
        }
      }
      expect(called).toBe(routes.length * 2);
      // Recording again (409) and the bank export carry nothing either.
      const again = await t.http
        .post(`/api/console/payouts/${p.id}/record`)
        .set(bearer(admin.token))
        .send({ channel: 'bank', reference: 'again', paidOn: today() })
        .expect(409);
      leaks('record again', again.body);

      // The admin, signed in or not, cannot confirm: there is no code to give, guessing is counted and limited.
      const guess = await t.http
        .post('/api/household-links/confirm-by-code')
        .set(bearer(admin.token))
        .send({ payoutId: p.id, code: sms.code === '000000' ? '111111' : '000000' })
        .expect(400);
      expect(guess.body.code).toBe('WRONG_CODE');
      await t.http
        .post(`/api/audit/payouts/${p.id}/attest`)
        .set(bearer(admin.token))
        .send({ note: '我替农户确认' })
        .expect(403);
      const [row] = await t.db.query(`SELECT status, confirmed_at FROM payouts WHERE id = $1`, [p.id]);
      expect(row).toEqual({ status: 'paid', confirmed_at: null });

      // The household, with the SMS: confirmed by SMS code.
      await t.http.post(`/api/household-links/${sms.token}/confirm`).send({ code: sms.code }).expect(200);
      const [after] = await t.db.query(`SELECT status, confirm_method FROM payouts WHERE id = $1`, [p.id]);
      expect(after).toEqual({ status: 'confirmed', confirm_method: 'sms' });
    });

    it('an SMS the provider could not take is retried by the job, once per payout', async () => {
      const sink = smsSink(t);
      const original = sink.sendCode.bind(sink);
      let failures = 1;
      sink.sendCode = async (m) => {
        if (failures-- > 0) throw new Error('provider unreachable');
        return original(m);
      };
      try {
        const { payouts } = await paidPayouts([{ name: '赵德胜', fen: 900 }]);
        const [p] = payouts;
        expect(p.recorded.confirmation.sms).toBe('pending');
        expect(sink.list().some((x) => x.key === `payout-confirm:${p.id}`)).toBe(false);
        const outbox = t.app.get(SmsOutboxService);
        await outbox.deliverPending();
        await outbox.deliverPending();
        const sent = sink.list().filter((x) => x.key === `payout-confirm:${p.id}`);
        expect(sent).toHaveLength(1);
        const [row] = await t.db.query(`SELECT status, attempts, payload FROM sms_outbox WHERE key = $1`, [
          `payout-confirm:${p.id}`,
        ]);
        expect(row).toEqual({ status: 'sent', attempts: 2, payload: null });
      } finally {
        sink.sendCode = original;
      }
    });
  });

  describe('a household without a phone: attested in person by an assigned auditor', () => {
    it('no SMS, the console says an auditor must attest; only the assigned auditor can, once', async () => {
      const { coop, admin, host, payouts } = await paidPayouts([{ name: '马秀兰', phone: null, fen: 3100 }]);
      const [p] = payouts;
      expect(p.recorded.confirmation).toEqual({ route: 'attest', phoneMasked: null, sms: null });
      expect(p.recorded.payout).toMatchObject({ confirmRoute: 'attest', smsToMasked: null });
      expect(
        smsSink(t)
          .list()
          .some((x) => x.key === `payout-confirm:${p.id}`),
      ).toBe(false);
      const [row] = await t.db.query(`SELECT confirm_token_hash, confirm_code_hash FROM payouts WHERE id = $1`, [p.id]);
      expect(row).toEqual({ confirm_token_hash: null, confirm_code_hash: null });

      const auditor = await userWithRoles(t, [{ role: 'auditor', cooperativeId: coop.id }]);
      const other = await coopWithAdmin(t);
      const otherAuditor = await userWithRoles(t, [{ role: 'auditor', cooperativeId: other.coop.id }]);
      const staffAuditor = await userWithRoles(t, [
        { role: 'auditor', cooperativeId: coop.id },
        { role: 'host', cooperativeId: coop.id },
      ]);
      const attest = (token: string) =>
        t.http
          .post(`/api/audit/payouts/${p.id}/attest`)
          .set(bearer(token))
          .send({ note: '村委会，户主本人出示身份证' });

      // Wrong sides: another cooperative's auditor (404, learns nothing), this cooperative's admin and host and
      // another cooperative's admin (403: not auditors), an auditor who is also this cooperative's host (403).
      expect((await attest(otherAuditor.token).expect(404)).body.code).toBe('PAYOUT_NOT_FOUND');
      await attest(admin.token).expect(403);
      await attest(host.token).expect(403);
      await attest(other.admin.token).expect(403);
      expect((await attest(staffAuditor.token).expect(403)).body.code).toBe('CONFLICT_OF_INTEREST');
      await t.http.post(`/api/audit/payouts/${p.id}/attest`).send({ note: 'x' }).expect(401);
      expect(
        (await t.http.post(`/api/audit/payouts/${p.id}/attest`).set(bearer(auditor.token)).send({}).expect(400)).body
          .errors[0].field,
      ).toBe('note');
      expect((await t.db.query(`SELECT status FROM payouts WHERE id = $1`, [p.id]))[0].status).toBe('paid');

      // The assigned auditor sees it in the list (clear name, access-logged) and attests.
      const list = (
        await t.http.get(`/api/audit/cooperatives/${coop.id}/payouts-to-attest`).set(bearer(auditor.token)).expect(200)
      ).body as PayoutToAttest[];
      expect(list.map((x) => [x.id, x.headName, x.confirmRoute])).toEqual([[p.id, '马秀兰', 'attest']]);
      await t.http
        .get(`/api/audit/cooperatives/${coop.id}/payouts-to-attest`)
        .set(bearer(otherAuditor.token))
        .expect(404);
      await t.http.get(`/api/audit/cooperatives/${coop.id}/payouts-to-attest`).set(bearer(admin.token)).expect(403);
      const done = (await attest(auditor.token).expect(200)).body as AttestationView;
      expect(done).toMatchObject({ payoutId: p.id, confirmMethod: 'attested', attestedBy: auditor.user.id });
      const [after] = await t.db.query(
        `SELECT status, confirm_method, attested_by, attest_note, confirmed_at FROM payouts WHERE id = $1`,
        [p.id],
      );
      expect(after).toMatchObject({
        status: 'confirmed',
        confirm_method: 'attested',
        attested_by: auditor.user.id,
        attest_note: '村委会，户主本人出示身份证',
      });
      expect(new Date(after.confirmed_at).toISOString()).toBe(done.confirmedAt);
      expect((await attest(auditor.token).expect(409)).body.code).toBe('PAYOUT_NOT_ATTESTABLE');
      const logged: { n: number }[] = await t.db.query(
        `SELECT count(*)::int AS n FROM personal_data_access_log WHERE actor_id = $1 AND action = 'payout.attest.list'`,
        [auditor.user.id],
      );
      expect(logged[0].n).toBe(1);
      // The console shows how it was confirmed.
      const consoleList = await t.http
        .get(`/api/console/cooperatives/${coop.id}/payouts?status=confirmed`)
        .set(bearer(admin.token))
        .expect(200);
      expect(consoleList.body.items[0]).toMatchObject({ id: p.id, confirmMethod: 'attested' });
    });
  });

  describe('the public transparency page', () => {
    it('shows how payouts were confirmed (SMS / attested / pending: counts and amounts), nothing personal', async () => {
      const { coop, payouts } = await paidPayouts([
        { name: '杨春花', fen: 1000 },
        { name: '李建国', fen: 2000 },
        { name: '孙玉兰', phone: null, fen: 4000 },
        { name: '吴有才', phone: null, fen: 8000 },
      ]);
      const auditor = await userWithRoles(t, [{ role: 'auditor', cooperativeId: coop.id }]);
      const sms0 = smsForPayout(t, payouts[0].id);
      await t.http
        .post('/api/household-links/confirm-by-code')
        .send({ payoutId: payouts[0].id, code: sms0.code })
        .expect(200);
      await t.http
        .post(`/api/audit/payouts/${payouts[2].id}/attest`)
        .set(bearer(auditor.token))
        .send({ note: '上门确认' })
        .expect(200);
      const page = (await t.http.get(`/api/cooperatives/${coop.id}/transparency`).expect(200)).body as TransparencyDto;
      expect(page.confirmations).toEqual({
        sms: { count: 1, amountFen: 1000 },
        attested: { count: 1, amountFen: 4000 },
        legacy: { count: 0, amountFen: 0 },
        pending: { count: 2, amountFen: 10000 },
        callbacks: { samples: 0, sampled: 0, confirmed: 0, disputed: 0, unreachable: 0 },
      });
      expect(page.totals.payoutsConfirmedFen).toBe(5000);
      const text = JSON.stringify(page);
      for (const p of payouts) {
        expect(text).not.toContain(p.household.headName);
        if (p.household.phone) expect(text).not.toContain(p.household.phone);
      }
    });
  });
});
