import { createTestApp, registerUser, TestApp } from '../../test/test-app';

/**
 * Issue 15, finding 3: the per-account limit used to be read, then written after the password check, so 60
 * simultaneous guesses were all checked. Each attempt now takes its place in one atomic upsert first.
 */
describe('sign-in limit under parallel guessing (real Nest app, real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ SIGNIN_MAX_PER_ACCOUNT: '10', SIGNIN_MAX_PER_IP: '100000' });
  });
  afterAll(() => t.close());

  it('60 simultaneous wrong passwords against one account: at most 10 are checked (401), the rest 429', async () => {
    const victim = await registerUser(t);
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        t.http.post('/api/auth/sign-in').send({ identifier: victim.email, password: `guess number ${i}` }),
      ),
    );
    const statuses = answers.map((r) => r.status);
    const checked = statuses.filter((s) => s === 401).length;
    const limited = answers.filter((r) => r.status === 429);
    expect(checked + limited.length).toBe(60); // nothing else (no 500, no 200)
    expect(checked).toBeLessThanOrEqual(10);
    expect(checked).toBeGreaterThan(0);
    expect(limited.length).toBeGreaterThanOrEqual(50);
    for (const r of limited) {
      expect(r.body.code).toBe('RATE_LIMITED');
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    }
    // The account is now locked even for its owner's right password, and the lock is per account.
    await t.http.post('/api/auth/sign-in').send({ identifier: victim.email, password: victim.password }).expect(429);
    const other = await registerUser(t);
    await t.http.post('/api/auth/sign-in').send({ identifier: other.email, password: other.password }).expect(200);
  });

  it('spelling the identifier differently (case, spaces) does not open a second counter', async () => {
    const victim = await registerUser(t);
    const spellings = [victim.email, victim.email.toUpperCase(), `  ${victim.email}  `];
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        t.http.post('/api/auth/sign-in').send({ identifier: spellings[i % 3], password: `guess ${i}` }),
      ),
    );
    expect(answers.filter((r) => r.status === 401).length).toBeLessThanOrEqual(10);
    expect(answers.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(20);
  });

  it('fewer failures than the limit leave the owner able to sign in, and success clears the count', async () => {
    const u = await registerUser(t);
    await Promise.all(
      Array.from({ length: 9 }, (_, i) =>
        t.http
          .post('/api/auth/sign-in')
          .send({ identifier: u.email, password: `nope ${i}` })
          .expect(401),
      ),
    );
    await t.http.post('/api/auth/sign-in').send({ identifier: u.email, password: u.password }).expect(200);
    // cleared: another 10 wrong guesses are checked before the lock
    for (let i = 0; i < 10; i++)
      await t.http
        .post('/api/auth/sign-in')
        .send({ identifier: u.email, password: `again ${i}` })
        .expect(401);
    await t.http.post('/api/auth/sign-in').send({ identifier: u.email, password: 'again 10' }).expect(429);
  });
});
