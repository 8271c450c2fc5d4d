import type { BulkLinkMembersResponse } from '@xiangbo/contracts';
import { withWrongChecksum } from '../households/households.test-helpers';
import { createTestApp, registerUser, TestApp, userWithRoles } from '../../test/test-app';
import { coopWithAdmin, insertHousehold } from './testing/fixtures';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/**
 * Bulk linking (a cooperative on board in minutes): the ID numbers a cooperative keeps in a spreadsheet, pasted
 * at once; a verdict per line in the preview; the commit links the good lines in one transaction.
 */
describe('members linked in bulk (real app, real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('previews a verdict per line without writing, then links the good lines only', async () => {
    const { coop, admin } = await coopWithAdmin(t);
    const other = await coopWithAdmin(t, '另一个合作社');
    const fresh = await Promise.all(
      Array.from({ length: 42 }, (_, i) => insertHousehold(t, { headName: `张${'一二三四五六七八九十'[i % 10]}民` })),
    );
    const elsewhere = await insertHousehold(t, { headName: '李梅' });
    await t.http
      .post(`/api/console/cooperatives/${other.coop.id}/members`)
      .set(bearer(other.admin.token))
      .send({ idNumber: elsewhere.idNumber, joinedAt: '2024-03-01' })
      .expect(201);
    const unknownId = '110101199003074514'; // valid, but not in the registry
    const text = [
      '身份证号,份额,土地(亩)',
      ...fresh.map((h, i) => `${h.idNumber},${i % 5},${i % 3}.5`),
      elsewhere.idNumber,
      unknownId,
      withWrongChecksum(fresh[0].idNumber),
      fresh[1].idNumber, // again
      `${fresh[2].idNumber.slice(0, 17)}`, // 17 characters
    ].join('\n');
    const url = `/api/console/cooperatives/${coop.id}/members/bulk`;

    const preview = (await t.http.post(url).set(bearer(admin.token)).send({ text, joinedAt: '2025-01-01' }).expect(200))
      .body as BulkLinkMembersResponse;
    expect(preview).toMatchObject({ committed: false, linkable: 42, linked: 0, skipped: 1 });
    expect(preview.rows).toHaveLength(47);
    expect(preview.rows.slice(0, 42).every((r) => r.status === 'ok')).toBe(true);
    expect(preview.rows[0]).toMatchObject({ line: 2, headMasked: '张*民', shareUnits: 0, landMuHundredths: 50 });
    expect(preview.rows.slice(42).map((r) => [r.status, r.reason ?? null])).toEqual([
      ['member_elsewhere', '另一个合作社'],
      ['not_in_registry', null],
      ['invalid_id', 'checksum'],
      ['duplicate', null],
      ['invalid_id', 'format'],
    ]);
    // nothing whole leaves the server: IDs are masked, names masked
    expect(JSON.stringify(preview)).not.toContain(fresh[0].idNumber);
    const [{ n: before }]: { n: number }[] = await t.db.query(
      'SELECT count(*)::int AS n FROM memberships WHERE cooperative_id = $1',
      [coop.id],
    );
    expect(before).toBe(0);

    const done = (
      await t.http.post(url).set(bearer(admin.token)).send({ text, joinedAt: '2025-01-01', commit: true }).expect(200)
    ).body as BulkLinkMembersResponse;
    expect(done).toMatchObject({ committed: true, linked: 42 });
    const members = await t.http
      .get(`/api/console/cooperatives/${coop.id}/members?pageSize=100`)
      .set(bearer(admin.token))
      .expect(200);
    expect(members.body.total).toBe(42);

    // the same list again: every household is already a member, nothing is linked twice
    const again = (
      await t.http.post(url).set(bearer(admin.token)).send({ text, joinedAt: '2025-01-01', commit: true }).expect(200)
    ).body as BulkLinkMembersResponse;
    expect(again.linked).toBe(0);
    expect(again.rows.slice(0, 42).every((r) => r.status === 'already_member')).toBe(true);
  });

  it('is refused to a host, a buyer and another cooperative’s admin (404); bad input names the field', async () => {
    const { coop, admin } = await coopWithAdmin(t);
    const other = await coopWithAdmin(t);
    const host = await userWithRoles(t, [{ role: 'host', cooperativeId: coop.id }]);
    const buyer = await registerUser(t, '买家');
    const h = await insertHousehold(t);
    const url = `/api/console/cooperatives/${coop.id}/members/bulk`;
    const body = { text: h.idNumber, joinedAt: '2025-01-01', commit: true };
    await t.http.post(url).set(bearer(host.token)).send(body).expect(403);
    // another cooperative's admin is not told this cooperative's console exists
    await t.http.post(url).set(bearer(other.admin.token)).send(body).expect(404);
    await t.http.post(url).set(bearer(buyer.token)).send(body).expect(403);
    await t.http.post(url).send(body).expect(401);
    const [{ n }]: { n: number }[] = await t.db.query(
      'SELECT count(*)::int AS n FROM memberships WHERE household_id = $1',
      [h.household.id],
    );
    expect(n).toBe(0);

    const empty = await t.http
      .post(url)
      .set(bearer(admin.token))
      .send({ text: '身份证号\n\n', joinedAt: '2025-01-01' });
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual([{ field: 'text', message: 'no ID numbers found' }]);
    const future = await t.http.post(url).set(bearer(admin.token)).send({ text: h.idNumber, joinedAt: '2999-01-01' });
    expect(future.status).toBe(400);
    expect(future.body.errors[0].field).toBe('joinedAt');
    const tooMany = Array.from({ length: 1001 }, () => h.idNumber).join('\n');
    const big = await t.http.post(url).set(bearer(admin.token)).send({ text: tooMany, joinedAt: '2025-01-01' });
    expect(big.status).toBe(400);
  });
});
