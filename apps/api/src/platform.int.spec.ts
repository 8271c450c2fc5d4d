import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { PATH_METADATA } from '@nestjs/common/constants';
import { ACCESS_KEY } from './common/access.decorators';
import { pendingSchemaChanges } from './database/migrate';
import { AuthService } from './auth/auth.service';
import { createTestApp, TestApp } from '../test/test-app';

describe('platform (real Nest app, real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('entities and migrations agree (a missing migration fails here)', async () => {
    expect(await pendingSchemaChanges(t.databaseUrl)).toEqual([]);
  });

  it('GET /api/health reports the database (and Redis when configured)', async () => {
    const res = await t.http.get('/api/health').expect(200);
    expect(res.body).toEqual({ status: 'ok', database: 'up', redis: process.env.REDIS_URL ? 'up' : 'not configured' });
  });

  it('every route declares who may call it (deny by default)', () => {
    const discovery = new DiscoveryService(t.app.get(ModulesContainer));
    const scanner = new MetadataScanner();
    const reflector = new Reflector();
    const missing: string[] = [];
    let routes = 0;
    for (const wrapper of discovery.getControllers()) {
      const instance = wrapper.instance as object | undefined;
      if (!instance) continue;
      const proto = Object.getPrototypeOf(instance);
      for (const name of scanner.getAllMethodNames(proto)) {
        const handler = proto[name];
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        routes++;
        if (!reflector.getAllAndOverride(ACCESS_KEY, [handler, wrapper.metatype as object]))
          missing.push(`${wrapper.name}.${name}`);
      }
    }
    expect(routes).toBeGreaterThan(5);
    expect(missing).toEqual([]);
  });

  it('sends security headers and a request id', async () => {
    const res = await t.http.get('/api/health').set('X-Request-Id', 'abc-123');
    expect(res.headers['x-request-id']).toBe('abc-123');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('allows CORS only for configured origins', async () => {
    const ok = await t.http.get('/api/health').set('Origin', 'http://localhost:4200');
    expect(ok.headers['access-control-allow-origin']).toBe('http://localhost:4200');
    const foreign = await t.http.get('/api/health').set('Origin', 'https://evil.example');
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves the OpenAPI document', async () => {
    const res = await t.http.get('/api/docs/openapi.json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/auth/register', '/api/health']));
  });

  it('unknown API routes are a JSON 404', async () => {
    const res = await t.http.get('/api/nope').expect(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });

  it('the first platform admin comes from configuration/CLI, idempotently', async () => {
    const auth = t.app.get(AuthService);
    expect(await auth.ensurePlatformAdmin('Root@Xiangbo.test', 'a long admin password')).toEqual({ created: true });
    expect(await auth.ensurePlatformAdmin('root@xiangbo.test', 'a long admin password')).toEqual({ created: false });
    const res = await t.http
      .post('/api/auth/sign-in')
      .send({ identifier: 'root@xiangbo.test', password: 'a long admin password' })
      .expect(200);
    expect(res.body.user.roles).toEqual(
      expect.arrayContaining([expect.objectContaining({ role: 'platform_admin', cooperativeId: null })]),
    );
  });
});
