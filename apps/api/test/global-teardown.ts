import { adminQuery } from './test-database';

export default async function globalTeardown() {
  const prefix = process.env.XB_TEST_RUN_PREFIX;
  if (prefix) {
    const { rows } = await adminQuery(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${prefix}%`]);
    for (const r of rows) await adminQuery(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
  }
  const embedded = (globalThis as { __xbEmbedded?: { stop(): Promise<void> } }).__xbEmbedded;
  await embedded?.stop();
}
