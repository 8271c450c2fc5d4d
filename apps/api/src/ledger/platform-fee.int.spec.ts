import { createTestApp, insertCooperative, TestApp, userWithRoles } from '../../test/test-app';
import { bearer, DEFAULT_POLICY } from './testing/ledger-fixtures';

/**
 * Issue 15, finding 8: a cooperative admin could set `platformFeeBp` to 0 in its own sharing policy. The platform's
 * fee is now the platform's to set: PLATFORM_FEE_BP before a cooperative's first version, then the platform admin's
 * POST /api/admin/cooperatives/:id/platform-fee (a new version, the cooperative's shares unchanged).
 */
describe("the platform's fee is set by the platform (real app, real PostgreSQL)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ PLATFORM_FEE_BP: '300' });
  });
  afterAll(() => t.close());

  const withoutFee = () => {
    const rest: Record<string, unknown> = { ...DEFAULT_POLICY };
    delete rest.platformFeeBp;
    return rest;
  };
  const setup = async () => {
    const coop = await insertCooperative(t);
    const admin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: coop.id }]);
    const platform = await userWithRoles(t, [{ role: 'platform_admin' }]);
    const policies = () =>
      t.http.get(`/api/console/cooperatives/${coop.id}/sharing-policies`).set(bearer(admin.token)).expect(200);
    const create = (body: Record<string, unknown>) =>
      t.http.post(`/api/console/cooperatives/${coop.id}/sharing-policies`).set(bearer(admin.token)).send(body);
    return { coop, admin, platform, policies, create };
  };

  it('a cooperative admin sending platformFeeBp 0 is refused (403) and nothing is written', async () => {
    const { create, policies } = await setup();
    const res = await create({ ...DEFAULT_POLICY, platformFeeBp: 0 }).expect(403);
    expect(res.body.code).toBe('FORBIDDEN');
    expect(res.body.message).toMatch(/^platformFeeBp: .*set by the platform/);
    expect((await policies()).body).toEqual({ versions: [], platformFeeBp: 300 });
    // nor can they raise it
    await create({ ...DEFAULT_POLICY, platformFeeBp: 2000 }).expect(403);
  });

  it("the cooperative's versions take the platform's fee: omitted, or repeated unchanged", async () => {
    const { create, policies } = await setup();
    const first = await create(withoutFee()).expect(201);
    expect(first.body).toMatchObject({ version: 1, platformFeeBp: 300 });
    const second = await create({ ...DEFAULT_POLICY, platformFeeBp: 300, dividendBp: 900 }).expect(201);
    expect(second.body).toMatchObject({ version: 2, platformFeeBp: 300, dividendBp: 900 });
    expect((await policies()).body.platformFeeBp).toBe(300);
  });

  it('the platform admin sets it: a new version with the shares unchanged; the next cooperative version keeps it', async () => {
    const { coop, create, policies, platform } = await setup();
    await create({ ...withoutFee(), wagesBp: 1200 }).expect(201);
    const set = await t.http
      .post(`/api/admin/cooperatives/${coop.id}/platform-fee`)
      .set(bearer(platform.token))
      .send({ platformFeeBp: 250, note: '扶贫费率优惠' })
      .expect(201);
    expect(set.body).toMatchObject({
      version: 2,
      platformFeeBp: 250,
      wagesBp: 1200,
      dividendBp: DEFAULT_POLICY.dividendBp,
      purchase: DEFAULT_POLICY.purchase,
      note: '扶贫费率优惠',
      inForce: true,
    });
    const [row] = await t.db.query(
      `SELECT created_by FROM sharing_policies WHERE cooperative_id = $1 AND version = 2`,
      [coop.id],
    );
    expect(row.created_by).toBe(platform.user.id);
    expect((await policies()).body.platformFeeBp).toBe(250);
    // the cooperative's next version keeps the platform's 2.5 %; its old 3 % is refused now
    await create({ ...DEFAULT_POLICY, platformFeeBp: 300 }).expect(403);
    const next = await create(withoutFee()).expect(201);
    expect(next.body).toMatchObject({ version: 3, platformFeeBp: 250 });
  });

  it('nobody but the platform admin may set it: the coop admin, a host, an auditor, a signed-out caller', async () => {
    const { coop, admin, create } = await setup();
    await create(withoutFee()).expect(201);
    const host = await userWithRoles(t, [{ role: 'host', cooperativeId: coop.id }]);
    const auditor = await userWithRoles(t, [{ role: 'auditor', cooperativeId: coop.id }]);
    const url = `/api/admin/cooperatives/${coop.id}/platform-fee`;
    for (const who of [admin, host, auditor]) {
      await t.http.post(url).set(bearer(who.token)).send({ platformFeeBp: 0 }).expect(403);
    }
    await t.http.post(url).send({ platformFeeBp: 0 }).expect(401);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM sharing_policies WHERE cooperative_id = $1`, [
      coop.id,
    ]);
    expect(n).toBe(1);
  });

  it('the platform admin: 404 for an unknown cooperative, 409 before its first version, 400 above 20 %', async () => {
    const { coop, platform } = await setup();
    const post = (id: string, body: Record<string, unknown>) =>
      t.http.post(`/api/admin/cooperatives/${id}/platform-fee`).set(bearer(platform.token)).send(body);
    await post('00000000-0000-4000-8000-000000000000', { platformFeeBp: 200 }).expect(404);
    const none = await post(coop.id, { platformFeeBp: 200 }).expect(409);
    expect(none.body.code).toBe('POLICY_REQUIRED');
    const big = await post(coop.id, { platformFeeBp: 2500 }).expect(400);
    expect(big.body.errors[0].field).toBe('platformFeeBp');
  });
});
