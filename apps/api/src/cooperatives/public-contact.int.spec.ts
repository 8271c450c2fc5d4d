import { createTestApp, insertCooperative, registerUser, TestApp, userWithRoles } from '../../test/test-app';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Issue 15, finding 8: a cooperative's contact mobile was on its public page in full. */
describe("a cooperative's contact number on its public page (real app, real PostgreSQL)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('anonymous readers and other signed-in users get it masked; nothing in the body holds the full number', async () => {
    const coop = await insertCooperative(t, { contactPhone: '13912345678' });
    const anonymous = await t.http.get(`/api/cooperatives/${coop.id}`).expect(200);
    expect(anonymous.body.contactPhone).toBe('139****5678');
    expect(JSON.stringify(anonymous.body)).not.toContain('13912345678');
    const stranger = await registerUser(t);
    const other = await t.http.get(`/api/cooperatives/${coop.id}`).set(bearer(stranger.token)).expect(200);
    expect(other.body.contactPhone).toBe('139****5678');
    const list = await t.http.get('/api/cooperatives').expect(200);
    expect(JSON.stringify(list.body)).not.toContain('13912345678');
  });

  it('a landline keeps its area code and last digits only', async () => {
    const coop = await insertCooperative(t, { contactPhone: '0914-4321567' });
    const res = await t.http.get(`/api/cooperatives/${coop.id}`).expect(200);
    expect(res.body.contactPhone).toBe('091****1567');
  });

  it("the cooperative's own staff still read the full number in their console", async () => {
    const coop = await insertCooperative(t, { contactPhone: '13912345678' });
    const admin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: coop.id }]);
    const res = await t.http.get(`/api/console/cooperatives/${coop.id}`).set(bearer(admin.token)).expect(200);
    expect(res.body.contactPhone).toBe('13912345678');
    // and another cooperative's admin cannot read that console at all
    const otherAdmin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: (await insertCooperative(t)).id }]);
    const refused = await t.http.get(`/api/console/cooperatives/${coop.id}`).set(bearer(otherAdmin.token));
    expect([403, 404]).toContain(refused.status);
    expect(JSON.stringify(refused.body)).not.toContain('13912345678');
  });
});
