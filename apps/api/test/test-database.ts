import { Client } from 'pg';

/** Where the per-run test databases live; set by global-setup for every worker. */
export function testServerUrl(): string {
  const url = process.env.XB_TEST_SERVER_URL;
  if (!url) throw new Error('XB_TEST_SERVER_URL is not set: run the API tests through jest (global-setup)');
  return url;
}

export function databaseUrl(name: string): string {
  const u = new URL(testServerUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

export async function adminQuery(sql: string, params: unknown[] = []) {
  const c = new Client({ connectionString: testServerUrl() });
  await c.connect();
  try {
    return await c.query(sql, params);
  } finally {
    await c.end();
  }
}

/** A fresh database for one test file, cloned from the run's migrated template. */
export async function createTestDatabase(): Promise<string> {
  const name = `${process.env.XB_TEST_RUN_PREFIX}_${Math.random().toString(36).slice(2, 10)}`;
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${process.env.XB_TEST_TEMPLATE_DB}`);
  return databaseUrl(name);
}
