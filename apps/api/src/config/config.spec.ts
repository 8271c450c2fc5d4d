import { ConfigError, describeConfig, loadConfig } from './config';

describe('loadConfig', () => {
  it('has working defaults for the zero-config start', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.JWT_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(c.CORS_ORIGINS).toContain('http://localhost:4200');
    expect(c.CATALOG_CACHE_TTL_MS).toBe(2000);
    expect(c.MEDIA_SERVER).toBe('embedded');
  });

  it('names every malformed variable', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', CORS_ORIGINS: 'not a url', CATALOG_CACHE_TTL_MS: '1.5' });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const msg = (e as Error).message;
      expect(msg).toContain('PORT');
      expect(msg).toContain('DATABASE_URL');
      expect(msg).toContain('CORS_ORIGINS');
      expect(msg).toContain('CATALOG_CACHE_TTL_MS');
    }
  });

  it('requires a JWT secret in production and both admin variables together', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(() => loadConfig({ ADMIN_EMAIL: 'a@b.cn' })).toThrow(/ADMIN_EMAIL/);
  });

  it('never shows secrets in the logged description', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u:pw@h/db', JWT_SECRET: 'x'.repeat(40) });
    const d = describeConfig(c);
    expect(d.DATABASE_URL).toBe('***');
    expect(d.JWT_SECRET).toBe('***');
  });
});
