import type { AuditCooperative, AuditOverview, AuditorView, FindingView, HouseholdStatement } from '@xiangbo/contracts';
import { createTestApp, insertCooperative, registerUser, TestApp, userWithRoles } from '../../test/test-app';
import { coopWithAdmin, nextUscc } from '../cooperatives/testing/fixtures';
import { addMember, creditHouseholds, insertHousehold } from '../payouts/testing/payout-fixtures';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('auditors: assignment, reads (access-logged) and findings (real app, real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  async function world() {
    const a = await coopWithAdmin(t, '甲合作社');
    const b = await coopWithAdmin(t, '乙合作社');
    const platformAdmin = await userWithRoles(t, [{ role: 'platform_admin' }]);
    const auditor = await registerUser(t, '审计员甲');
    const auditor2 = await registerUser(t, '审计员乙');
    const auditorB = await userWithRoles(t, [{ role: 'auditor', cooperativeId: b.coop.id }]);
    const hostA = await userWithRoles(t, [{ role: 'host', cooperativeId: a.coop.id }]);
    const buyer = await registerUser(t);
    const { household } = await insertHousehold(t, { headName: '王小明' });
    await addMember(t, a.coop.id, household.id, 20);
    await creditHouseholds(t, a.coop.id, { [household.id]: 4200 });
    for (const u of [auditor, auditor2]) {
      await t.http
        .post(`/api/admin/cooperatives/${a.coop.id}/auditors`)
        .set(bearer(platformAdmin.token))
        .send({ userId: u.user.id })
        .expect(200);
    }
    // The auditors' tokens carry no roles: roles are read per request, so the same tokens work.
    return { a, b, platformAdmin, auditor, auditor2, auditorB, hostA, buyer, household };
  }

  it('platform admins assign and revoke auditors; nobody else can; unknown cooperative or user → 404', async () => {
    const { a, platformAdmin, auditor, buyer } = await world();
    const list = (
      await t.http.get(`/api/admin/cooperatives/${a.coop.id}/auditors`).set(bearer(platformAdmin.token)).expect(200)
    ).body as AuditorView[];
    expect(list.map((x) => x.displayName)).toEqual(['审计员甲', '审计员乙']);
    // Assigning again changes nothing.
    const again = (
      await t.http
        .post(`/api/admin/cooperatives/${a.coop.id}/auditors`)
        .set(bearer(platformAdmin.token))
        .send({ userId: auditor.user.id })
        .expect(200)
    ).body as AuditorView[];
    expect(again).toHaveLength(2);
    await t.http
      .post(`/api/admin/cooperatives/${a.coop.id}/auditors`)
      .set(bearer(a.admin.token))
      .send({ userId: buyer.user.id })
      .expect(403);
    await t.http
      .post(`/api/admin/cooperatives/${a.coop.id}/auditors`)
      .set(bearer(buyer.token))
      .send({ userId: buyer.user.id })
      .expect(403);
    await t.http.post(`/api/admin/cooperatives/${a.coop.id}/auditors`).send({ userId: buyer.user.id }).expect(401);
    const noUser = await t.http
      .post(`/api/admin/cooperatives/${a.coop.id}/auditors`)
      .set(bearer(platformAdmin.token))
      .send({ userId: '00000000-0000-4000-8000-000000000000' })
      .expect(404);
    expect(noUser.body.code).toBe('USER_NOT_FOUND');
    await t.http
      .post(`/api/admin/cooperatives/00000000-0000-4000-8000-000000000000/auditors`)
      .set(bearer(platformAdmin.token))
      .send({ userId: buyer.user.id })
      .expect(404);
    const badBody = await t.http
      .post(`/api/admin/cooperatives/${a.coop.id}/auditors`)
      .set(bearer(platformAdmin.token))
      .send({ userId: 'x' })
      .expect(400);
    expect(badBody.body.errors[0].field).toBe('userId');
    const pending = await insertCooperative(t, { uscc: nextUscc(), status: 'pending' });
    await t.http
      .post(`/api/admin/cooperatives/${pending.id}/auditors`)
      .set(bearer(platformAdmin.token))
      .send({ userId: buyer.user.id })
      .expect(409);

    // Revoking: the auditor loses access at once.
    await t.http.get(`/api/audit/cooperatives/${a.coop.id}/overview`).set(bearer(auditor.token)).expect(200);
    const after = (
      await t.http
        .delete(`/api/admin/cooperatives/${a.coop.id}/auditors/${auditor.user.id}`)
        .set(bearer(platformAdmin.token))
        .expect(200)
    ).body as AuditorView[];
    expect(after.map((x) => x.displayName)).toEqual(['审计员乙']);
    await t.http.get(`/api/audit/cooperatives/${a.coop.id}/overview`).set(bearer(auditor.token)).expect(403); // no auditor role left at all
    await t.http
      .delete(`/api/admin/cooperatives/${a.coop.id}/auditors/${auditor.user.id}`)
      .set(bearer(platformAdmin.token))
      .expect(404);
    await t.http
      .delete(`/api/admin/cooperatives/${a.coop.id}/auditors/${auditor.user.id}`)
      .set(bearer(a.admin.token))
      .expect(403);
  });

  it('auditors see their cooperatives and read everything of them, every clear name access-logged; other cooperatives → 404', async () => {
    const { a, b, auditor, auditorB, hostA, buyer, household } = await world();
    const coops = (await t.http.get('/api/audit/cooperatives').set(bearer(auditor.token)).expect(200))
      .body as AuditCooperative[];
    expect(coops.map((c) => c.id)).toEqual([a.coop.id]);

    const overview = (
      await t.http.get(`/api/audit/cooperatives/${a.coop.id}/overview`).set(bearer(auditor.token)).expect(200)
    ).body as AuditOverview;
    expect(overview.cooperative.name).toBe('甲合作社');
    expect(overview.members).toEqual([
      expect.objectContaining({
        householdId: household.id,
        headName: '王小明',
        shareUnits: 20,
        owedFen: 4200,
        registryStatus: 'registered',
      }),
    ]);
    expect(overview.settlements.transactions).toEqual([
      { kind: 'payment', count: 1 },
      { kind: 'settlement', count: 1 },
    ]);
    expect(overview.settlements.lastSeq).toBe(2);
    expect(overview.settlements.balances.find((x) => x.account.endsWith(`${household.id}:payable`))?.balanceFen).toBe(
      -4200,
    );
    expect(overview.settlements.balances.reduce((s, x) => s + x.balanceFen, 0)).toBe(0);
    expect(overview.payouts).toMatchObject({ batches: 0, unconfirmedFlagged: 0, confirmDays: 7 });
    const logged: { action: string; actor_role: string }[] = await t.db.query(
      `SELECT action, actor_role FROM personal_data_access_log WHERE actor_id = $1 AND household_id = $2`,
      [auditor.user.id, household.id],
    );
    expect(logged).toEqual([{ action: 'audit.overview', actor_role: 'auditor' }]);

    const statement = (
      await t.http
        .get(`/api/audit/cooperatives/${a.coop.id}/households/${household.id}/statement`)
        .set(bearer(auditor.token))
        .expect(200)
    ).body as HouseholdStatement;
    expect(statement).toMatchObject({ householdName: '王小明', earnedFen: 4200, owedFen: 4200 });
    const [{ n }] = await t.db.query(
      `SELECT count(*)::int AS n FROM personal_data_access_log WHERE actor_id = $1 AND action = 'household.statement'`,
      [auditor.user.id],
    );
    expect(n).toBe(1);

    // The wrong side: auditor of B, coop_admin, host, buyer, anonymous.
    for (const url of [
      `/api/audit/cooperatives/${a.coop.id}/overview`,
      `/api/audit/cooperatives/${a.coop.id}/findings`,
      `/api/audit/cooperatives/${a.coop.id}/households/${household.id}/statement`,
    ]) {
      await t.http.get(url).set(bearer(auditorB.token)).expect(404);
      await t.http.get(url).set(bearer(a.admin.token)).expect(403);
      await t.http.get(url).set(bearer(hostA.token)).expect(403);
      await t.http.get(url).set(bearer(buyer.token)).expect(403);
      await t.http.get(url).expect(401);
    }
    await t.http.get(`/api/audit/cooperatives/${b.coop.id}/overview`).set(bearer(auditor.token)).expect(404);
    await t.http.get(`/api/audit/cooperatives/not-a-uuid/overview`).set(bearer(auditor.token)).expect(404);
    await t.http.get('/api/audit/cooperatives').set(bearer(buyer.token)).expect(403);
  });

  it('findings: the auditor raises, the cooperative answers, an auditor of that cooperative closes; nobody else can', async () => {
    const { a, b, auditor, auditor2, auditorB, hostA, buyer } = await world();
    const raised = (
      await t.http
        .post(`/api/audit/cooperatives/${a.coop.id}/findings`)
        .set(bearer(auditor.token))
        .send({
          title: '第 2 笔结算的收购款比例偏低',
          body: '请说明收购款比例与利益联结机制不一致的原因。',
          subject: { type: 'ledger_transaction', ref: '2' },
          status: 'closed',
        })
        .expect(201)
    ).body as FindingView;
    expect(raised).toMatchObject({
      status: 'open',
      auditorName: '审计员甲',
      subject: { type: 'ledger_transaction', ref: '2' },
      answer: null,
    });
    const bad = await t.http
      .post(`/api/audit/cooperatives/${a.coop.id}/findings`)
      .set(bearer(auditor.token))
      .send({ title: '', body: 'x' })
      .expect(400);
    expect(bad.body.errors[0].field).toBe('title');
    await t.http
      .post(`/api/audit/cooperatives/${a.coop.id}/findings`)
      .set(bearer(auditorB.token))
      .send({ title: 't', body: 'b' })
      .expect(404);
    await t.http
      .post(`/api/audit/cooperatives/${a.coop.id}/findings`)
      .set(bearer(a.admin.token))
      .send({ title: 't', body: 'b' })
      .expect(403);

    // The cooperative sees and answers; hosts read; others learn nothing.
    const seen = (
      await t.http.get(`/api/console/cooperatives/${a.coop.id}/findings`).set(bearer(hostA.token)).expect(200)
    ).body as FindingView[];
    expect(seen.map((f) => f.id)).toEqual([raised.id]);
    await t.http.get(`/api/console/cooperatives/${a.coop.id}/findings`).set(bearer(b.admin.token)).expect(404);
    await t.http.get(`/api/console/cooperatives/${a.coop.id}/findings`).set(bearer(buyer.token)).expect(403);
    await t.http
      .post(`/api/console/findings/${raised.id}/answer`)
      .set(bearer(hostA.token))
      .send({ answer: 'x' })
      .expect(403);
    await t.http
      .post(`/api/console/findings/${raised.id}/answer`)
      .set(bearer(b.admin.token))
      .send({ answer: 'x' })
      .expect(404);
    await t.http
      .post(`/api/console/findings/${raised.id}/answer`)
      .set(bearer(auditor.token))
      .send({ answer: 'x' })
      .expect(403);
    await t.http
      .post(`/api/console/findings/${raised.id}/answer`)
      .set(bearer(a.admin.token))
      .send({ answer: ' ' })
      .expect(400);
    const answered = (
      await t.http
        .post(`/api/console/findings/${raised.id}/answer`)
        .set(bearer(a.admin.token))
        .send({ answer: '该笔订单适用第 1 版政策，比例为 60%。' })
        .expect(200)
    ).body as FindingView;
    expect(answered).toMatchObject({ status: 'answered', answer: '该笔订单适用第 1 版政策，比例为 60%。' });
    expect(answered.answeredAt).not.toBeNull();

    // Closing: not the cooperative (403), not an auditor of another cooperative (404), any auditor of A (200).
    await t.http
      .post(`/api/audit/findings/${raised.id}/close`)
      .set(bearer(a.admin.token))
      .send({ note: '已核实' })
      .expect(403);
    await t.http
      .post(`/api/audit/findings/${raised.id}/close`)
      .set(bearer(buyer.token))
      .send({ note: '已核实' })
      .expect(403);
    await t.http
      .post(`/api/audit/findings/${raised.id}/close`)
      .set(bearer(auditorB.token))
      .send({ note: '已核实' })
      .expect(404);
    await t.http
      .post(`/api/audit/findings/not-a-uuid/close`)
      .set(bearer(auditor.token))
      .send({ note: '已核实' })
      .expect(404);
    await t.http.post(`/api/audit/findings/${raised.id}/close`).set(bearer(auditor2.token)).send({}).expect(400);
    const closed = (
      await t.http
        .post(`/api/audit/findings/${raised.id}/close`)
        .set(bearer(auditor2.token))
        .send({ note: '已核实，关闭。' })
        .expect(200)
    ).body as FindingView;
    expect(closed).toMatchObject({ status: 'closed', closingNote: '已核实，关闭。' });
    await t.http
      .post(`/api/audit/findings/${raised.id}/close`)
      .set(bearer(auditor.token))
      .send({ note: 'again' })
      .expect(409);
    const late = await t.http
      .post(`/api/console/findings/${raised.id}/answer`)
      .set(bearer(a.admin.token))
      .send({ answer: 'late' })
      .expect(409);
    expect(late.body.code).toBe('FINDING_CLOSED');

    const auditorList = (
      await t.http.get(`/api/audit/cooperatives/${a.coop.id}/findings`).set(bearer(auditor.token)).expect(200)
    ).body as FindingView[];
    expect(auditorList[0]).toMatchObject({ id: raised.id, status: 'closed' });
    const coops = (await t.http.get('/api/audit/cooperatives').set(bearer(auditor.token)).expect(200))
      .body as AuditCooperative[];
    expect(coops[0].openFindings).toBe(0);
  });
});
