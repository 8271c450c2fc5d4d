import type { ChildProcess } from 'node:child_process';
import { Client } from 'pg';

/** What the benches that start the built API share: one SQL statement on the server, a database URL, readiness. */

/** Runs one statement (CREATE/DROP DATABASE) on the server of `serverUrl`. */
export async function admin(serverUrl: string, sql: string): Promise<void> {
  const c = new Client({ connectionString: serverUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** `serverUrl` pointed at another database of the same server. */
export function withDatabase(serverUrl: string, name: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Waits until `base`/api/health answers 200; fails when the child exits first or after `timeoutMs`. */
export async function waitForHealth(base: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the API exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the API did not become healthy within ${timeoutMs / 1000} s`);
}
