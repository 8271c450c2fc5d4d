import { rm } from 'node:fs/promises';
import sharp from 'sharp';
import type { Me, MyCooperativeApplication } from '@xiangbo/contracts';
import { Product } from '../catalog/entities/product.entity';
import { createTestApp, insertCooperative, registerUser, TestApp, userWithRoles } from '../../test/test-app';
import { Cooperative } from './entities/cooperative.entity';
import { Membership } from './entities/membership.entity';
import { applicationBody, coopWithAdmin, insertHousehold, nextUscc } from './testing/fixtures';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('cooperatives: applying, review, public pages, profile (real app, real PostgreSQL)', () => {
  let t: TestApp;
  let platformAdmin: Awaited<ReturnType<typeof userWithRoles>>;
  const uploads = `/tmp/xb-coop-test-uploads-${process.pid}`;
  beforeAll(async () => {
    t = await createTestApp({ UPLOADS_DIR: uploads });
    platformAdmin = await userWithRoles(t, [{ role: 'platform_admin' }]);
  });
  afterAll(async () => {
    await t.close();
    await rm(uploads, { recursive: true, force: true });
  });

  async function apply(token: string, overrides: Record<string, unknown> = {}) {
    const res = await t.http.post('/api/cooperatives').set(bearer(token)).send(applicationBody(overrides)).expect(201);
    return res.body as MyCooperativeApplication;
  }

  describe('apply → review', () => {
    it('an approved applicant becomes coop_admin of the cooperative and sees it on /api/auth/me', async () => {
      const applicant = await registerUser(t, '张建国');
      const app = await apply(applicant.token, { uscc: ` ${nextUscc().toLowerCase()} ` });
      expect(app.status).toBe('pending');
      expect(app.uscc).toMatch(/^93[0-9A-Z]{16}$/);

      const pending = await t.http
        .get('/api/admin/cooperatives?status=pending&pageSize=100')
        .set(bearer(platformAdmin.token))
        .expect(200);
      const listed = pending.body.items.find((i: { id: string }) => i.id === app.id);
      expect(listed).toMatchObject({
        name: app.name,
        contactPhone: '13800138000',
        applicant: { email: applicant.email },
      });

      const approved = await t.http
        .post(`/api/admin/cooperatives/${app.id}/approve`)
        .set(bearer(platformAdmin.token))
        .expect(200);
      expect(approved.body.status).toBe('approved');

      const me = (await t.http.get('/api/auth/me').set(bearer(applicant.token)).expect(200)).body as Me;
      expect(me.roles).toContainEqual(expect.objectContaining({ role: 'coop_admin', cooperativeId: app.id }));
      const mine = await t.http.get('/api/cooperatives/mine/applications').set(bearer(applicant.token)).expect(200);
      expect(mine.body).toEqual([expect.objectContaining({ id: app.id, status: 'approved', reviewReason: null })]);
    });

    it('a rejection carries its reason to the applicant, and the applicant can apply again with corrections', async () => {
      const applicant = await registerUser(t);
      const uscc = nextUscc();
      const app = await apply(applicant.token, { uscc });
      await t.http
        .post(`/api/admin/cooperatives/${app.id}/reject`)
        .set(bearer(platformAdmin.token))
        .send({ reason: '   ' })
        .expect(400);
      const rejected = await t.http
        .post(`/api/admin/cooperatives/${app.id}/reject`)
        .set(bearer(platformAdmin.token))
        .send({ reason: '营业执照上的名称与填写的不一致' })
        .expect(200);
      expect(rejected.body).toMatchObject({ status: 'rejected', reviewReason: '营业执照上的名称与填写的不一致' });
      const mine = await t.http.get('/api/cooperatives/mine/applications').set(bearer(applicant.token)).expect(200);
      expect(mine.body[0]).toMatchObject({ status: 'rejected', reviewReason: '营业执照上的名称与填写的不一致' });
      const me = (await t.http.get('/api/auth/me').set(bearer(applicant.token))).body as Me;
      expect(me.roles.some((r) => r.role === 'coop_admin')).toBe(false);

      // Another user cannot take the USCC; the applicant reopens their own application.
      const other = await registerUser(t);
      const taken = await t.http
        .post('/api/cooperatives')
        .set(bearer(other.token))
        .send(applicationBody({ uscc }))
        .expect(409);
      expect(taken.body.code).toBe('USCC_TAKEN');
      const again = await apply(applicant.token, { uscc, name: '柞水县金米村木耳种植专业合作社' });
      expect(again).toMatchObject({ id: app.id, status: 'pending', reviewReason: null });
    });

    it('a second review of the same application is 409 ALREADY_REVIEWED and changes nothing', async () => {
      const applicant = await registerUser(t);
      const app = await apply(applicant.token);
      await t.http.post(`/api/admin/cooperatives/${app.id}/approve`).set(bearer(platformAdmin.token)).expect(200);
      const twice = await t.http
        .post(`/api/admin/cooperatives/${app.id}/approve`)
        .set(bearer(platformAdmin.token))
        .expect(409);
      expect(twice.body.code).toBe('ALREADY_REVIEWED');
      const reject = await t.http
        .post(`/api/admin/cooperatives/${app.id}/reject`)
        .set(bearer(platformAdmin.token))
        .send({ reason: 'too late' })
        .expect(409);
      expect(reject.body.code).toBe('ALREADY_REVIEWED');
      const row = await t.db.getRepository(Cooperative).findOneByOrFail({ id: app.id });
      expect(row.status).toBe('approved');
    });

    it('only platform admins review (403), and not their own application', async () => {
      const applicant = await registerUser(t);
      const app = await apply(applicant.token);
      const { admin: coopAdmin } = await coopWithAdmin(t);
      for (const token of [applicant.token, coopAdmin.token]) {
        await t.http.get('/api/admin/cooperatives').set(bearer(token)).expect(403);
        await t.http.post(`/api/admin/cooperatives/${app.id}/approve`).set(bearer(token)).expect(403);
        await t.http
          .post(`/api/admin/cooperatives/${app.id}/reject`)
          .set(bearer(token))
          .send({ reason: 'x' })
          .expect(403);
      }
      await t.http.get('/api/admin/cooperatives').expect(401);
      await t.http.post(`/api/admin/cooperatives/${app.id}/approve`).expect(401);

      const own = await apply(platformAdmin.token);
      const res = await t.http
        .post(`/api/admin/cooperatives/${own.id}/approve`)
        .set(bearer(platformAdmin.token))
        .expect(403);
      expect(res.body.code).toBe('CANNOT_REVIEW_OWN_APPLICATION');
      await t.http.post('/api/admin/cooperatives/not-a-uuid/approve').set(bearer(platformAdmin.token)).expect(404);
    });

    it('a status in the application body is ignored: every application starts pending', async () => {
      const applicant = await registerUser(t);
      const res = await t.http
        .post('/api/cooperatives')
        .set(bearer(applicant.token))
        .send({ ...applicationBody(), status: 'approved', applicantId: platformAdmin.user.id, logoKey: 'x/y.webp' })
        .expect(201);
      expect(res.body.status).toBe('pending');
      const row = await t.db.getRepository(Cooperative).findOneByOrFail({ id: res.body.id });
      expect(row).toMatchObject({ status: 'pending', applicantId: applicant.user.id, logoKey: null });
    });
  });

  describe('validation', () => {
    it('names each bad field (400), never a 500', async () => {
      const u = await registerUser(t);
      const res = await t.http
        .post('/api/cooperatives')
        .set(bearer(u.token))
        .send({ name: 'x', uscc: '91350100M000100Y44', province: '', contactPhone: '123' })
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      const fields = res.body.errors.map((e: { field: string }) => e.field);
      for (const f of [
        'name',
        'uscc',
        'province',
        'city',
        'county',
        'township',
        'village',
        'contactName',
        'contactPhone',
      ]) {
        expect(fields).toContain(f);
      }
      expect(res.body.errors.find((e: { field: string }) => e.field === 'uscc').message).toMatch(/check character/);
      const format = await t.http
        .post('/api/cooperatives')
        .set(bearer(u.token))
        .send(applicationBody({ uscc: '9135010OM000100Y43' }))
        .expect(400);
      expect(format.body.errors[0]).toMatchObject({ field: 'uscc' });
      await t.http
        .post('/api/cooperatives')
        .set(bearer(u.token))
        .send(applicationBody({ uscc: 42 }))
        .expect(400);
      await t.http.post('/api/cooperatives').set(bearer(u.token)).send([]).expect(400);
    });

    it('a duplicate USCC is 409 USCC_TAKEN, including an approved cooperative', async () => {
      const u = await registerUser(t);
      const { coop } = await coopWithAdmin(t);
      const res = await t.http
        .post('/api/cooperatives')
        .set(bearer(u.token))
        .send(applicationBody({ uscc: coop.uscc }))
        .expect(409);
      expect(res.body.code).toBe('USCC_TAKEN');
    });

    it('signed-out visitors cannot apply (401)', async () => {
      await t.http.post('/api/cooperatives').send(applicationBody()).expect(401);
      await t.http.get('/api/cooperatives/mine/applications').expect(401);
    });
  });

  describe('public pages', () => {
    it('lists approved cooperatives only, with product counts of published products', async () => {
      const { coop } = await coopWithAdmin(t, '公桥乡巩堰村辣椒专业合作社');
      const pendingOne = await insertCooperative(t, { uscc: nextUscc(), status: 'pending', name: '待审核的合作社' });
      const repo = t.db.getRepository(Product);
      for (const published of [true, true, false]) {
        await repo.save(
          repo.create({
            cooperativeId: coop.id,
            nameZh: '辣椒',
            category: 'vegetables',
            unit: 'jin',
            priceFen: 1200,
            stock: 10,
            originProvince: '安徽省',
            originCounty: '阜南县',
            originVillage: '巩堰村',
            published,
          }),
        );
      }
      const res = await t.http.get('/api/cooperatives?pageSize=50').expect(200);
      expect(res.body).toMatchObject({ page: 1, pageSize: 50 });
      expect(res.body.total).toBeGreaterThanOrEqual(1);
      const ids = res.body.items.map((i: { id: string }) => i.id);
      expect(ids).toContain(coop.id);
      expect(ids).not.toContain(pendingOne.id);
      const item = res.body.items.find((i: { id: string }) => i.id === coop.id);
      expect(item).toMatchObject({
        name: '公桥乡巩堰村辣椒专业合作社',
        productCount: 2,
        village: '金米村',
        logoUrl: null,
      });
      expect(item.uscc).toBeUndefined();
      expect(item.applicantId).toBeUndefined();

      const search = await t.http.get(`/api/cooperatives?q=${encodeURIComponent('巩堰')}`).expect(200);
      expect(search.body.items.map((i: { id: string }) => i.id)).toEqual([coop.id]);
      await t.http.get('/api/cooperatives?pageSize=1000').expect(400);
    });

    it('the public page shows aggregates, never a member name or ID number; pending/unknown are 404', async () => {
      const { coop, admin } = await coopWithAdmin(t);
      const members = [
        await insertHousehold(t, { headName: '王小明', status: 'registered' }),
        await insertHousehold(t, { headName: '李梅', status: 'monitored' }),
        await insertHousehold(t, { headName: '欧阳春花', status: 'lifted' }),
      ];
      for (const h of members) {
        await t.http
          .post(`/api/console/cooperatives/${coop.id}/members`)
          .set(bearer(admin.token))
          .send({ idNumber: h.idNumber, joinedAt: '2024-03-01', shareUnits: 2 })
          .expect(201);
      }
      const res = await t.http.get(`/api/cooperatives/${coop.id}`).expect(200);
      expect(res.body).toMatchObject({ id: coop.id, memberCount: 3, registeredOrMonitoredMemberCount: 2 });
      const text = res.text;
      for (const h of members) {
        expect(text).not.toContain(h.idNumber);
        expect(text).not.toContain(h.idNumber.slice(-4) + '"');
        expect(text).not.toContain(h.household.headName);
        expect(text).not.toContain(h.household.idNumberHash);
      }
      const pendingOne = await insertCooperative(t, { uscc: nextUscc(), status: 'pending' });
      await t.http.get(`/api/cooperatives/${pendingOne.id}`).expect(404);
      await t.http.get('/api/cooperatives/00000000-0000-4000-8000-000000000000').expect(404);
      await t.http.get('/api/cooperatives/not-a-uuid').expect(404);
      // A member who left is no longer counted.
      const ms = await t.db.getRepository(Membership).findOneByOrFail({ householdId: members[0].household.id });
      await t.http
        .post(`/api/console/cooperatives/${coop.id}/members/${ms.id}/leave`)
        .set(bearer(admin.token))
        .send({ leftAt: '2025-01-01' })
        .expect(200);
      const after = await t.http.get(`/api/cooperatives/${coop.id}`).expect(200);
      expect(after.body).toMatchObject({ memberCount: 2, registeredOrMonitoredMemberCount: 1 });
    });
  });

  describe('console profile', () => {
    it('the admin changes story and contact; name, USCC, region and status in the body are ignored', async () => {
      const { coop, admin } = await coopWithAdmin(t);
      const res = await t.http
        .patch(`/api/console/cooperatives/${coop.id}`)
        .set(bearer(admin.token))
        .send({
          story: '新的故事',
          contactPhone: '0914-4321567',
          name: '改名',
          uscc: nextUscc(),
          status: 'rejected',
          province: '北京市',
          cooperativeId: '00000000-0000-4000-8000-000000000000',
        })
        .expect(200);
      expect(res.body).toMatchObject({ story: '新的故事', contactPhone: '0914-4321567', canManage: true });
      const row = await t.db.getRepository(Cooperative).findOneByOrFail({ id: coop.id });
      expect(row).toMatchObject({ name: coop.name, uscc: coop.uscc, status: 'approved', province: coop.province });
      const bad = await t.http
        .patch(`/api/console/cooperatives/${coop.id}`)
        .set(bearer(admin.token))
        .send({ contactPhone: 'call me' })
        .expect(400);
      expect(bad.body.errors[0].field).toBe('contactPhone');
    });

    it('hosts read (canManage false) but cannot change (403); other cooperatives are 404', async () => {
      const a = await coopWithAdmin(t);
      const b = await coopWithAdmin(t);
      const host = await userWithRoles(t, [{ role: 'host', cooperativeId: a.coop.id }]);
      const read = await t.http.get(`/api/console/cooperatives/${a.coop.id}`).set(bearer(host.token)).expect(200);
      expect(read.body.canManage).toBe(false);
      const denied = await t.http
        .patch(`/api/console/cooperatives/${a.coop.id}`)
        .set(bearer(host.token))
        .send({ story: 'x' })
        .expect(403);
      expect(denied.body.code).toBe('NOT_COOPERATIVE_ADMIN');
      await t.http.get(`/api/console/cooperatives/${b.coop.id}`).set(bearer(a.admin.token)).expect(404);
      await t.http
        .patch(`/api/console/cooperatives/${b.coop.id}`)
        .set(bearer(a.admin.token))
        .send({ story: 'x' })
        .expect(404);
      await t.http.get(`/api/console/cooperatives/${b.coop.id}`).set(bearer(host.token)).expect(404);
      const row = await t.db.getRepository(Cooperative).findOneByOrFail({ id: b.coop.id });
      expect(row.story).toBe('');
    });
  });

  describe('logo', () => {
    const png = () =>
      sharp({ create: { width: 600, height: 300, channels: 3, background: { r: 46, g: 107, b: 78 } } })
        .png()
        .toBuffer();

    it('the applicant uploads a logo while pending; it is served as WebP from the storage URL', async () => {
      const applicant = await registerUser(t);
      const app = await apply(applicant.token);
      const res = await t.http
        .post(`/api/cooperatives/${app.id}/logo`)
        .set(bearer(applicant.token))
        .attach('logo', await png(), 'logo.png')
        .expect(200);
      expect(res.body.logoUrl).toMatch(new RegExp(`^/api/files/cooperatives/${app.id}/logo-[0-9a-f-]+\\.webp$`));
      const file = await t.http.get(res.body.logoUrl).expect(200);
      expect(file.headers['content-type']).toBe('image/webp');
      const meta = await sharp(file.body as Buffer).metadata();
      expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBeLessThanOrEqual(400);

      // Someone else cannot; neither can the applicant after a rejection; garbage is 400.
      const other = await registerUser(t);
      await t.http
        .post(`/api/cooperatives/${app.id}/logo`)
        .set(bearer(other.token))
        .attach('logo', await png(), 'logo.png')
        .expect(404);
      const notImage = await t.http
        .post(`/api/cooperatives/${app.id}/logo`)
        .set(bearer(applicant.token))
        .attach('logo', Buffer.from('not an image at all'), 'logo.png')
        .expect(400);
      expect(notImage.body.code).toBe('NOT_AN_IMAGE');
      await t.http.post(`/api/cooperatives/${app.id}/logo`).set(bearer(applicant.token)).expect(400);
      await t.http
        .post(`/api/admin/cooperatives/${app.id}/reject`)
        .set(bearer(platformAdmin.token))
        .send({ reason: '资料不全' })
        .expect(200);
      await t.http
        .post(`/api/cooperatives/${app.id}/logo`)
        .set(bearer(applicant.token))
        .attach('logo', await png(), 'logo.png')
        .expect(404);
    });

    it('the coop admin replaces the logo; a host of it cannot (403); the list shows the URL', async () => {
      const { coop, admin } = await coopWithAdmin(t);
      const host = await userWithRoles(t, [{ role: 'host', cooperativeId: coop.id }]);
      await t.http
        .post(`/api/cooperatives/${coop.id}/logo`)
        .set(bearer(host.token))
        .attach('logo', await png(), 'logo.png')
        .expect(403);
      const first = await t.http
        .post(`/api/cooperatives/${coop.id}/logo`)
        .set(bearer(admin.token))
        .attach('logo', await png(), 'logo.png')
        .expect(200);
      const second = await t.http
        .post(`/api/cooperatives/${coop.id}/logo`)
        .set(bearer(admin.token))
        .attach('logo', await png(), 'logo.png')
        .expect(200);
      expect(second.body.logoUrl).not.toBe(first.body.logoUrl);
      await t.http.get(first.body.logoUrl).expect(404); // the replaced file is gone
      const page = await t.http.get(`/api/cooperatives/${coop.id}`).expect(200);
      expect(page.body.logoUrl).toBe(second.body.logoUrl);
      await t.http
        .post(`/api/cooperatives/${coop.id}/logo`)
        .attach('logo', await png(), 'logo.png')
        .expect(401);
    });
  });
});
