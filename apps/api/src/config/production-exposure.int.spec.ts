import { apiDocsEnabled } from '../app.factory';
import { AppConfig, corsOrigins, DEV_CORS_ORIGINS, loadConfig } from './config';
import { createTestApp, TestApp } from '../../test/test-app';

/**
 * Issue 15, finding 8: production allowed CORS from localhost:4200 and :3000 by default, and served Swagger UI
 * and the OpenAPI document to anyone.
 */
describe('what production exposes by default', () => {
  it('CORS: the localhost defaults exist only outside production; production allows only what it is given', () => {
    expect(corsOrigins([], 'production')).toEqual([]);
    expect(corsOrigins(['https://xiangbo.example'], 'production')).toEqual(['https://xiangbo.example']);
    expect(corsOrigins([], 'development')).toEqual(DEV_CORS_ORIGINS);
    expect(corsOrigins(['https://a.example'], 'development')).toEqual(['https://a.example']);
    expect(loadConfig({ NODE_ENV: 'development' }).CORS_ORIGINS).toEqual(DEV_CORS_ORIGINS);
    expect(loadConfig({ NODE_ENV: 'test', CORS_ORIGINS: 'https://a.example, https://b.example' }).CORS_ORIGINS).toEqual(
      ['https://a.example', 'https://b.example'],
    );
  });

  it('API docs: on outside production, off in production unless API_DOCS=true', () => {
    const c = (over: Partial<AppConfig>) => ({ ...loadConfig({ NODE_ENV: 'test' }), ...over }) as AppConfig;
    expect(apiDocsEnabled(c({ NODE_ENV: 'development' }))).toBe(true);
    expect(apiDocsEnabled(c({ NODE_ENV: 'production' }))).toBe(false);
    expect(apiDocsEnabled(c({ NODE_ENV: 'production', API_DOCS: true }))).toBe(true);
    expect(apiDocsEnabled(c({ NODE_ENV: 'development', API_DOCS: false }))).toBe(false);
    expect(loadConfig({ API_DOCS: 'true' }).API_DOCS).toBe(true);
    expect(() => loadConfig({ API_DOCS: 'yes please' })).toThrow(/API_DOCS/);
  });

  describe('over HTTP', () => {
    let closed: TestApp;
    let open: TestApp;
    beforeAll(async () => {
      closed = await createTestApp({ API_DOCS: 'false', CORS_ORIGINS: 'https://xiangbo.example' });
      open = await createTestApp();
    });
    afterAll(async () => {
      await closed.close();
      await open.close();
    });

    it('docs off: GET /api/docs and the OpenAPI document answer 404; on: they are served', async () => {
      await closed.http.get('/api/docs/openapi.json').expect(404);
      await closed.http.get('/api/docs').expect(404);
      const doc = await open.http.get('/api/docs/openapi.json').expect(200);
      expect(doc.body.info.title).toMatch(/Xiangbo/);
    });

    it('a page on localhost:4200 gets no CORS grant from a server configured for its own origin only', async () => {
      const foreign = await closed.http.get('/api/health').set('Origin', 'http://localhost:4200').set('Cookie', 'x=1');
      expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
      const preflight = await closed.http
        .options('/api/auth/sign-in')
        .set('Origin', 'http://localhost:3000')
        .set('Access-Control-Request-Method', 'POST');
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      const own = await closed.http.get('/api/health').set('Origin', 'https://xiangbo.example');
      expect(own.headers['access-control-allow-origin']).toBe('https://xiangbo.example');
      expect(own.headers['access-control-allow-credentials']).toBe('true');
    });
  });
});
