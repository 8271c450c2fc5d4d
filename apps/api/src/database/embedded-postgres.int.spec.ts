import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from './embedded-postgres';

jest.setTimeout(180_000);

const ROOT = resolve(__dirname, '../../../..');

/** Starts the embedded server as `npm start` does, in a child process; resolves with its one-line outcome. */
function probe(dir: string, port: number): Promise<{ child: ChildProcess; out: Record<string, unknown> }> {
  const child = spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      'apps/api/test/embedded-postgres-probe.ts',
      dir,
      String(port),
    ],
    {
      cwd: ROOT,
      env: { ...process.env, TS_NODE_PROJECT: 'apps/api/tsconfig.spec.json' },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  return new Promise((ok, fail) => {
    if (!child.stdout) return fail(new Error('the probe has no standard output'));
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (l) => ok({ child, out: JSON.parse(l) }));
    child.once('exit', (code) => fail(new Error(`probe exited with ${code} before answering`)));
  });
}

/**
 * Issue 15, finding 8: a second `npm start` on the same machine (another checkout) died printing only
 * `undefined`, because the embedded PostgreSQL's port was taken. It now takes a free port, and a server that
 * still cannot start says why in one line.
 */
describe('embedded PostgreSQL when its port or its data folder is in use', () => {
  const work = mkdtempSync(join(tmpdir(), 'xb-embedded-pg-'));
  chmodSync(work, 0o755); // as root the server runs as the postgres user
  let blocker: Server;
  let blockedPort: number;
  let first: ChildProcess | undefined;

  beforeAll(async () => {
    blockedPort = await freePort();
    blocker = createServer();
    await new Promise<void>((r) => blocker.listen(blockedPort, '127.0.0.1', () => r()));
  });
  afterAll(async () => {
    const child = first;
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin?.end();
      await exited;
    }
    await new Promise((r) => blocker.close(r));
    rmSync(work, { recursive: true, force: true });
  });

  it('the port is taken by someone else: starts on a free port, says so, and answers queries', async () => {
    const { child, out } = await probe(join(work, 'a'), blockedPort);
    first = child;
    expect(out).toMatchObject({ ok: true, db: 'xiangbo' });
    expect(out.port).not.toBe(blockedPort);
    expect(out.changes).toEqual([[blockedPort, out.port]]);
    expect(out.url).toBe(`postgres://postgres:postgres@127.0.0.1:${out.port}/xiangbo`);
  });

  it('a second server on the same data folder fails with one line naming the folder and the reason', async () => {
    expect(first).toBeDefined();
    const { out } = await probe(join(work, 'a'), await freePort());
    expect(out.ok).toBe(false);
    const message = String(out.message);
    expect(message).not.toMatch(/undefined/);
    expect(message).not.toContain('\n');
    expect(message).toContain(join(work, 'a'));
    expect(message).toMatch(/^embedded PostgreSQL did not start on port \d+ \(data in .+\): \S/);
  });
});
