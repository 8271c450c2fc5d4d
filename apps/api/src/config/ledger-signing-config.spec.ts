import { generateKeyPairSync } from 'node:crypto';
import { ConfigError, describeConfig, loadConfig } from './config';

const pem = (type: 'ed25519' | 'ed448') =>
  generateKeyPairSync(type as 'ed25519')
    .privateKey.export({ format: 'pem', type: 'pkcs8' })
    .toString();

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env as NodeJS.ProcessEnv);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
}

describe('the key that signs published ledger chain heads', () => {
  it('production refuses to start without it, naming LEDGER_SIGNING_KEY', () => {
    expect(problems({ NODE_ENV: 'production' })).toContainEqual(
      expect.stringMatching(/^LEDGER_SIGNING_KEY: is required/),
    );
    expect(problems({ NODE_ENV: 'production', LEDGER_SIGNING_KEY: pem('ed25519') }).join()).not.toMatch(/LEDGER/);
    expect(problems({ NODE_ENV: 'development' })).toEqual([]); // generated and kept in LEDGER_SIGNING_KEY_FILE
  });

  it('accepts only an Ed25519 PKCS#8 PEM (newlines may be written as \\n), and never logs it', () => {
    expect(problems({ LEDGER_SIGNING_KEY: 'not a key' })).toEqual([
      expect.stringMatching(/^LEDGER_SIGNING_KEY: must be an Ed25519/),
    ]);
    expect(problems({ LEDGER_SIGNING_KEY: pem('ed448') })).toEqual([
      expect.stringMatching(/^LEDGER_SIGNING_KEY: must be an Ed25519/),
    ]);
    const key = pem('ed25519');
    const c = loadConfig({ LEDGER_SIGNING_KEY: key.replace(/\n/g, '\\n') });
    expect(c.LEDGER_SIGNING_KEY).toBe(key);
    expect(describeConfig(c).LEDGER_SIGNING_KEY).toBe('***');
  });
});
