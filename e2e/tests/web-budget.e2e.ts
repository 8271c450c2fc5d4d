import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, test } from '../support/test';

/**
 * Issue 14: a buyer's first visit stays small. The budgets are on the JavaScript a route needs before it can
 * paint, gzipped, read from the build's Vite manifest (so this runs after `npm run build`, in `npm run test:e2e`,
 * without a browser): the entry chunk and everything it imports statically, plus for a lazy page its chunk, its
 * static imports and the translations it loads with it. The live room counts its player too (mpegts.js, HTTP-FLV,
 * what a phone plays first). Lighthouse itself is `npm run bench:web`, not a test.
 */
const BUILD = resolve(__dirname, '../../dist/apps/storefront');
const KB = 1024;
const BUDGET = { home: 120 * KB, liveRoom: 250 * KB };

interface Chunk {
  file: string;
  name?: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
}
type Manifest = Record<string, Chunk>;

function load(): Manifest {
  return JSON.parse(readFileSync(join(BUILD, '.vite/manifest.json'), 'utf8')) as Manifest;
}

function key(m: Manifest, test: (k: string) => boolean, what: string): string {
  const k = Object.keys(m).find(test);
  if (!k) throw new Error(`the build has no chunk for ${what}: did the route move? Update this test with it.`);
  return k;
}

/** A chunk and every chunk it imports statically (what the browser must fetch before running it). */
function closure(m: Manifest, k: string, seen = new Set<string>()): Set<string> {
  if (seen.has(k)) return seen;
  seen.add(k);
  for (const i of m[k].imports ?? []) closure(m, i, seen);
  return seen;
}

function gzipped(m: Manifest, keys: Set<string>): number {
  let total = 0;
  for (const k of keys) total += gzipSync(readFileSync(join(BUILD, m[k].file)), { level: 9 }).length;
  return total;
}

function firstLoad(m: Manifest, ...extra: (string | string[])[]): { bytes: number; files: string[] } {
  const keys = closure(
    m,
    key(m, (k) => m[k].isEntry === true, 'the entry'),
  );
  for (const e of extra.flat()) closure(m, e, keys);
  return { bytes: gzipped(m, keys), files: [...keys].map((k) => m[k].file) };
}

const kb = (n: number) => `${(n / KB).toFixed(1)} KB`;

test('first-load JavaScript per route stays within its budget (gzipped)', () => {
  const m = load();
  // A page's Chinese strings: their own chunk, unless code imports them statically (then they are in its chunks).
  const zh = (feature: string) =>
    Object.keys(m).filter((k) => k.endsWith(`features/${feature}/locales/zh-CN.json`) && m[k].file.endsWith('.js'));
  const home = firstLoad(m);
  const liveRoom = firstLoad(
    m,
    // The room's chunk: named by its source, or, when the host console shares it (ChatBox), a common chunk named
    // after it.
    key(
      m,
      (k) => k.endsWith('src/features/live/ShowPage.tsx') || (m[k].name === 'ShowPage' && m[k].file.endsWith('.js')),
      'the live room',
    ),
    zh('live'),
    key(m, (k) => k.includes('node_modules/mpegts.js/'), 'the live player (mpegts.js)'),
  );
  const product = firstLoad(
    m,
    key(m, (k) => k.endsWith('src/features/catalog/ProductPage.tsx'), 'the product page'),
    zh('orders'),
  );
  const transparency = firstLoad(
    m,
    key(m, (k) => k.endsWith('src/features/money/ledger/TransparencyPage.tsx'), 'the transparency page'),
    zh('money'),
  );
  console.log(
    `first-load JS, gzipped: home ${kb(home.bytes)} (budget ${kb(BUDGET.home)}), live room with its player ` +
      `${kb(liveRoom.bytes)} (budget ${kb(BUDGET.liveRoom)}), product ${kb(product.bytes)}, transparency ` +
      `${kb(transparency.bytes)}`,
  );
  expect(home.bytes, `home loads ${home.files.join(', ')}`).toBeLessThanOrEqual(BUDGET.home);
  expect(liveRoom.bytes, `the live room loads ${liveRoom.files.join(', ')}`).toBeLessThanOrEqual(BUDGET.liveRoom);
  // Consoles, admin and money pages are never in a buyer's first load.
  for (const page of ['ConsolePayoutsPage', 'RegistrySearchPage', 'AdminApplicationsPage', 'HostConsolePage']) {
    const k = key(m, (x) => x.endsWith(`/${page}.tsx`), page);
    expect(home.files, `${page} is in the home page's first load`).not.toContain(m[k].file);
  }
  // Neither video player is in the first load of home or a product page.
  for (const files of [home.files, product.files]) {
    expect(files.filter((f) => /hls|mpegts/.test(f))).toEqual([]);
  }
});

test('scripts are served compressed and cached for a year; index.html is never served stale', async ({ request }) => {
  const page = await request.get('/', { headers: { Accept: 'text/html', 'Accept-Encoding': 'br, gzip' } });
  expect(page.headers()['cache-control']).toBe('no-cache');
  expect(page.headers()['content-encoding']).toBe('br');
  const scripts = [...(await page.text()).matchAll(/<script[^>]+src="([^"]+\.js)"/g)].map((x) => x[1]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const src of scripts) {
    const res = await request.get(src, { headers: { 'Accept-Encoding': 'br, gzip' } });
    expect(res.status()).toBe(200);
    expect(res.headers()['content-encoding'], src).toBe('br');
    expect(res.headers()['cache-control'], src).toBe('public, max-age=31536000, immutable');
    expect(res.headers()['vary'], src).toMatch(/Accept-Encoding/);
  }
  const json = await request.get('/api/products?pageSize=50', { headers: { 'Accept-Encoding': 'gzip' } });
  expect(json.headers()['content-encoding']).toBe('gzip');
});
