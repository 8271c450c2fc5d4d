import {
  createTestApp,
  insertCooperative,
  registerUser,
  TestApp,
  uniqueEmail,
  userWithRoles,
} from '../../test/test-app';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/**
 * Issue 15, finding 4: a NUL in a text field or a query answered 500 on 17 routes (PostgreSQL cannot store it).
 * One global rule now answers 400 CONTROL_CHARACTERS naming the field, before any guard or handler runs.
 */
describe('control characters in requests (real app, real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const expectRefused = (res: { status: number; body: Record<string, unknown> }, field: string) => {
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      statusCode: 400,
      code: 'CONTROL_CHARACTERS',
      errors: [{ field, message: 'must not contain control characters (such as NUL)' }],
    });
    expect(res.body.message).toBe(`${field}: must not contain control characters (such as NUL)`);
  };

  it('GET /api/cooperatives?q=%00 → 400 naming q (was 500)', async () => {
    expectRefused(await t.http.get('/api/cooperatives?q=%00'), 'q');
  });

  it('GET /api/products?region=%00 → 400 naming region (was 500)', async () => {
    expectRefused(await t.http.get('/api/products?region=%00'), 'region');
    expectRefused(await t.http.get('/api/products?q=%E6%9C%A8%00'), 'q');
    expectRefused(await t.http.get('/api/products?q=%0A'), 'q'); // no line breaks in a query either
  });

  it('a NUL in a path parameter → 400 before any lookup', async () => {
    expectRefused(await t.http.get('/api/products/%00'), 'path');
    expectRefused(await t.http.get('/api/cooperatives/abc%00def'), 'path');
  });

  it('a POST body with NUL → 400 naming the field, nothing written', async () => {
    const email = uniqueEmail('nul');
    const res = await t.http
      .post('/api/auth/register')
      .send({ email, password: 'long enough pw', displayName: '王\u0000小明' });
    expectRefused(res, 'displayName');
    const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM users WHERE email = $1', [email]);
    expect(n).toBe(0);
    expectRefused(
      await t.http.post('/api/auth/sign-in').send({ identifier: 'a\u0000@b.cn', password: 'whatever' }),
      'identifier',
    );
  });

  it('line breaks: refused in a single-line field, accepted in a multi-line one (the story)', async () => {
    const coop = await insertCooperative(t);
    const admin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: coop.id }]);
    expectRefused(
      await t.http
        .patch(`/api/console/cooperatives/${coop.id}`)
        .set(bearer(admin.token))
        .send({ contactName: '张\n三' }),
      'contactName',
    );
    const ok = await t.http
      .patch(`/api/console/cooperatives/${coop.id}`)
      .set(bearer(admin.token))
      .send({ story: '第一段：木耳。\r\n\r\n第二段：蜂蜜。\t完' })
      .expect(200);
    expect(ok.body.story).toContain('第二段：蜂蜜');
    expectRefused(
      await t.http.patch(`/api/console/cooperatives/${coop.id}`).set(bearer(admin.token)).send({ story: '木耳\u0000' }),
      'story',
    );
    expectRefused(
      await t.http.patch(`/api/console/cooperatives/${coop.id}`).set(bearer(admin.token)).send({ story: '响铃\u0007' }),
      'story',
    );
  });

  it('checks before authorisation: a signed-out NUL gets 400, not a 500 from a guard reading it', async () => {
    expectRefused(await t.http.patch('/api/console/cooperatives/%00').send({}), 'path');
    const u = await registerUser(t);
    expectRefused(await t.http.get('/api/orders?status=%00').set(bearer(u.token)), 'status');
  });
});
