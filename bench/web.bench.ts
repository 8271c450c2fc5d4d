/**
 * Storefront on a phone (not part of the tests):  npm run bench:web
 *
 * 1. `npm run build` (skipped with BENCH_SKIP_BUILD=1, e.g. to measure a copy of an older build);
 * 2. the BUILT product (dist/apps/api/main.js serving dist/apps/storefront) starts in a child process on a fresh
 *    database (on DATABASE_URL's server, or an embedded PostgreSQL when it is unset) with the demo data;
 * 3. Lighthouse 12 (the npm package; mobile emulation and its default simulated 4G/CPU throttling) on Debian's
 *    Chromium runs on home, a product page, a live room and a cooperative's transparency page;
 * 4. prints LCP, TBT, CLS, the performance score and the JavaScript transferred per page (median of BENCH_RUNS),
 *    and, from plain HTTP, how the scripts and index.html are served (Content-Encoding, Cache-Control).
 *
 * Lighthouse's simulated throttling still runs the page on this machine's CPU: TBT grows with the load average
 * (printed before and after). Run it under `flock /tmp/bench.lock npm run bench:web` on a shared machine.
 *
 * Environment: BENCH_RUNS (1), BENCH_PORT (3292), CHROME_PATH (/usr/bin/chromium), BENCH_SKIP_BUILD=1,
 * BENCH_STOREFRONT_DIR / BENCH_API_MAIN (measure another build, e.g. a copy of an older one),
 * BENCH_OUT (a folder to keep the Lighthouse JSON reports in), BENCH_KEEP=1 keeps the database.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { get as httpGet } from 'node:http';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../apps/api/src/database/embedded-postgres';
import { admin, waitForHealth, withDatabase } from './bench-server';

const env = process.env;
const RUNS = Math.max(1, Number(env.BENCH_RUNS ?? 1));
const PORT = Number(env.BENCH_PORT ?? 3292);
const CHROME = env.CHROME_PATH ?? '/usr/bin/chromium';
const MAIN = resolve(env.BENCH_API_MAIN ?? 'dist/apps/api/main.js');
const STOREFRONT = resolve(env.BENCH_STOREFRONT_DIR ?? 'dist/apps/storefront');
const DEMO_HOST = 'jinmi.host@xiangbo.demo';
const DEMO_PASSWORD = 'Xiangbo-demo-2026';
const LIGHTHOUSE = resolve('node_modules/lighthouse/cli/index.js');

interface Figures {
  lcpMs: number;
  tbtMs: number;
  cls: number;
  score: number;
  jsKb: number;
  totalKb: number;
}

async function json<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/**
 * The pages to measure, from the demo data: the first product, a live room (the demo's scheduled show, put on air
 * by its host as the host console would; without a media server its video is off) and its cooperative.
 */
async function pages(base: string): Promise<{ name: string; url: string }[]> {
  const products = await json<{ items: { id: string }[] }>(`${base}/api/products?page=1&pageSize=1`);
  const shows = await json<{ items: { id: string; status: string; cooperative: { id: string } }[] }>(
    `${base}/api/shows?status=scheduled`,
  );
  const show = shows.items[0];
  if (!products.items[0] || !show) throw new Error('the demo data has no product or scheduled show');
  const signIn = await fetch(`${base}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identifier: DEMO_HOST, password: DEMO_PASSWORD }),
  });
  if (!signIn.ok) throw new Error(`sign-in as ${DEMO_HOST}: HTTP ${signIn.status}`);
  const { accessToken } = (await signIn.json()) as { accessToken: string };
  const start = await fetch(`${base}/api/console/shows/${show.id}/start`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}` },
  });
  if (!start.ok) throw new Error(`starting the demo show: HTTP ${start.status} ${await start.text()}`);
  return [
    { name: 'home', url: `${base}/` },
    { name: 'product', url: `${base}/products/${products.items[0].id}` },
    { name: 'live room', url: `${base}/live/${show.id}` },
    { name: 'transparency', url: `${base}/cooperatives/${show.cooperative.id}/transparency` },
  ];
}

