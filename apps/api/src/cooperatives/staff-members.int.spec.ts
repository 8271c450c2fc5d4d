import type { CooperativeStaff, Me, MemberView, MyInvitation } from '@xiangbo/contracts';
import { maskName } from '@xiangbo/domain';
import { Household } from '../households/entities/household.entity';
import { HouseholdStatusEvent } from '../households/entities/household-status-event.entity';
import { RoleAssignment } from '../users/role-assignment.entity';
import { createTestApp, registerUser, TestApp, userWithRoles } from '../../test/test-app';
import { Membership } from './entities/membership.entity';
import { StaffInvitation } from './entities/staff-invitation.entity';
import { coopWithAdmin, insertHousehold, nextIdNumber } from './testing/fixtures';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('cooperative staff, invitations and member households (real app, real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('authorization on every console route', () => {
    it('coop_admin of A → 404 on B; host of B → 403 on changes; buyer/platform admin → 403; anonymous → 401', async () => {
      const a = await coopWithAdmin(t, '甲合作社');
      const b = await coopWithAdmin(t, '乙合作社');
      const hostB = await userWithRoles(t, [{ role: 'host', cooperativeId: b.coop.id }]);
      const buyer = await registerUser(t);
      const platformAdmin = await userWithRoles(t, [{ role: 'platform_admin' }]);
      const { household, idNumber } = await insertHousehold(t);
      const membership = await t.http
        .post(`/api/console/cooperatives/${b.coop.id}/members`)
        .set(bearer(b.admin.token))
        .send({ idNumber, joinedAt: '2024-01-01' })
        .expect(201);
      const invitation = await t.http
        .post(`/api/console/cooperatives/${b.coop.id}/staff/invitations`)
        .set(bearer(b.admin.token))
        .send({ identifier: 'someone@example.com', role: 'host' })
        .expect(201);
      const base = `/api/console/cooperatives/${b.coop.id}`;
      const reads: [string, string][] = [
        ['get', base],
        ['get', `${base}/staff`],
        ['get', `${base}/members`],
      ];
      const writes: [string, string, object][] = [
        ['patch', base, { story: 'hacked' }],
        ['post', `${base}/staff/invitations`, { identifier: 'x@example.com', role: 'coop_admin' }],
        ['delete', `${base}/staff/invitations/${invitation.body.id}`, {}],
        ['delete', `${base}/staff/${b.admin.user.id}/roles/coop_admin`, {}],
        ['post', `${base}/members`, { idNumber, joinedAt: '2024-01-01' }],
        ['patch', `${base}/members/${membership.body.id}`, { shareUnits: 99 }],
        ['post', `${base}/members/${membership.body.id}/leave`, { leftAt: '2024-06-01' }],
      ];
      const call = (method: string, url: string, token?: string, body?: object) => {
        const req = (t.http as unknown as Record<string, (u: string) => import('supertest').Test>)[method](url);
        if (token) req.set(bearer(token));
        return body ? req.send(body) : req;
      };
      for (const [method, url] of reads) {
        await call(method, url, a.admin.token).expect(404);
        await call(method, url, buyer.token).expect(403);
        await call(method, url, platformAdmin.token).expect(403);
        await call(method, url).expect(401);
        await call(method, url, hostB.token).expect(200);
      }
      for (const [method, url, body] of writes) {
        const fromA = await call(method, url, a.admin.token, body);
        expect([method, url, fromA.status]).toEqual([method, url, 404]);
        const fromHost = await call(method, url, hostB.token, body);
        expect([method, url, fromHost.status, fromHost.body.code]).toEqual([method, url, 403, 'NOT_COOPERATIVE_ADMIN']);
        await call(method, url, buyer.token, body).expect(403);
        await call(method, url, platformAdmin.token, body).expect(403);
        await call(method, url, undefined, body).expect(401);
      }
      // Nothing of B changed.
      const ms = await t.db.getRepository(Membership).findOneByOrFail({ id: membership.body.id });
      expect(ms).toMatchObject({ shareUnits: 0, leftAt: null, householdId: household.id });
      const inv = await t.db.getRepository(StaffInvitation).findOneByOrFail({ id: invitation.body.id });
      expect(inv.revokedAt).toBeNull();
      expect(await t.db.getRepository(StaffInvitation).countBy({ cooperativeId: b.coop.id })).toBe(1);
      // Cross-cooperative ids through A's own routes are 404 too (membership and invitation of B).
      await t.http
        .patch(`/api/console/cooperatives/${a.coop.id}/members/${membership.body.id}`)
        .set(bearer(a.admin.token))
        .send({ shareUnits: 5 })
        .expect(404);
      await t.http
        .delete(`/api/console/cooperatives/${a.coop.id}/staff/invitations/${invitation.body.id}`)
        .set(bearer(a.admin.token))
        .expect(404);
      await t.http
        .delete(`/api/console/cooperatives/${a.coop.id}/staff/${b.admin.user.id}/roles/coop_admin`)
        .set(bearer(a.admin.token))
        .expect(404);
    });
  });

  describe('staff and invitations', () => {
    it('invites by e-mail; only that account accepts, once; the role then works', async () => {
      const { coop, admin } = await coopWithAdmin(t);
      const invitee = await registerUser(t, '主播小李');
      const stranger = await registerUser(t);
      const inv = await t.http
        .post(`/api/console/cooperatives/${coop.id}/staff/invitations`)
        .set(bearer(admin.token))
        .send({ identifier: `  ${invitee.email.toUpperCase()} `, role: 'host', cooperativeId: 'ignored' })
        .expect(201);
      expect(inv.body).toMatchObject({ identifier: invitee.email, role: 'host' });
      // An open invitation for the same person and role is not duplicated.
      const dup = await t.http
        .post(`/api/console/cooperatives/${coop.id}/staff/invitations`)
        .set(bearer(admin.token))
        .send({ identifier: invitee.email, role: 'host' })
        .expect(409);
      expect(dup.body.code).toBe('INVITATION_EXISTS');

      const staff = (await t.http.get(`/api/console/cooperatives/${coop.id}/staff`).set(bearer(admin.token)))
        .body as CooperativeStaff;
      expect(staff.invitations.map((i) => i.id)).toEqual([inv.body.id]);
      expect(staff.staff).toEqual([expect.objectContaining({ userId: admin.user.id, roles: ['coop_admin'] })]);

      expect((await t.http.get('/api/invitations').set(bearer(stranger.token))).body).toEqual([]);
      const mine = (await t.http.get('/api/invitations').set(bearer(invitee.token)).expect(200)).body as MyInvitation[];
      expect(mine).toEqual([expect.objectContaining({ id: inv.body.id, cooperativeName: coop.name, role: 'host' })]);

      await t.http.post(`/api/invitations/${inv.body.id}/accept`).set(bearer(stranger.token)).expect(404);
      await t.http.post(`/api/invitations/${inv.body.id}/accept`).expect(401);
      const accepted = await t.http
        .post(`/api/invitations/${inv.body.id}/accept`)
        .set(bearer(invitee.token))
        .expect(200);
      expect(accepted.body).toEqual({ cooperativeId: coop.id, role: 'host' });
      const again = await t.http.post(`/api/invitations/${inv.body.id}/accept`).set(bearer(invitee.token)).expect(409);
      expect(again.body.code).toBe('INVITATION_ALREADY_ACCEPTED');
      const me = (await t.http.get('/api/auth/me').set(bearer(invitee.token))).body as Me;
      expect(me.roles).toContainEqual(expect.objectContaining({ role: 'host', cooperativeId: coop.id }));
      await t.http.get(`/api/console/cooperatives/${coop.id}/members`).set(bearer(invitee.token)).expect(200);
      expect((await t.http.get('/api/invitations').set(bearer(invitee.token))).body).toEqual([]);
      // Inviting them again for the role they hold is pointless.
      const already = await t.http
        .post(`/api/console/cooperatives/${coop.id}/staff/invitations`)
        .set(bearer(admin.token))
        .send({ identifier: invitee.email, role: 'host' })
        .expect(409);
      expect(already.body.code).toBe('ALREADY_STAFF');
    });

    it('invites by mobile number before the account exists; a revoked invitation cannot be accepted', async () => {
      const { coop, admin } = await coopWithAdmin(t);
      const mobile = `137${String(Date.now()).slice(-8)}`;
      const inv = await t.http
        .post(`/api/console/cooperatives/${coop.id}/staff/invitations`)
        .set(bearer(admin.token))
        .send({ identifier: mobile.replace(/(\d{3})(\d{4})(\d{4})/, '$1 $2-$3'), role: 'coop_admin' })
        .expect(201);
      expect(inv.body.identifier).toBe(mobile);
      const reg = await t.http
        .post('/api/auth/register')
        .send({ mobile, password: 'correct horse battery', displayName: '新社长' })
        .expect(201);
      const token = reg.body.accessToken as string;
      expect((await t.http.get('/api/invitations').set(bearer(token))).body).toHaveLength(1);
      await t.http
        .delete(`/api/console/cooperatives/${coop.id}/staff/invitations/${inv.body.id}`)
        .set(bearer(admin.token))
        .expect(204);
      await t.http
        .delete(`/api/console/cooperatives/${coop.id}/staff/invitations/${inv.body.id}`)
        .set(bearer(admin.token))
        .expect(409);
      expect((await t.http.get('/api/invitations').set(bearer(token))).body).toEqual([]);
      const res = await t.http.post(`/api/invitations/${inv.body.id}/accept`).set(bearer(token)).expect(409);
      expect(res.body.code).toBe('INVITATION_REVOKED');
      expect(await t.db.getRepository(RoleAssignment).countBy({ cooperativeId: coop.id, role: 'coop_admin' })).toBe(1);
    });

    it('rejects a bad identifier or role with 400 naming the field', async () => {
      const { coop, admin } = await coopWithAdmin(t);
      const res = await t.http
        .post(`/api/console/cooperatives/${coop.id}/staff/invitations`)
        .set(bearer(admin.token))
        .send({ identifier: '12345', role: 'platform_admin' })
        .expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['identifier', 'role']);
      await t.http
        .delete(`/api/console/cooperatives/${coop.id}/staff/${admin.user.id}/roles/platform_admin`)
        .set(bearer(admin.token))
        .expect(400);
      await t.http.post('/api/invitations/not-a-uuid/accept').set(bearer(admin.token)).expect(404);
    });

    it('removes roles, but never the last coop_admin', async () => {
      const { coop, admin } = await coopWithAdmin(t);
      const last = await t.http
        .delete(`/api/console/cooperatives/${coop.id}/staff/${admin.user.id}/roles/coop_admin`)
        .set(bearer(admin.token))
        .expect(409);
      expect(last.body.code).toBe('LAST_ADMIN');

      const second = await userWithRoles(t, [
        { role: 'coop_admin', cooperativeId: coop.id },
        { role: 'host', cooperativeId: coop.id },
      ]);
      const staff = (await t.http.get(`/api/console/cooperatives/${coop.id}/staff`).set(bearer(admin.token)))
        .body as CooperativeStaff;
      expect(staff.staff.find((s) => s.userId === second.user.id)?.roles.sort()).toEqual(['coop_admin', 'host']);
      await t.http
        .delete(`/api/console/cooperatives/${coop.id}/staff/${second.user.id}/roles/host`)
        .set(bearer(admin.token))
        .expect(204);
      await t.http
        .delete(`/api/console/cooperatives/${coop.id}/staff/${second.user.id}/roles/host`)
        .set(bearer(admin.token))
        .expect(404);
      // With two admins, one may step down; then the other is the last.
      await t.http
        .delete(`/api/console/cooperatives/${coop.id}/staff/${admin.user.id}/roles/coop_admin`)
        .set(bearer(admin.token))
        .expect(204);
      // The former admin holds no console role any more: the guard stops them at once.
      await t.http.get(`/api/console/cooperatives/${coop.id}`).set(bearer(admin.token)).expect(403);
      await t.http
        .delete(`/api/console/cooperatives/${coop.id}/staff/${second.user.id}/roles/coop_admin`)
        .set(bearer(second.token))
        .expect(409);
    });
  });

  describe('member households', () => {
    it('links by ID number with masked name, shows registry status read-only, and never returns the ID number', async () => {
      const { coop, admin } = await coopWithAdmin(t);
      const host = await userWithRoles(t, [{ role: 'host', cooperativeId: coop.id }]);
      const { household, idNumber } = await insertHousehold(t, { headName: '王小明', status: 'monitored' });
      const res = await t.http
        .post(`/api/console/cooperatives/${coop.id}/members`)
        .set(bearer(admin.token))
        .send({
          idNumber: ` ${idNumber.toLowerCase()} `,
          shareUnits: 3,
          landMuHundredths: 125,
          labourRole: 'grower',
          joinedAt: '2024-03-01',
          status: 'none',
          registryStatus: 'none',
          householdId: '00000000-0000-4000-8000-000000000000',
        })
        .expect(201);
      const view = res.body as MemberView;
      expect(view).toMatchObject({
        householdId: household.id,
        headName: '王*明',
        idNumberMasked: household.idNumberMasked,
        registryStatus: 'monitored',
        shareUnits: 3,
        landMuHundredths: 125,
        landMu: '1.25',
        labourRole: 'grower',
        joinedAt: '2024-03-01',
        leftAt: null,
      });
      const list = await t.http.get(`/api/console/cooperatives/${coop.id}/members`).set(bearer(host.token)).expect(200);
      expect(list.body).toMatchObject({ total: 1, items: [{ id: view.id, headName: '王*明' }] });
      for (const text of [res.text, list.text]) {
        expect(text).not.toContain(idNumber);
        expect(text).not.toContain('王小明');
        expect(text).not.toContain(household.idNumberHash);
      }
      // The registry status is untouched by the body's status, and a PATCH cannot change it either.
      const patched = await t.http
        .patch(`/api/console/cooperatives/${coop.id}/members/${view.id}`)
        .set(bearer(admin.token))
        .send({
          shareUnits: 5,
          status: 'lifted',
          registryStatus: 'lifted',
          householdId: household.id,
          joinedAt: '2000-01-01',
        })
        .expect(200);
      expect(patched.body).toMatchObject({ shareUnits: 5, registryStatus: 'monitored', joinedAt: '2024-03-01' });
      const h = await t.db.getRepository(Household).findOneByOrFail({ id: household.id });
      expect(h.status).toBe('monitored');
      expect(await t.db.getRepository(HouseholdStatusEvent).countBy({ householdId: household.id })).toBe(1);
      // Linking the same household twice here is a conflict, not a second row.
      const twice = await t.http
        .post(`/api/console/cooperatives/${coop.id}/members`)
        .set(bearer(admin.token))
        .send({ idNumber, joinedAt: '2024-03-01' })
        .expect(409);
      expect(twice.body.code).toBe('ALREADY_MEMBER');
    });

    it('a household active elsewhere → 409 naming the other cooperative; after it leaves there, it can join here', async () => {
      const a = await coopWithAdmin(t, '金米村木耳专业合作社');
      const b = await coopWithAdmin(t, '老坞村菌菇专业合作社');
      const { idNumber } = await insertHousehold(t, { headName: '李梅', status: 'registered' });
      const inA = await t.http
        .post(`/api/console/cooperatives/${a.coop.id}/members`)
        .set(bearer(a.admin.token))
        .send({ idNumber, joinedAt: '2023-05-01', shareUnits: 1 })
        .expect(201);
      const refused = await t.http
        .post(`/api/console/cooperatives/${b.coop.id}/members`)
        .set(bearer(b.admin.token))
        .send({ idNumber, joinedAt: '2024-05-01' })
        .expect(409);
      expect(refused.body).toMatchObject({
        code: 'ALREADY_MEMBER_ELSEWHERE',
        details: { cooperativeName: '金米村木耳专业合作社' },
      });
      expect(refused.body.message).toContain('金米村木耳专业合作社');
      expect(refused.text).not.toContain('李梅');
      expect(refused.text).not.toContain(idNumber);

      // Leaving: never before joining, never in the future; the membership stays on record.
      const early = await t.http
        .post(`/api/console/cooperatives/${a.coop.id}/members/${inA.body.id}/leave`)
        .set(bearer(a.admin.token))
        .send({ leftAt: '2023-01-01' })
        .expect(400);
      expect(early.body.errors[0].field).toBe('leftAt');
      await t.http
        .post(`/api/console/cooperatives/${a.coop.id}/members/${inA.body.id}/leave`)
        .set(bearer(a.admin.token))
        .send({ leftAt: '2999-01-01' })
        .expect(400);
      const left = await t.http
        .post(`/api/console/cooperatives/${a.coop.id}/members/${inA.body.id}/leave`)
        .set(bearer(a.admin.token))
        .send({ leftAt: '2024-04-30' })
        .expect(200);
      expect(left.body.leftAt).toBe('2024-04-30');
      const ended = await t.http
        .patch(`/api/console/cooperatives/${a.coop.id}/members/${inA.body.id}`)
        .set(bearer(a.admin.token))
        .send({ shareUnits: 2 })
        .expect(409);
      expect(ended.body.code).toBe('MEMBERSHIP_ENDED');

      // B cannot back-date the joining to before the household left A.
      const overlap = await t.http
        .post(`/api/console/cooperatives/${b.coop.id}/members`)
        .set(bearer(b.admin.token))
        .send({ idNumber, joinedAt: '2024-01-01' })
        .expect(400);
      expect(overlap.body.errors[0].field).toBe('joinedAt');
      const inB = await t.http
        .post(`/api/console/cooperatives/${b.coop.id}/members`)
        .set(bearer(b.admin.token))
        .send({ idNumber, joinedAt: '2024-05-01' })
        .expect(201);
      expect(inB.body.headName).toBe('李*');

      const activeA = await t.http.get(`/api/console/cooperatives/${a.coop.id}/members`).set(bearer(a.admin.token));
      expect(activeA.body.total).toBe(0);
      const leftA = await t.http
        .get(`/api/console/cooperatives/${a.coop.id}/members?state=left`)
        .set(bearer(a.admin.token));
      expect(leftA.body.items).toEqual([expect.objectContaining({ id: inA.body.id, leftAt: '2024-04-30' })]);
      expect(await t.db.getRepository(Membership).count({ where: { householdId: inB.body.householdId } })).toBe(2);
    });

    it('an ID number that is not in the registry is 404 HOUSEHOLD_NOT_IN_REGISTRY; a malformed one is 400', async () => {
      const { coop, admin } = await coopWithAdmin(t);
      const { idNumber } = await insertHousehold(t);
      const unknown = nextIdNumber();
      const res = await t.http
        .post(`/api/console/cooperatives/${coop.id}/members`)
        .set(bearer(admin.token))
        .send({ idNumber: unknown, joinedAt: '2024-01-01' })
        .expect(404);
      expect(res.body.code).toBe('HOUSEHOLD_NOT_IN_REGISTRY');
      expect(res.text).not.toContain(unknown);
      const wrongCheck = idNumber.slice(0, 17) + (idNumber[17] === '0' ? '1' : '0');
      const bad = await t.http
        .post(`/api/console/cooperatives/${coop.id}/members`)
        .set(bearer(admin.token))
        .send({ idNumber: wrongCheck, joinedAt: '2024-01-01' })
        .expect(400);
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'idNumber' })]);
      expect(bad.text).not.toContain(wrongCheck);
      const fields = await t.http
        .post(`/api/console/cooperatives/${coop.id}/members`)
        .set(bearer(admin.token))
        .send({ idNumber, joinedAt: '2024-02-30', shareUnits: -1, landMuHundredths: 1.5, labourRole: 'boss' })
        .expect(400);
      expect(fields.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'joinedAt',
        'labourRole',
        'landMuHundredths',
        'shareUnits',
      ]);
      const future = await t.http
        .post(`/api/console/cooperatives/${coop.id}/members`)
        .set(bearer(admin.token))
        .send({ idNumber, joinedAt: '2999-01-01' })
        .expect(400);
      expect(future.body.errors[0].field).toBe('joinedAt');
      await t.http
        .patch(`/api/console/cooperatives/${coop.id}/members/not-a-uuid`)
        .set(bearer(admin.token))
        .send({ shareUnits: 1 })
        .expect(404);
    });

    it('coop staff see masked names, as the masking rule says (2, 3 and 4+ characters)', async () => {
      const { coop, admin } = await coopWithAdmin(t);
      for (const name of ['李梅', '王小明', '欧阳春花']) {
        const { idNumber } = await insertHousehold(t, { headName: name, status: 'none' });
        await t.http
          .post(`/api/console/cooperatives/${coop.id}/members`)
          .set(bearer(admin.token))
          .send({ idNumber, joinedAt: '2024-01-01' })
          .expect(201);
      }
      const list = await t.http
        .get(`/api/console/cooperatives/${coop.id}/members`)
        .set(bearer(admin.token))
        .expect(200);
      expect(list.body.items.map((m: MemberView) => m.headName).sort()).toEqual(
        ['李梅', '王小明', '欧阳春花'].map(maskName).sort(),
      );
      expect(list.body.items.map((m: MemberView) => m.headName).sort()).toEqual(['李*', '欧**花', '王*明'].sort());
      for (const name of ['李梅', '王小明', '欧阳春花']) expect(list.text).not.toContain(name);
    });
  });

  it('registry routes stay closed to coop admins and hosts: only the registry changes a status (403)', async () => {
    const { coop, admin } = await coopWithAdmin(t);
    const host = await userWithRoles(t, [{ role: 'host', cooperativeId: coop.id }]);
    const { household } = await insertHousehold(t);
    const today = new Date().toISOString().slice(0, 10);
    for (const token of [admin.token, host.token]) {
      for (const [method, url, body] of [
        [
          'post',
          `/api/admin/households/${household.id}/status-events`,
          { status: 'lifted', effectiveDate: today, reason: 'x' },
        ],
        ['patch', `/api/admin/households/${household.id}`, { headName: '改名' }],
        ['get', `/api/admin/households/${household.id}`, undefined],
        ['post', '/api/admin/households', { headName: 'x' }],
      ] as const) {
        const res = await t.http[method](url).set(bearer(token)).send(body);
        expect([method, url, res.status]).toEqual([method, url, 403]);
      }
    }
    const h = await t.db.getRepository(Household).findOneByOrFail({ id: household.id });
    expect(h).toMatchObject({ status: 'registered', headName: '王小明' });
    expect(await t.db.getRepository(HouseholdStatusEvent).countBy({ householdId: household.id })).toBe(1);
  });
});
