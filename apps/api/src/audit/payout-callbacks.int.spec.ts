import type {
  CallbackContact,
  CallbackSampleView,
  FindingView,
  PayoutBatchDetail,
  TransparencyDto,
} from '@xiangbo/contracts';
import { createTestApp, TestApp, userWithRoles } from '../../test/test-app';
import { coopWithAdmin } from '../cooperatives/testing/fixtures';
import { addMember, creditHouseholds, insertHousehold, smsForPayout } from '../payouts/testing/payout-fixtures';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** 回访抽查: an assigned auditor draws a random sample of confirmed payouts and records what each household says. */
describe('call-back checks of confirmed payouts (回访抽查)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  /** A cooperative with `n` payouts paid and confirmed by the households' SMS codes, and `unconfirmed` more paid. */
  async function confirmedPayouts(n: number, unconfirmed = 1) {
    const { coop, admin } = await coopWithAdmin(t);
    const hh = [];
    for (let i = 0; i < n + unconfirmed; i++) {
      const { household, phone } = await insertHousehold(t, { headName: `回访户${i}号` });
      await addMember(t, coop.id, household.id);
      hh.push({ ...household, phone });
    }
    await creditHouseholds(t, coop.id, Object.fromEntries(hh.map((h, i) => [h.id, 1000 + i])));
    const batch = (
      await t.http
        .post(`/api/console/cooperatives/${coop.id}/payout-batches`)
        .set(bearer(admin.token))
        .send({ thresholdFen: 1 })
        .expect(201)
    ).body as PayoutBatchDetail;
    const confirmed: string[] = [];
    for (const [i, item] of batch.items.entries()) {
      await t.http
        .post(`/api/console/payouts/${item.id}/record`)
        .set(bearer(admin.token))
        .send({ channel: 'mobile', reference: `WX-${i}`, paidOn: today() })
        .expect(200);
      if (confirmed.length < n) {
        const sms = smsForPayout(t, item.id);
        await t.http
          .post('/api/household-links/confirm-by-code')
          .send({ payoutId: item.id, code: sms.code })
          .expect(200);
        confirmed.push(item.id);
      }
    }
    const auditor = await userWithRoles(t, [{ role: 'auditor', cooperativeId: coop.id }]);
    return { coop, admin, auditor, confirmed, hh };
  }

  it('draws the requested number from the confirmed payouts only, at random, and records the draw', async () => {
    const { coop, auditor, confirmed } = await confirmedPayouts(6);
    const draw = async (size: number) =>
      (
        await t.http
          .post(`/api/audit/cooperatives/${coop.id}/callback-samples`)
          .set(bearer(auditor.token))
          .send({ size })
          .expect(201)
      ).body as CallbackSampleView;
    const s = await draw(3);
    expect(s).toMatchObject({
      cooperativeId: coop.id,
      auditorId: auditor.user.id,
      requestedSize: 3,
      population: 6,
      drawn: 3,
    });
    expect(new Set(s.checks.map((c) => c.payoutId)).size).toBe(3);
    for (const c of s.checks) {
      expect(confirmed).toContain(c.payoutId);
      expect(c).toMatchObject({ outcome: 'pending', confirmMethod: 'sms', via: null, findingId: null });
      expect(c.householdNameMasked).toMatch(/^回\*+号$/);
    }
    // Asking for more than there are draws them all; the draw is kept.
    const all = await draw(50);
    expect(all).toMatchObject({ requestedSize: 50, population: 6, drawn: 6 });
    expect(all.checks.map((c) => c.payoutId).sort()).toEqual([...confirmed].sort());
    // Random: twenty draws of 3 out of 6 do not all pick the same set (chance of that: (1/20)^19).
    const sets = new Set<string>();
    for (let i = 0; i < 20; i++)
      sets.add(
        (await draw(3)).checks
          .map((c) => c.payoutId)
          .sort()
          .join(),
      );
    expect(sets.size).toBeGreaterThan(1);
    const listed = (
      await t.http.get(`/api/audit/cooperatives/${coop.id}/callback-samples`).set(bearer(auditor.token)).expect(200)
    ).body as CallbackSampleView[];
    expect(listed).toHaveLength(22);
    const [{ n }] = await t.db.query(
      `SELECT count(*)::int AS n FROM payout_callback_samples WHERE cooperative_id = $1`,
      [coop.id],
    );
    expect(n).toBe(22);
    // Validation names the field.
    const bad = await t.http
      .post(`/api/audit/cooperatives/${coop.id}/callback-samples`)
      .set(bearer(auditor.token))
      .send({ size: 0 })
      .expect(400);
    expect(bad.body.errors[0].field).toBe('size');
  });

  it('outcomes: confirmed, unreachable, disputed (raises a finding the cooperative sees); recorded once', async () => {
    const { coop, admin, auditor, hh } = await confirmedPayouts(3, 0);
    const sample = (
      await t.http
        .post(`/api/audit/cooperatives/${coop.id}/callback-samples`)
        .set(bearer(auditor.token))
        .send({ size: 3 })
        .expect(201)
    ).body as CallbackSampleView;
    const [c1, c2, c3] = sample.checks;

    // The auditor reads the registry phone in full to call (access-logged).
    const contact = (
      await t.http.get(`/api/audit/callback-checks/${c1.id}/contact`).set(bearer(auditor.token)).expect(200)
    ).body as CallbackContact;
    const h1 = hh.find((h) => h.id === c1.householdId)!;
    expect(contact).toEqual({
      checkId: c1.id,
      householdId: h1.id,
      headName: h1.headName,
      village: h1.village,
      phone: h1.phone,
    });
    const [log] = await t.db.query(
      `SELECT action FROM personal_data_access_log WHERE actor_id = $1 AND household_id = $2`,
      [auditor.user.id, h1.id],
    );
    expect(log.action).toBe('household.phone.read');

    const record = (id: string, body: Record<string, unknown>) =>
      t.http.post(`/api/audit/callback-checks/${id}`).set(bearer(auditor.token)).send(body);
    await record(c1.id, { outcome: 'confirmed', via: 'phone', note: '户主本人接听，确认收到' }).expect(200);
    await record(c2.id, { outcome: 'unreachable', via: 'phone', note: '三次未接通' }).expect(200);
    const after = (await record(c3.id, { outcome: 'disputed', via: 'visit', note: '户主说没有收到这笔钱' }).expect(200))
      .body as CallbackSampleView;
    const disputed = after.checks.find((c) => c.id === c3.id)!;
    expect(disputed).toMatchObject({ outcome: 'disputed', via: 'visit', checkedBy: auditor.user.id });
    expect(disputed.findingId).toMatch(/^[0-9a-f-]{36}$/);
    expect(after.checks.find((c) => c.id === c1.id)).toMatchObject({ outcome: 'confirmed', findingId: null });
    // Once only.
    expect((await record(c1.id, { outcome: 'disputed', via: 'phone' }).expect(409)).body.code).toBe(
      'CALLBACK_CHECK_ALREADY_RECORDED',
    );
    expect((await record(c1.id, { outcome: 'maybe', via: 'phone' }).expect(400)).body.errors[0].field).toBe('outcome');

    // The finding is an ordinary finding: the cooperative sees it and must answer it.
    const findings = (
      await t.http.get(`/api/console/cooperatives/${coop.id}/findings`).set(bearer(admin.token)).expect(200)
    ).body as FindingView[];
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      id: disputed.findingId,
      status: 'open',
      auditorId: auditor.user.id,
      subject: { type: 'payout', ref: c3.payoutId },
    });
    expect(findings[0].title).toContain('回访抽查');
    expect(findings[0].title).not.toContain(hh.find((h) => h.id === c3.householdId)!.headName);

    // The public page shows the call-back results, counts only.
    const page = (await t.http.get(`/api/cooperatives/${coop.id}/transparency`).expect(200)).body as TransparencyDto;
    expect(page.confirmations.callbacks).toEqual({ samples: 1, sampled: 3, confirmed: 1, disputed: 1, unreachable: 1 });
    expect(page.confirmations.sms).toEqual({ count: 3, amountFen: 1000 + 1001 + 1002 });
    expect(JSON.stringify(page)).not.toContain(h1.phone!);
  });

  it('wrong sides: another cooperative’s auditor, the cooperative’s admin and host, an auditor who is its staff', async () => {
    const { coop, admin, auditor } = await confirmedPayouts(2, 0);
    const other = await coopWithAdmin(t);
    const otherAuditor = await userWithRoles(t, [{ role: 'auditor', cooperativeId: other.coop.id }]);
    const host = await userWithRoles(t, [{ role: 'host', cooperativeId: coop.id }]);
    const staffAuditor = await userWithRoles(t, [
      { role: 'auditor', cooperativeId: coop.id },
      { role: 'coop_admin', cooperativeId: coop.id },
    ]);
    const drawBy = (token: string) =>
      t.http.post(`/api/audit/cooperatives/${coop.id}/callback-samples`).set(bearer(token)).send({ size: 1 });
    expect((await drawBy(otherAuditor.token).expect(404)).body.code).toBe('COOPERATIVE_NOT_FOUND');
    await drawBy(admin.token).expect(403);
    await drawBy(host.token).expect(403);
    await drawBy(other.admin.token).expect(403);
    expect((await drawBy(staffAuditor.token).expect(403)).body.code).toBe('CONFLICT_OF_INTEREST');
    await t.http.get(`/api/audit/cooperatives/${coop.id}/callback-samples`).set(bearer(otherAuditor.token)).expect(404);

    const sample = (await drawBy(auditor.token).expect(201)).body as CallbackSampleView;
    const checkId = sample.checks[0].id;
    for (const who of [otherAuditor]) {
      await t.http.get(`/api/audit/callback-checks/${checkId}/contact`).set(bearer(who.token)).expect(404);
      await t.http
        .post(`/api/audit/callback-checks/${checkId}`)
        .set(bearer(who.token))
        .send({ outcome: 'confirmed', via: 'phone' })
        .expect(404);
    }
    for (const who of [admin, host]) {
      await t.http.get(`/api/audit/callback-checks/${checkId}/contact`).set(bearer(who.token)).expect(403);
      await t.http
        .post(`/api/audit/callback-checks/${checkId}`)
        .set(bearer(who.token))
        .send({ outcome: 'confirmed', via: 'phone' })
        .expect(403);
    }
    expect(
      (
        await t.http
          .post(`/api/audit/callback-checks/${checkId}`)
          .set(bearer(staffAuditor.token))
          .send({ outcome: 'confirmed', via: 'phone' })
          .expect(403)
      ).body.code,
    ).toBe('CONFLICT_OF_INTEREST');
    const [row] = await t.db.query(`SELECT outcome FROM payout_callback_checks WHERE id = $1`, [checkId]);
    expect(row.outcome).toBe('pending');

    // Nothing confirmed yet: nothing to draw.
    const empty = await coopWithAdmin(t);
    const emptyAuditor = await userWithRoles(t, [{ role: 'auditor', cooperativeId: empty.coop.id }]);
    const none = await t.http
      .post(`/api/audit/cooperatives/${empty.coop.id}/callback-samples`)
      .set(bearer(emptyAuditor.token))
      .send({ size: 3 })
      .expect(409);
    expect(none.body.code).toBe('NOTHING_TO_SAMPLE');
  });
});
