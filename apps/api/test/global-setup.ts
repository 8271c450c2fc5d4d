import { chmodSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { runMigrations } from '../src/database/migrate';
import { adminQuery, databaseUrl } from './test-database';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

/**
 * DATABASE_URL (CI: the machine's PostgreSQL) or, when unset, an embedded PostgreSQL in a temp folder.
 * Creates one migrated template database for this run; each test file clones it, so runs and files never collide.
 */
export default async function globalSetup() {
  const runId = `xbt_${Date.now().toString(36)}_${process.pid}`;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'xb-test-pg-'));
    chmodSync(dir, 0o755); // the server runs as the postgres user
    const embedded = await startEmbeddedPostgres({
      dir: join(dir, 'data'),
      port: await freePort(),
      database: 'postgres',
    });
    (globalThis as { __xbEmbedded?: unknown }).__xbEmbedded = embedded;
    serverUrl = embedded.url;
  }
  process.env.XB_TEST_SERVER_URL = serverUrl;
  process.env.XB_TEST_RUN_PREFIX = runId;
  process.env.XB_TEST_TEMPLATE_DB = `${runId}_tpl`;
  await adminQuery(`CREATE DATABASE ${runId}_tpl`);
  await runMigrations(databaseUrl(`${runId}_tpl`));
}
