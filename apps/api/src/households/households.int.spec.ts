import type { AccessLogEntry, HouseholdDetail, HouseholdSummary, Page } from '@xiangbo/contracts';
import { Membership } from '../cooperatives/entities/membership.entity';
import { createTestApp, insertCooperative, registerUser, TestApp, userWithRoles } from '../../test/test-app';
import { PersonalDataAccessService } from './personal-data-access.service';
import { householdBody, testIdNumber, withWrongChecksum } from './households.test-helpers';

type Session = Awaited<ReturnType<typeof registerUser>>;

describe('household registry over HTTP (real Nest app, real PostgreSQL)', () => {
  let t: TestApp;
  let admin: Session;
  let coopAdmin: Session;
  let host: Session;
  let auditor: Session;
  let buyer: Session;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await userWithRoles(t, [{ role: 'platform_admin' }]);
    const coop = await insertCooperative(t);
    coopAdmin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: coop.id }]);
    host = await userWithRoles(t, [{ role: 'host', cooperativeId: coop.id }]);
    auditor = await userWithRoles(t, [{ role: 'auditor', cooperativeId: coop.id }]);
    buyer = await registerUser(t);
  });
  afterAll(() => t.close());

  const as = (s: Session) => `Bearer ${s.token}`;
  const create = async (overrides: Record<string, unknown> = {}) => {
    const res = await t.http
      .post('/api/admin/households')
      .set('Authorization', as(admin))
      .send(householdBody(overrides))
      .expect(201);
    return res.body as HouseholdDetail;
  };
  const countRows = async (table: string, householdId?: string) =>
    (
      await t.db.query(
        `SELECT count(*)::int AS n FROM ${table}${householdId ? ' WHERE household_id = $1' : ''}`,
        householdId ? [householdId] : [],
      )
    )[0].n as number;

  describe('create', () => {
    it('creates the household and its first status event in one go, showing the ID number masked', async () => {
      const body = householdBody({ headName: '王小明' });
      const res = await t.http.post('/api/admin/households').set('Authorization', as(admin)).send(body).expect(201);
      const h = res.body as HouseholdDetail;
      expect(h).toMatchObject({
        headName: '王小明',
        idNumberMasked: `${body.idNumber.slice(0, 4)}**********${body.idNumber.slice(-4)}`,
        village: '金米村',
        householdSize: 4,
        povertyCauses: ['illness', 'lack_of_skills'],
        status: 'registered',
        membership: null,
      });
      expect(h.history).toEqual([
        expect.objectContaining({
          status: 'registered',
          effectiveDate: '2016-03-01',
          reason: '识别为建档立卡户',
          recordedBy: { id: admin.user.id, displayName: admin.user.displayName },
        }),
      ]);
      expect(JSON.stringify(res.body)).not.toContain(body.idNumber);
    });

    it('never stores the ID number in clear anywhere in the registry tables', async () => {
      const idNumber = testIdNumber();
      const h = await create({ idNumber });
      await t.http.get(`/api/admin/households/${h.id}`).set('Authorization', as(admin)).expect(200);
      for (const table of ['households', 'household_status_events', 'personal_data_access_log']) {
        const [{ dump }] = await t.db.query(
          `SELECT coalesce(string_agg(row_to_json(x)::text, ''), '') AS dump FROM ${table} x`,
        );
        expect(dump).not.toContain(idNumber);
        expect(dump).not.toContain(idNumber.slice(4, 14)); // not even the middle digits
      }
      const [row] = await t.db.query('SELECT row_to_json(h)::text AS json FROM households h WHERE id = $1', [h.id]);
      expect(row.json).toMatch(/"id_number_hash":"[0-9a-f]{64}"/);
    });

    it.each([
      ['1234', 'format'],
      ['611026' + '19801301' + '0011', 'birth date'],
    ])('refuses the invalid ID number %s with 400 naming idNumber and the reason (%s)', async (idNumber, reason) => {
      const res = await t.http
        .post('/api/admin/households')
        .set('Authorization', as(admin))
        .send(householdBody({ idNumber }))
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field: 'idNumber', message: expect.stringContaining(reason) }]);
    });

    it('refuses a wrong check character with 400 "checksum" and writes nothing', async () => {
      const before = await countRows('households');
      const res = await t.http
        .post('/api/admin/households')
        .set('Authorization', as(admin))
        .send(householdBody({ idNumber: withWrongChecksum(testIdNumber()) }))
        .expect(400);
      expect(res.body.errors[0]).toEqual({ field: 'idNumber', message: expect.stringContaining('checksum') });
      expect(await countRows('households')).toBe(before);
    });

    it('refuses a second household with the same ID number (any case of X, spaces) with 409 and the existing id', async () => {
      let idNumber = testIdNumber();
      while (!idNumber.endsWith('X')) idNumber = testIdNumber();
      const first = await create({ idNumber });
      const res = await t.http
        .post('/api/admin/households')
        .set('Authorization', as(admin))
        .send(householdBody({ idNumber: ` ${idNumber.toLowerCase()} `, headName: '别人' }))
        .expect(409);
      expect(res.body.code).toBe('DUPLICATE_ID_NUMBER');
      expect(res.body.details).toEqual({ existingHouseholdId: first.id });
      expect(JSON.stringify(res.body)).not.toContain(idNumber);
    });

    it('two admins registering the same person at once: one 201, one 409', async () => {
      const body = householdBody();
      const results = await Promise.all(
        [1, 2].map(() => t.http.post('/api/admin/households').set('Authorization', as(admin)).send(body)),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    });

    it.each([
      ['statusEffectiveDate', { statusEffectiveDate: '2016-02-30' }],
      ['statusEffectiveDate', { statusEffectiveDate: '01/03/2016' }],
      ['statusEffectiveDate', { statusEffectiveDate: '2999-01-01' }],
      ['status', { status: 'rich' }],
      ['householdSize', { householdSize: 0 }],
      ['householdSize', { householdSize: 2.5 }],
      ['povertyCauses.1', { povertyCauses: ['illness', 'laziness'] }],
      ['headName', { headName: '   ' }],
      ['village', { village: undefined }],
    ])('answers bad input with 400 naming %s', async (field, overrides) => {
      const res = await t.http
        .post('/api/admin/households')
        .set('Authorization', as(admin))
        .send(householdBody(overrides))
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });

  describe('search', () => {
    let wang: HouseholdDetail;
    let wangId: string;
    beforeAll(async () => {
      wangId = testIdNumber();
      wang = await create({ headName: '欧阳秀英', idNumber: wangId, village: '巩堰村', status: 'monitored' });
      await create({ headName: '欧阳建国', village: '金米村', status: 'lifted' });
    });

    it('finds by part of the head name, in clear for staff, with the ID number masked', async () => {
      const res = await t.http
        .get('/api/admin/households')
        .query({ q: '欧阳' })
        .set('Authorization', as(admin))
        .expect(200);
      const page = res.body as Page<HouseholdSummary>;
      expect(page.items.map((h) => h.headName).sort()).toEqual(['欧阳建国', '欧阳秀英']);
      expect(page.items.every((h) => /^\d{4}\*{10}[\dX]{4}$/.test(h.idNumberMasked))).toBe(true);
    });

    it('filters by village and status', async () => {
      const byVillage = await t.http
        .get('/api/admin/households')
        .query({ q: '欧阳', village: '巩堰' })
        .set('Authorization', as(admin))
        .expect(200);
      expect(byVillage.body.items.map((h: HouseholdSummary) => h.headName)).toEqual(['欧阳秀英']);
      const byStatus = await t.http
        .get('/api/admin/households')
        .query({ q: '欧阳', status: 'lifted' })
        .set('Authorization', as(admin))
        .expect(200);
      expect(byStatus.body.items.map((h: HouseholdSummary) => h.headName)).toEqual(['欧阳建国']);
      await t.http.get('/api/admin/households').query({ status: 'rich' }).set('Authorization', as(admin)).expect(400);
    });

    it('finds by a whole ID number through its keyed hash (GET and POST), and logs the search without the number', async () => {
      const get = await t.http
        .get('/api/admin/households')
        .query({ q: wangId })
        .set('Authorization', as(admin))
        .expect(200);
      expect(get.body.items.map((h: HouseholdSummary) => h.id)).toEqual([wang.id]);
      const post = await t.http
        .post('/api/admin/households/search')
        .set('Authorization', as(admin))
        .send({ q: wangId.toLowerCase() })
        .expect(200);
      expect(post.body.items.map((h: HouseholdSummary) => h.id)).toEqual([wang.id]);
      const none = await t.http
        .post('/api/admin/households/search')
        .set('Authorization', as(admin))
        .send({ q: withWrongChecksum(wangId) })
        .expect(200);
      expect(none.body.total).toBe(0);

      const rows = await t.db.query(
        `SELECT detail FROM personal_data_access_log WHERE actor_id = $1 AND action = 'household.search' ORDER BY at DESC LIMIT 3`,
        [admin.user.id],
      );
      expect(rows).toHaveLength(3);
      for (const r of rows) {
        expect(r.detail).not.toContain(wangId.slice(4, 14));
        expect(r.detail).toMatch(/q=id:\d{4}\*{10}/);
      }
    });

    it('writes exactly one access row per search', async () => {
      const before = await countRows('personal_data_access_log');
      await t.http
        .get('/api/admin/households')
        .query({ q: '欧阳', village: '金米' })
        .set('Authorization', as(admin))
        .expect(200);
      expect(await countRows('personal_data_access_log')).toBe(before + 1);
      const [row] = await t.db.query(
        `SELECT action, household_id, detail, actor_role FROM personal_data_access_log ORDER BY at DESC LIMIT 1`,
      );
      expect(row).toEqual({
        action: 'household.search',
        household_id: null,
        detail: 'q=欧阳; village=金米; page=1',
        actor_role: 'platform_admin',
      });
    });
  });

  describe('detail and edit', () => {
    it('shows the history ordered by effective date and the current membership, and logs household.read', async () => {
      const h = await create({ statusEffectiveDate: '2016-03-01' });
      const coop = await insertCooperative(t, { name: '金米村木耳专业合作社' });
      await t.db.getRepository(Membership).insert({
        cooperativeId: coop.id,
        householdId: h.id,
        joinedAt: '2020-05-01',
        createdBy: admin.user.id,
      });
      await t.http
        .post(`/api/admin/households/${h.id}/status-events`)
        .set('Authorization', as(admin))
        .send({ status: 'lifted', effectiveDate: '2020-12-01', reason: '人均纯收入稳定超过标准' })
        .expect(201);
      await t.http
        .post(`/api/admin/households/${h.id}/status-events`)
        .set('Authorization', as(admin))
        .send({ status: 'monitored', effectiveDate: '2019-06-01', reason: '补录：2019 年纳入监测' })
        .expect(201);
      const before = await countRows('personal_data_access_log', h.id);
      const res = await t.http.get(`/api/admin/households/${h.id}`).set('Authorization', as(admin)).expect(200);
      const d = res.body as HouseholdDetail;
      expect(d.history.map((e) => [e.effectiveDate, e.status])).toEqual([
        ['2016-03-01', 'registered'],
        ['2019-06-01', 'monitored'],
        ['2020-12-01', 'lifted'],
      ]);
      expect(d.membership).toEqual({
        cooperativeId: coop.id,
        cooperativeName: '金米村木耳专业合作社',
        joinedAt: '2020-05-01',
      });
      expect(await countRows('personal_data_access_log', h.id)).toBe(before + 1);
      const [log] = await t.db.query(
        `SELECT action, actor_id FROM personal_data_access_log WHERE household_id = $1 ORDER BY at DESC LIMIT 1`,
        [h.id],
      );
      expect(log).toEqual({ action: 'household.read', actor_id: admin.user.id });
    });

    it('404 for an unknown or malformed id', async () => {
      await t.http
        .get('/api/admin/households/00000000-0000-4000-8000-000000000000')
        .set('Authorization', as(admin))
        .expect(404);
      const res = await t.http.get('/api/admin/households/not-a-uuid').set('Authorization', as(admin)).expect(404);
      expect(res.body.code).toBe('HOUSEHOLD_NOT_FOUND');
    });

    it('PATCH corrects particulars but ignores status, idNumber and other unexpected fields', async () => {
      const h = await create({ status: 'registered' });
      const res = await t.http
        .patch(`/api/admin/households/${h.id}`)
        .set('Authorization', as(admin))
        .send({
          headName: '王晓明',
          householdSize: 5,
          povertyCauses: ['disaster'],
          status: 'lifted',
          idNumber: testIdNumber(),
          price: 1,
        })
        .expect(200);
      expect(res.body).toMatchObject({
        headName: '王晓明',
        householdSize: 5,
        povertyCauses: ['disaster'],
        status: 'registered',
      });
      expect(res.body.idNumberMasked).toBe(h.idNumberMasked);
      expect(res.body.history).toHaveLength(1);
    });

    it('PATCH refuses bad values naming the field, and an empty body', async () => {
      const h = await create();
      const bad = await t.http
        .patch(`/api/admin/households/${h.id}`)
        .set('Authorization', as(admin))
        .send({ householdSize: 0 })
        .expect(400);
      expect(bad.body.errors[0].field).toBe('householdSize');
      const cause = await t.http
        .patch(`/api/admin/households/${h.id}`)
        .set('Authorization', as(admin))
        .send({ povertyCauses: ['bad luck'] })
        .expect(400);
      expect(cause.body.errors[0].field).toBe('povertyCauses.0');
      await t.http
        .patch(`/api/admin/households/${h.id}`)
        .set('Authorization', as(admin))
        .send({ status: 'lifted' })
        .expect(400);
    });
  });

  describe('status history', () => {
    it('appends events and never overwrites one: the cached status follows the latest effective date', async () => {
      const h = await create({ status: 'registered', statusEffectiveDate: '2016-03-01' });
      const post = (body: object) =>
        t.http.post(`/api/admin/households/${h.id}/status-events`).set('Authorization', as(admin)).send(body);

      const lifted = await post({ status: 'lifted', effectiveDate: '2020-12-01', reason: '脱贫验收通过' }).expect(201);
      expect(lifted.body.status).toBe('lifted');

      // A back-dated entry (recorded now, effective earlier) is history, not the current status.
      const backDated = await post({ status: 'monitored', effectiveDate: '2018-01-01', reason: '补录监测记录' }).expect(
        201,
      );
      expect(backDated.body.status).toBe('lifted');
      expect(backDated.body.history.map((e: { status: string }) => e.status)).toEqual([
        'registered',
        'monitored',
        'lifted',
      ]);

      const newer = await post({ status: 'monitored', effectiveDate: '2023-07-10', reason: '因病存在返贫风险' }).expect(
        201,
      );
      expect(newer.body.status).toBe('monitored');
      const [{ status }] = await t.db.query('SELECT status FROM households WHERE id = $1', [h.id]);
      expect(status).toBe('monitored');

      expect(await countRows('household_status_events', h.id)).toBe(4);
      const events = await t.db.query(
        `SELECT status, to_char(effective_date, 'YYYY-MM-DD') AS d, reason FROM household_status_events WHERE household_id = $1 ORDER BY effective_date`,
        [h.id],
      );
      expect(events).toEqual([
        { status: 'registered', d: '2016-03-01', reason: '识别为建档立卡户' },
        { status: 'monitored', d: '2018-01-01', reason: '补录监测记录' },
        { status: 'lifted', d: '2020-12-01', reason: '脱贫验收通过' },
        { status: 'monitored', d: '2023-07-10', reason: '因病存在返贫风险' },
      ]);
    });

    it('on the same effective date, the later record wins', async () => {
      const h = await create({ status: 'registered', statusEffectiveDate: '2016-03-01' });
      const res = await t.http
        .post(`/api/admin/households/${h.id}/status-events`)
        .set('Authorization', as(admin))
        .send({ status: 'none', effectiveDate: '2016-03-01', reason: '更正：识别有误' })
        .expect(201);
      expect(res.body.status).toBe('none');
    });

    it.each([
      ['reason', { status: 'lifted', effectiveDate: '2020-01-01' }],
      ['reason', { status: 'lifted', effectiveDate: '2020-01-01', reason: '  ' }],
      ['status', { status: 'rich', effectiveDate: '2020-01-01', reason: 'x' }],
      ['effectiveDate', { status: 'lifted', effectiveDate: '2020-13-01', reason: 'x' }],
      ['effectiveDate', { status: 'lifted', effectiveDate: '2999-01-01', reason: 'x' }],
    ])('refuses a status event without a valid %s (400, nothing written)', async (field, body) => {
      const h = await create();
      const res = await t.http
        .post(`/api/admin/households/${h.id}/status-events`)
        .set('Authorization', as(admin))
        .send(body)
        .expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await countRows('household_status_events', h.id)).toBe(1);
    });

    it('404 for a status event on an unknown household', async () => {
      await t.http
        .post('/api/admin/households/00000000-0000-4000-8000-000000000000/status-events')
        .set('Authorization', as(admin))
        .send({ status: 'lifted', effectiveDate: '2020-01-01', reason: 'x' })
        .expect(404);
    });
  });

  describe('access control: only platform admins touch the registry', () => {
    let h: HouseholdDetail;
    beforeAll(async () => {
      h = await create();
    });

    const routes = () =>
      [
        ['GET', '/api/admin/households', undefined],
        ['POST', '/api/admin/households/search', { q: '王' }],
        ['POST', '/api/admin/households', householdBody()],
        ['GET', `/api/admin/households/${h.id}`, undefined],
        ['PATCH', `/api/admin/households/${h.id}`, { householdSize: 2 }],
        [
          'POST',
          `/api/admin/households/${h.id}/status-events`,
          { status: 'lifted', effectiveDate: '2021-01-01', reason: 'x' },
        ],
        ['POST', '/api/admin/households/import', undefined],
        ['GET', '/api/admin/access-log', undefined],
      ] as const;

    const call = (method: string, url: string, body: object | undefined, token?: string) => {
      const r = method === 'GET' ? t.http.get(url) : method === 'PATCH' ? t.http.patch(url) : t.http.post(url);
      if (token) r.set('Authorization', `Bearer ${token}`);
      return body ? r.send(body) : r;
    };

    it('answers 403 to a coop_admin, host, auditor and buyer on every registry route, and changes nothing', async () => {
      const eventsBefore = await countRows('household_status_events');
      const householdsBefore = await countRows('households');
      for (const who of [coopAdmin, host, auditor, buyer]) {
        for (const [method, url, body] of routes()) {
          const res = await call(method, url, body, who.token);
          expect({ who: who.user.id, method, url, status: res.status }).toEqual({
            who: who.user.id,
            method,
            url,
            status: 403,
          });
        }
      }
      expect(await countRows('household_status_events')).toBe(eventsBefore);
      expect(await countRows('households')).toBe(householdsBefore);
      const [{ status }] = await t.db.query('SELECT status FROM households WHERE id = $1', [h.id]);
      expect(status).toBe('registered');
    });

    it('answers 401 to an anonymous caller on every registry route', async () => {
      for (const [method, url, body] of routes()) {
        const res = await call(method, url, body);
        expect({ method, url, status: res.status }).toEqual({ method, url, status: 401 });
      }
    });

    it('a coop_admin cannot change a status ("only the registry changes a status")', async () => {
      const res = await t.http
        .post(`/api/admin/households/${h.id}/status-events`)
        .set('Authorization', as(coopAdmin))
        .send({ status: 'lifted', effectiveDate: '2021-01-01', reason: '合作社想改' })
        .expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });
  });

  describe('access log', () => {
    it('is searchable by household, actor, action and date, with the actor name and the household name masked', async () => {
      const h = await create({ headName: '张桂兰' });
      await t.http.get(`/api/admin/households/${h.id}`).set('Authorization', as(admin)).expect(200);
      await t.http.get(`/api/admin/households/${h.id}`).set('Authorization', as(admin)).expect(200);

      const res = await t.http
        .get('/api/admin/access-log')
        .query({ householdId: h.id })
        .set('Authorization', as(admin))
        .expect(200);
      const page = res.body as Page<AccessLogEntry>;
      expect(page.items.map((e) => e.action)).toEqual(['household.read', 'household.read', 'household.create']);
      expect(page.items[0]).toMatchObject({
        actorId: admin.user.id,
        actorName: admin.user.displayName,
        actorRole: 'platform_admin',
        householdId: h.id,
        householdNameMasked: '张*兰',
      });
      expect(JSON.stringify(page)).not.toContain('张桂兰');

      const reads = await t.http
        .get('/api/admin/access-log')
        .query({ householdId: h.id, action: 'household.read', actorId: admin.user.id })
        .set('Authorization', as(admin))
        .expect(200);
      expect(reads.body.total).toBe(2);

      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
      const todays = await t.http
        .get('/api/admin/access-log')
        .query({ householdId: h.id, from: today, to: today })
        .set('Authorization', as(admin))
        .expect(200);
      expect(todays.body.total).toBe(3);
      const past = await t.http
        .get('/api/admin/access-log')
        .query({ householdId: h.id, to: '2020-01-01' })
        .set('Authorization', as(admin))
        .expect(200);
      expect(past.body.total).toBe(0);
    });

    it('refuses malformed filters with 400 naming the field', async () => {
      const res = await t.http
        .get('/api/admin/access-log')
        .query({ householdId: 'x', from: '2020-02-30' })
        .set('Authorization', as(admin))
        .expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['from', 'householdId']);
    });

    it('other features record reads through PersonalDataAccessService (inside their transaction)', async () => {
      const h = await create();
      const service = t.app.get(PersonalDataAccessService);
      await t.db.transaction((m) =>
        service.record(m, {
          actorId: coopAdmin.user.id,
          actorRole: 'coop_admin',
          householdId: h.id,
          action: 'member.read',
          detail: 'x'.repeat(300),
        }),
      );
      await expect(
        t.db.transaction(async (m) => {
          await service.record(m, {
            actorId: coopAdmin.user.id,
            actorRole: 'coop_admin',
            householdId: h.id,
            action: 'member.read',
            detail: 'rolled back',
          });
          throw new Error('the read failed');
        }),
      ).rejects.toThrow('the read failed');
      const res = await t.http
        .get('/api/admin/access-log')
        .query({ householdId: h.id, action: 'member.read' })
        .set('Authorization', as(admin))
        .expect(200);
      expect(res.body.items).toHaveLength(1);
      expect(res.body.items[0]).toMatchObject({ actorRole: 'coop_admin', actorName: coopAdmin.user.displayName });
      expect(res.body.items[0].detail).toHaveLength(200);
    });
  });
});