/** One Lighthouse run; a run that fails (a DevTools timeout happens on a loaded machine) is tried twice more. */
function lighthouse(url: string, out: string, attempt = 1): Figures {
  try {
    return lighthouseOnce(url, out);
  } catch (e) {
    if (attempt >= 3) throw e;
    console.error(`  (Lighthouse failed on ${url}, attempt ${attempt}; trying again)`);
    return lighthouse(url, out, attempt + 1);
  }
}

function lighthouseOnce(url: string, out: string): Figures {
  execFileSync(
    process.execPath,
    [
      LIGHTHOUSE,
      url,
      '--only-categories=performance',
      '--output=json',
      `--output-path=${out}`,
      '--quiet',
      '--chrome-flags=--headless=new --no-sandbox --disable-gpu',
    ],
    { env: { ...env, CHROME_PATH: CHROME }, stdio: ['ignore', 'ignore', 'inherit'], timeout: 180_000 },
  );
  const lhr = JSON.parse(readFileSync(out, 'utf8')) as {
    runtimeError?: { message: string };
    categories: { performance: { score: number | null } };
    audits: Record<string, { numericValue?: number; details?: { items?: Record<string, unknown>[] } }>;
  };
  if (lhr.runtimeError) throw new Error(`Lighthouse on ${url}: ${lhr.runtimeError.message}`);
  const requests = (lhr.audits['network-requests']?.details?.items ?? []) as {
    resourceType?: string;
    transferSize?: number;
  }[];
  const sum = (rs: typeof requests) => rs.reduce((n, r) => n + (r.transferSize ?? 0), 0) / 1024;
  return {
    lcpMs: lhr.audits['largest-contentful-paint'].numericValue ?? NaN,
    tbtMs: lhr.audits['total-blocking-time'].numericValue ?? NaN,
    cls: lhr.audits['cumulative-layout-shift'].numericValue ?? NaN,
    score: Math.round((lhr.categories.performance.score ?? 0) * 100),
    jsKb: sum(requests.filter((r) => r.resourceType === 'Script')),
    totalKb: sum(requests),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** How index.html and the scripts it loads first are served to a browser that accepts br and gzip. */
async function headers(base: string): Promise<string[]> {
  const lines: string[] = [];
  const show = (path: string, res: Response, bytes: number) =>
    lines.push(
      `  ${path.padEnd(44)} ${String(res.headers.get('content-encoding') ?? 'identity').padEnd(9)} ` +
        `${String(bytes).padStart(8)} B  ${res.headers.get('cache-control') ?? '-'}`,
    );
  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`, { headers: { 'accept-encoding': 'br, gzip', accept: 'text/html,*/*' } });
    // fetch decodes the body; the bytes on the wire are Content-Length when the server sets it.
    const body = await res.arrayBuffer();
    show(path, res, Number(res.headers.get('content-length') ?? body.byteLength));
    return new TextDecoder().decode(body);
  };
  const html = await get('/');
  for (const m of html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)) await get(m[1]);
  return lines;
}

/** One GET on a fresh connection (a pooled keep-alive socket may have been closed by the server meanwhile). */
function warm(url: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    httpGet(url, { agent: false, headers: { accept: 'text/html' } }, (res) => {
      res.resume();
      res.on('end', () => resolvePromise());
    }).on('error', reject);
  });
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main() {
  if (!env.BENCH_SKIP_BUILD) {
    // Not this script's TS_NODE_PROJECT (a path relative to the root): the build's tools read it from their own folders.
    const { TS_NODE_PROJECT: _own, ...buildEnv } = process.env;
    execFileSync('npm', ['run', 'build'], { stdio: 'inherit', env: buildEnv });
  }
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
  if (!existsSync(join(STOREFRONT, 'index.html'))) throw new Error(`${STOREFRONT}/index.html is missing`);
  if (!existsSync(CHROME)) throw new Error(`no Chromium at ${CHROME} (apt-get install chromium, or set CHROME_PATH)`);
  let embedded: EmbeddedDatabase | undefined;
  let serverUrl = env.DATABASE_URL;
  const work = mkdtempSync(join(tmpdir(), 'xb-web-'));
  chmodSync(work, 0o755);
  const out = env.BENCH_OUT ? resolve(env.BENCH_OUT) : join(work, 'reports');
  mkdirSync(out, { recursive: true });
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres({ dir: join(work, 'pg'), port: PORT + 1000, database: 'postgres' });
    serverUrl = embedded.url;
  }
  const dbName = `xb_web_${Date.now().toString(36)}`;
  const databaseUrl = withDatabase(serverUrl, dbName);
  let child: ChildProcess | undefined;
  let stopping = false;
  try {
    await admin(serverUrl, `CREATE DATABASE ${dbName}`);
    child = spawn(process.execPath, [MAIN], {
      env: {
        ...env,
        // As `npm start` runs it: the demo data and the demo payment provider (production refuses both).
        NODE_ENV: 'development',
        PORT: String(PORT),
        HOST: '127.0.0.1',
        DATABASE_URL: databaseUrl,
        UPLOADS_DIR: join(work, 'uploads'),
        MEDIA_DIR: join(work, 'media'),
        STOREFRONT_DIR: STOREFRONT,
        LOG_LEVEL: 'warn',
        JWT_SECRET: randomBytes(32).toString('hex'),
        PERSONAL_DATA_KEY: randomBytes(32).toString('hex'),
        SEED_DEMO: 'true',
        REDIS_URL: '',
        MEDIA_SERVER: 'off',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.once('exit', (code, signal) => {
      if (!stopping) console.error(`the API exited (code ${code}, signal ${signal})`);
    });
    const base = `http://127.0.0.1:${PORT}`;
    await waitForHealth(base, child, 120_000); // a fresh database with the demo history
    const targets = await pages(base);

    console.log(`\nserved (Accept-Encoding: br, gzip): path, Content-Encoding, bytes on the wire, Cache-Control`);
    for (const l of await headers(base)) console.log(l);

    console.log(
      `\nLighthouse ${JSON.parse(readFileSync('node_modules/lighthouse/package.json', 'utf8')).version}, mobile, ` +
        `simulated throttling, ${RUNS} run(s) per page (median), ${cpus().length} CPUs; load average before: ${load()}`,
    );
    const rows: { name: string; url: string; f: Figures }[] = [];
    for (const t of targets) {
      await warm(t.url); // the server's first queries and file reads, not measured
      const runs: Figures[] = [];
      for (let i = 0; i < RUNS; i++) {
        runs.push(lighthouse(t.url, join(out, `${t.name.split(' ')[0]}-${i + 1}.json`)));
      }
      const m = (k: keyof Figures) => median(runs.map((r) => r[k]));
      rows.push({
        name: t.name,
        url: t.url,
        f: {
          lcpMs: m('lcpMs'),
          tbtMs: m('tbtMs'),
          cls: m('cls'),
          score: m('score'),
          jsKb: m('jsKb'),
          totalKb: m('totalKb'),
        },
      });
    }
    console.log(`load average after: ${load()}\n`);

    const pad = (s: string | number, n: number) => String(s).padStart(n);
    console.log(
      `${'page'.padEnd(20)}${pad('LCP s', 8)}${pad('TBT ms', 8)}${pad('CLS', 7)}${pad('score', 7)}${pad('JS KB', 8)}${pad('all KB', 8)}`,
    );
    for (const { name, f } of rows) {
      console.log(
        `${name.padEnd(20)}${pad((f.lcpMs / 1000).toFixed(2), 8)}${pad(f.tbtMs.toFixed(0), 8)}${pad(f.cls.toFixed(3), 7)}` +
          `${pad(f.score, 7)}${pad(f.jsKb.toFixed(1), 8)}${pad(f.totalKb.toFixed(1), 8)}`,
      );
    }
    console.log(
      '(JS KB and all KB: transferred, as Lighthouse saw them; targets LCP ≤ 2.5 s, TBT ≤ 200 ms, CLS ≤ 0.1)',
    );
    if (env.BENCH_OUT) console.log(`Lighthouse reports in ${out}`);
  } finally {
    stopping = true;
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child?.once('exit', r));
    }
    if (!env.BENCH_KEEP)
      await admin(serverUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    else console.log(`kept database ${databaseUrl}`);
    await embedded?.stop().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
