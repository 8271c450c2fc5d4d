import type { AuthResponse } from '@xiangbo/contracts';
import {
  createTestApp,
  insertCooperative,
  registerUser,
  TestApp,
  uniqueEmail,
  userWithRoles,
} from '../../test/test-app';

const cookieValue = (setCookie: string[] | string | undefined) =>
  ([] as string[])
    .concat(setCookie ?? [])
    .find((c) => c.startsWith('xb_refresh='))
    ?.split(';')[0];

describe('identity over HTTP (real Nest app, real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ SIGNIN_MAX_PER_ACCOUNT: '3', SIGNIN_MAX_PER_IP: '1000' });
  });
  afterAll(() => t.close());

  describe('register', () => {
    it('creates a buyer, returns an access token and sets an httpOnly refresh cookie', async () => {
      const email = uniqueEmail();
      const res = await t.http
        .post('/api/auth/register')
        .send({ email: email.toUpperCase(), password: 'long enough pw', displayName: '王小明' })
        .expect(201);
      const body = res.body as AuthResponse;
      expect(body.user.email).toBe(email);
      expect(body.user.roles).toEqual([{ role: 'buyer', cooperativeId: null, cooperativeName: null }]);
      const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('xb_refresh='));
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Strict/i);
      expect(cookie).toMatch(/Path=\/api\/auth/);
      const stored = await t.db.query('SELECT password_hash FROM users WHERE email = $1', [email]);
      expect(stored[0].password_hash).toMatch(/^\$argon2id\$/);
    });

    it('registers with a mobile number alone', async () => {
      const mobile = `139${String(Date.now()).slice(-8)}`;
      const res = await t.http
        .post('/api/auth/register')
        .send({ mobile, password: 'long enough pw', displayName: '李梅' })
        .expect(201);
      expect(res.body.user.mobile).toBe(mobile);
      await t.http.post('/api/auth/sign-in').send({ identifier: mobile, password: 'long enough pw' }).expect(200);
    });

    it('refuses a taken e-mail with 409 IDENTIFIER_TAKEN and writes nothing', async () => {
      const u = await registerUser(t);
      const before = await t.db.query('SELECT count(*)::int AS n FROM users');
      const res = await t.http
        .post('/api/auth/register')
        .send({ email: u.email, password: 'another password', displayName: 'x' })
        .expect(409);
      expect(res.body.code).toBe('IDENTIFIER_TAKEN');
      const after = await t.db.query('SELECT count(*)::int AS n FROM users');
      expect(after[0].n).toBe(before[0].n);
    });

    it('answers a malformed body with 400 naming each bad field', async () => {
      const res = await t.http
        .post('/api/auth/register')
        .send({ email: 'not-an-email', password: 'short', displayName: '' })
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'displayName',
        'email',
        'password',
      ]);
      expect(res.body.message).toContain('password');
    });

    it('answers invalid JSON with 400 MALFORMED_BODY, never a 500', async () => {
      const res = await t.http
        .post('/api/auth/register')
        .set('Content-Type', 'application/json')
        .send('{"email": ')
        .expect(400);
      expect(res.body.code).toBe('MALFORMED_BODY');
    });

    it('ignores fields it does not know (no role can be self-assigned)', async () => {
      const email = uniqueEmail();
      const res = await t.http
        .post('/api/auth/register')
        .send({
          email,
          password: 'long enough pw',
          displayName: 'x',
          roles: [{ role: 'platform_admin', cooperativeId: null }],
        })
        .expect(201);
      expect(res.body.user.roles).toEqual([{ role: 'buyer', cooperativeId: null, cooperativeName: null }]);
    });
  });

  describe('sign in', () => {
    it('signs in by e-mail, case-insensitively', async () => {
      const u = await registerUser(t);
      const res = await t.http
        .post('/api/auth/sign-in')
        .send({ identifier: u.email.toUpperCase(), password: u.password })
        .expect(200);
      expect(res.body.user.id).toBe(u.user.id);
      await t.http.get('/api/auth/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
    });

    it('does not say whether the account or the password was wrong', async () => {
      const u = await registerUser(t);
      const a = await t.http
        .post('/api/auth/sign-in')
        .send({ identifier: u.email, password: 'wrong password' })
        .expect(401);
      const b = await t.http
        .post('/api/auth/sign-in')
        .send({ identifier: uniqueEmail('nobody'), password: 'wrong password' })
        .expect(401);
      expect(a.body.code).toBe('INVALID_CREDENTIALS');
      expect(b.body.message).toBe(a.body.message);
    });

    it('locks an account after repeated failures, even for the right password, with Retry-After', async () => {
      const u = await registerUser(t);
      for (let i = 0; i < 3; i++)
        await t.http
          .post('/api/auth/sign-in')
          .send({ identifier: u.email, password: 'guess' + i })
          .expect(401);
      const res = await t.http
        .post('/api/auth/sign-in')
        .send({ identifier: u.email, password: u.password })
        .expect(429);
      expect(res.body.code).toBe('RATE_LIMITED');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      // another account from the same IP is unaffected
      const other = await registerUser(t);
      await t.http.post('/api/auth/sign-in').send({ identifier: other.email, password: other.password }).expect(200);
    });
  });

  describe('refresh tokens', () => {
    it('rotates: each refresh returns a new access token and a new cookie', async () => {
      const u = await registerUser(t);
      const first = cookieValue(u.cookie)!;
      const res = await t.http.post('/api/auth/refresh').set('Cookie', first).expect(200);
      const second = cookieValue(res.headers['set-cookie'] as unknown as string[]);
      expect(second).toBeDefined();
      expect(second).not.toBe(first);
      await t.http.get('/api/auth/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
    });

    it('a refresh token used twice revokes the whole family', async () => {
      const u = await registerUser(t);
      const first = cookieValue(u.cookie)!;
      const rotated = await t.http.post('/api/auth/refresh').set('Cookie', first).expect(200);
      const second = cookieValue(rotated.headers['set-cookie'] as unknown as string[])!;
      const replay = await t.http.post('/api/auth/refresh').set('Cookie', first).expect(401);
      expect(replay.body.code).toBe('REFRESH_TOKEN_REUSED');
      // the legitimate newer token is dead too
      const after = await t.http.post('/api/auth/refresh').set('Cookie', second).expect(401);
      expect(after.body.code).toBe('REFRESH_TOKEN_REUSED');
    });

    it('a concurrent double refresh issues one new token, not two', async () => {
      const u = await registerUser(t);
      const first = cookieValue(u.cookie)!;
      const results = await Promise.all([0, 1].map(() => t.http.post('/api/auth/refresh').set('Cookie', first)));
      expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
    });

    it('refuses no cookie and a forged cookie', async () => {
      expect((await t.http.post('/api/auth/refresh').expect(401)).body.code).toBe('REFRESH_TOKEN_INVALID');
      await t.http.post('/api/auth/refresh').set('Cookie', 'xb_refresh=forged').expect(401);
    });

    it('sign out revokes the session and clears the cookie', async () => {
      const u = await registerUser(t);
      const first = cookieValue(u.cookie)!;
      const out = await t.http.post('/api/auth/sign-out').set('Cookie', first).expect(204);
      expect(([] as string[]).concat(out.headers['set-cookie'] ?? []).join()).toMatch(/xb_refresh=;/);
      await t.http.post('/api/auth/refresh').set('Cookie', first).expect(401);
    });
  });

  describe('access control', () => {
    it('401 without a token, with a tampered token, or with a token signed by another key', async () => {
      await t.http.get('/api/auth/me').expect(401);
      const u = await registerUser(t);
      const [h, p] = u.token.split('.');
      await t.http.get('/api/auth/me').set('Authorization', `Bearer ${h}.${p}.AAAA`).expect(401);
      const forgedPayload = Buffer.from(JSON.stringify({ sub: u.user.id, typ: 'access', exp: 9999999999 })).toString(
        'base64url',
      );
      await t.http
        .get('/api/auth/me')
        .set('Authorization', `Bearer ${h}.${forgedPayload}.${u.token.split('.')[2]}`)
        .expect(401);
    });

    it('403 for a signed-in user without the role; 200 for a platform admin', async () => {
      const buyer = await registerUser(t);
      const res = await t.http.get('/api/admin/users').set('Authorization', `Bearer ${buyer.token}`).expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
      const coop = await insertCooperative(t);
      const coopAdmin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: coop.id }]);
      await t.http.get('/api/admin/users').set('Authorization', `Bearer ${coopAdmin.token}`).expect(403);
      const admin = await userWithRoles(t, [{ role: 'platform_admin' }]);
      const ok = await t.http
        .get(`/api/admin/users?q=${encodeURIComponent(buyer.email)}`)
        .set('Authorization', `Bearer ${admin.token}`)
        .expect(200);
      expect(ok.body.items.map((x: { id: string }) => x.id)).toEqual([buyer.user.id]);
    });

    it('reports per-cooperative roles in /me', async () => {
      const coop = (await insertCooperative(t)).id;
      const u = await userWithRoles(t, [{ role: 'host', cooperativeId: coop }]);
      const me = await t.http.get('/api/auth/me').set('Authorization', `Bearer ${u.token}`).expect(200);
      expect(me.body.roles).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            role: 'host',
            cooperativeId: coop,
            cooperativeName: expect.stringContaining('测试合作社'),
          }),
        ]),
      );
    });
  });
});
