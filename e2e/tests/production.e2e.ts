import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';

const root = resolve(__dirname, '../..');

/** Starts the built API with exactly this environment (plus PATH) and waits for it to exit. */
function startBuilt(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [resolve(root, 'dist/apps/api/main.js')], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

test.describe('the built product in production', () => {
  test('refuses to start without a real payment provider and names what is missing', async () => {
    // The configuration of finding 1: production secrets set, no STRIPE_* variables. Before the fix this started
    // and answered GET /api/payments/config with {"provider":"demo"}: any buyer could mark their order paid.
    const { code, output } = await startBuilt({
      NODE_ENV: 'production',
      JWT_SECRET: 'prod-secret-prod-secret-prod-secret-0123',
      PERSONAL_DATA_KEY: 'prod-personal-data-key-prod-personal-data',
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/never-reached',
    });
    expect(code).toBe(78); // EX_CONFIG, before any database or port is touched
    expect(output).toContain('STRIPE_SECRET_KEY: is required in production');
    expect(output).toContain('STRIPE_WEBHOOK_SECRET: is required in production');
    expect(output).toContain('STRIPE_PUBLISHABLE_KEY: is required in production');
  });
});
