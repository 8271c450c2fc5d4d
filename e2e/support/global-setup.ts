import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';

const root = resolve(__dirname, '../..');

const freePort = () =>
  new Promise<number>((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });

/**
 * Starts the built product exactly as `npm start` runs it (node dist/apps/api/main.js, storefront served at "/"),
 * on a fresh database: a new database on DATABASE_URL's server, or an embedded PostgreSQL in a temp folder.
 */
export default async function globalSetup() {
  const main = join(root, 'dist/apps/api/main.js');
  if (!existsSync(main) || !existsSync(join(root, 'dist/apps/storefront/index.html'))) {
    throw new Error('e2e needs the built product: run `npm run build` first (npm test does)');
  }
  const work = mkdtempSync(join(tmpdir(), 'xb-e2e-'));
  chmodSync(work, 0o755);
  const port = await freePort();
  const rtmpPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // As `npm start` runs it (development: 演示支付 is the payment provider; production refuses to start without
    // Stripe, which tests/production.e2e.ts and `npm run smoke:prod` check).
    NODE_ENV: 'development',
    PORT: String(port),
    HOST: '127.0.0.1',
    SEED_DEMO: 'true',
    LOG_LEVEL: 'warn',
    JWT_SECRET: 'e2e-secret-e2e-secret-e2e-secret-e2e-0123',
    PERSONAL_DATA_KEY: 'e2e-personal-data-key-e2e-personal-data',
    COOKIE_SECURE: 'false',
    CORS_ORIGINS: `http://127.0.0.1:${port}`,
    STOREFRONT_DIR: join(root, 'dist/apps/storefront'),
    UPLOADS_DIR: join(work, 'uploads'),
    EMBEDDED_PG_DIR: join(work, 'pg'),
    EMBEDDED_PG_PORT: String(await freePort()),
    // Live video: the embedded RTMP server on a port of this run's own; tests publish with ffmpeg.
    MEDIA_SERVER: 'embedded',
    MEDIA_BIND: '127.0.0.1',
    RTMP_PORT: String(rtmpPort),
    MEDIA_DIR: join(work, 'media'),
  };
  let dbName: string | undefined;
  if (process.env.DATABASE_URL) {
    dbName = `xbe2e_${Date.now().toString(36)}_${process.pid}`;
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = `/${dbName}`;
    env.DATABASE_URL = u.toString();
  }
  const child = spawn(process.execPath, [main], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: false });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the product exited during start-up:\n${output}`);
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`the product did not become healthy in 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  process.env.XB_E2E_BASE_URL = baseUrl;
  process.env.XB_E2E_RTMP_URL = `rtmp://127.0.0.1:${rtmpPort}/live`;

  // Playwright calls the returned function as the global teardown.
  return async () => {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
    if (dbName && process.env.DATABASE_URL) {
      const admin = new Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    }
    rmSync(work, { recursive: true, force: true });
  };
}
