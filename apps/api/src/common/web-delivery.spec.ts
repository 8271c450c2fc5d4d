import express from 'express';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import {
  apiCompression,
  IMMUTABLE,
  pickEncoding,
  serveBuiltStorefront,
  routeStylesheets,
  withFirstScreen,
  type FirstScreenRenderer,
} from './web-delivery';

/** A build folder as Vite writes it: hashed assets with .br/.gz siblings, index.html, an unhashed favicon. */
function fakeBuild(): { dir: string; script: string; html: string } {
  const dir = mkdtempSync(join(tmpdir(), 'xb-web-'));
  mkdirSync(join(dir, 'assets'));
  mkdirSync(join(dir, '.vite'));
  const script = `export const greeting = ${JSON.stringify('你好，乡播 '.repeat(400))};\n`;
  const html = `<!doctype html><html lang="zh-CN"><body><div id="root">${'乡播 '.repeat(300)}</div></body></html>`;
  for (const [name, text] of [
    ['assets/index-AbC123.js', script],
    ['index.html', html],
  ] as const) {
    writeFileSync(join(dir, name), text);
    writeFileSync(join(dir, `${name}.br`), brotliCompressSync(Buffer.from(text)));
    writeFileSync(join(dir, `${name}.gz`), gzipSync(Buffer.from(text)));
  }
  writeFileSync(join(dir, 'assets/tiny-XyZ.css'), 'a{}'); // too small to have been compressed
  writeFileSync(join(dir, 'favicon.ico'), Buffer.alloc(64, 1));
  writeFileSync(join(dir, '.vite/manifest.json'), '{}');
  return { dir, script, html };
}

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A GET with plain node:http, so the test sees the bytes on the wire (supertest would decode them). */
async function raw(app: express.Express, path: string, headers: Record<string, string>): Promise<Raw> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise<Raw>((resolvePromise, reject) => {
      get({ host: '127.0.0.1', port, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      }).on('error', reject);
    });
  } finally {
    server.close();
  }
}

describe('storefront delivery (precompressed files, caching)', () => {
  let build: ReturnType<typeof fakeBuild>;
  let app: express.Express;
  beforeAll(() => {
    build = fakeBuild();
    app = express();
    app.get('/api/ping', (_req, res) => res.json({ ok: true }));
    expect(serveBuiltStorefront(app, build.dir)).toBe(true);
  });
  afterAll(() => rmSync(build.dir, { recursive: true, force: true }));

  it('sends a hashed script brotli-compressed to a browser that accepts br, cached for a year', async () => {
    const res = await raw(app, '/assets/index-AbC123.js', { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(res.headers['vary']).toMatch(/Accept-Encoding/);
    expect(res.headers['cache-control']).toBe(IMMUTABLE);
    expect(brotliDecompressSync(res.body).toString()).toBe(build.script);
    expect(res.body.length).toBeLessThan(Buffer.byteLength(build.script) / 4);
  });

  it('falls back to gzip, and to the plain file for a client that accepts neither', async () => {
    const gz = await raw(app, '/assets/index-AbC123.js', { 'Accept-Encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(build.script);

    const refused = await raw(app, '/assets/index-AbC123.js', { 'Accept-Encoding': 'br;q=0, gzip;q=0' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body.toString()).toBe(build.script);

    const none = await raw(app, '/assets/index-AbC123.js', { 'Accept-Encoding': 'identity' });
    expect(none.headers['content-encoding']).toBeUndefined();
    expect(none.headers['vary']).toMatch(/Accept-Encoding/); // a shared cache must not hand it to a br client
  });

  it('serves index.html for the SPA routes, compressed and never stale (no-cache, revalidated by ETag)', async () => {
    const res = await raw(app, '/products/123', { Accept: 'text/html', 'Accept-Encoding': 'gzip, br' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(brotliDecompressSync(res.body).toString()).toBe(build.html);
    const etag = String(res.headers['etag'] ?? '');
    expect(etag).toMatch(/^(W\/)?"/);
    await request(app)
      .get('/')
      .set('Accept', 'text/html')
      .set('Accept-Encoding', 'gzip, br')
      .set('If-None-Match', etag)
      .expect(304);
  });

  it('answers 404 for a hashed asset that is not in the build, instead of the HTML page', async () => {
    const res = await request(app).get('/assets/index-OLDHASH.js').set('Accept', '*/*');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).not.toMatch(/html/);
  });

  it('serves only the build’s own files: no path tricks, no private manifest, no .br by name', async () => {
    for (const path of ['/assets/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/.vite/manifest.json']) {
      const res = await request(app).get(path).set('Accept', 'application/json');
      expect(res.status).toBe(404);
    }
    expect((await request(app).get('/assets/index-AbC123.js.br')).status).toBe(404);
  });

  it('sends small uncompressed files as they are, unhashed ones cached for a day only', async () => {
    const css = await request(app).get('/assets/tiny-XyZ.css').set('Accept-Encoding', 'br');
    expect(css.headers['content-encoding']).toBeUndefined();
    expect(css.headers['cache-control']).toBe(IMMUTABLE);
    const icon = await request(app).get('/favicon.ico');
    expect(icon.headers['cache-control']).toBe('public, max-age=86400');
  });

  it('leaves the API to the API', async () => {
    const res = await request(app).get('/api/ping').set('Accept', 'text/html');
    expect(res.body).toEqual({ ok: true });
  });

  it('does nothing without a build (the API alone still starts)', () => {
    expect(serveBuiltStorefront(express(), join(build.dir, 'missing'))).toBe(false);
  });
});

describe('the first screen rendered by the server (home, a product, a live room)', () => {
  const template =
    '<!doctype html><html><body>\n    <div id="root">\n      <!--first-screen-->\n      <div class="boot">…</div>\n' +
    '      <!--/first-screen-->\n    </div>\n  </body></html>';
  let dir: string;
  let calls: { path: string; apiBase: string }[];
  let fail: boolean;
  let app: express.Express;
  const render: FirstScreenRenderer = async (path, apiBase) => {
    calls.push({ path, apiBase });
    if (fail) throw new Error('the API is down');
    return {
      html: `<main>page ${path}</main>`,
      dataScript: '<script id="xb-first-screen" type="application/json">{"q":1}</script>',
    };
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'xb-ssr-'));
    writeFileSync(join(dir, 'index.html'), template);
    calls = [];
    fail = false;
    app = express();
    expect(serveBuiltStorefront(app, dir, render)).toBe(true);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('sends home with its first screen in #root and its data before </body>, compressed and never stale', async () => {
    const res = await raw(app, '/', { Accept: 'text/html', 'Accept-Encoding': 'br, gzip' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['vary']).toMatch(/Accept-Encoding/);
    const html = brotliDecompressSync(res.body).toString();
    expect(html).toContain('<div id="root" data-ssr="/"><main>page /</main></div>');
    expect(html).not.toContain('boot');
    expect(html).toMatch(/<script id="xb-first-screen" type="application\/json">\{"q":1\}<\/script><\/body>/);
    // The renderer asks the API on the address the request came in on.
    expect(calls).toEqual([{ path: '/', apiBase: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) }]);

    const gz = await raw(app, '/', { Accept: 'text/html', 'Accept-Encoding': 'gzip' });
    expect(gunzipSync(gz.body).toString()).toBe(html);
    expect(calls).toHaveLength(1); // the same anonymous page for a few seconds, rendered once
    await request(app)
      .get('/')
      .set('Accept', 'text/html')
      .set('If-None-Match', String(res.headers['etag']))
      .expect(304);
  });

  it('renders a product page and a live room; any other page is the plain shell', async () => {
    for (const path of ['/products/p-1', '/live/s-1']) {
      const res = await request(app).get(path).set('Accept', 'text/html');
      expect(res.text).toContain(`data-ssr="${path}"><main>page ${path}</main>`);
    }
    for (const path of ['/products', '/console/c-1/orders', '/live', '/products/p-1/reviews']) {
      const res = await request(app).get(path).set('Accept', 'text/html');
      expect(res.text).toBe(template);
    }
    expect(calls.map((c) => c.path)).toEqual(['/products/p-1', '/live/s-1']);
  });

  it('sends the plain shell when rendering fails, and tries again on the next visit', async () => {
    fail = true;
    const res = await request(app).get('/').set('Accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.text).toBe(template);
    fail = false;
    expect((await request(app).get('/').set('Accept', 'text/html')).text).toContain('<main>page /</main>');
    expect(calls).toHaveLength(2);
  });

  it('escapes the path in the attribute, and refuses a template without the markers', () => {
    const screen = { html: '<p>x</p>', dataScript: '' };
    expect(withFirstScreen(template, '/products/"><b>', screen)).toContain('data-ssr="/products/&quot;>&lt;b>"');
    expect(withFirstScreen('<div id="root"></div></body>', '/', screen)).toBeNull();
  });
});

describe('API JSON compression', () => {
  const big = { items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `柞水黑木耳 ${i}`, priceFen: 3990 })) };
  const app = express();
  app.use(apiCompression());
  app.get('/api/products', (_req, res) => res.json(big));
  app.get('/api/health', (_req, res) => res.json({ status: 'ok' }));
  app.get('/api/files/photo.webp', (_req, res) => res.type('image/webp').send(Buffer.alloc(4096, 7)));
  app.get('/api/media/hls/x/index.m3u8', (_req, res) =>
    res.type('application/vnd.apple.mpegurl').send('#EXTM3U\n'.repeat(400)),
  );
  app.post('/api/payments/stripe/webhook', (_req, res) => res.json({ received: true, pad: 'x'.repeat(2000) }));
  app.get('/api/events', (_req, res) => {
    res.setHeader('Content-Type', 'text/event-stream');
    res.end(`data: ${'x'.repeat(4000)}\n\n`);
  });

  it('compresses a large JSON answer for a client that accepts it', async () => {
    const res = await request(app).get('/api/products').set('Accept-Encoding', 'br, gzip');
    expect(['br', 'gzip']).toContain(res.headers['content-encoding']);
    expect(res.headers['vary']).toMatch(/Accept-Encoding/);
    expect(res.body).toEqual(big); // supertest decodes it
  });

  it('leaves small answers, images, video, the webhook and event streams alone', async () => {
    for (const req of [
      request(app).get('/api/health'),
      request(app).get('/api/files/photo.webp'),
      request(app).get('/api/media/hls/x/index.m3u8'),
      request(app).post('/api/payments/stripe/webhook'),
      request(app).get('/api/events'),
    ]) {
      const res = await req.set('Accept-Encoding', 'br, gzip');
      expect(res.headers['content-encoding']).toBeUndefined();
    }
  });
});

describe('pickEncoding', () => {
  const both = new Set(['br', 'gzip'] as const);
  it('prefers br, honours q=0 and *, and says null when nothing fits', () => {
    expect(pickEncoding('gzip, deflate, br', both)).toBe('br');
    expect(pickEncoding('gzip, br;q=0', both)).toBe('gzip');
    expect(pickEncoding('*', both)).toBe('br');
    expect(pickEncoding('*;q=0', both)).toBeNull();
    expect(pickEncoding('deflate', both)).toBeNull();
    expect(pickEncoding(undefined, both)).toBeNull();
    expect(pickEncoding('br', new Set(['gzip'] as const))).toBeNull();
  });
});

describe('the stylesheets of a rendered page', () => {
  const manifest = {
    'index.html': { file: 'assets/index-1.js', css: ['assets/index-1.css'], imports: ['_shell-1.js'] },
    '_shell-1.js': { file: 'assets/shell-1.js', css: ['assets/shell-1.css'] },
    '_ShowPage-1.js': {
      file: 'assets/ShowPage-1.js',
      name: 'ShowPage',
      css: ['assets/ShowPage-1.css', 'assets/live-1.css'],
      imports: ['index.html', '_shell-1.js', '_api-1.js'],
    },
    '_api-1.js': { file: 'assets/api-1.js', css: ['assets/orders-1.css'], imports: ['_ShowPage-1.js'] },
    'src/features/catalog/ProductPage.tsx': {
      file: 'assets/ProductPage-1.js',
      src: 'src/features/catalog/ProductPage.tsx',
      imports: ['_reviews-1.js'],
    },
    '_reviews-1.js': { file: 'assets/reviews-1.js', css: ['assets/reviews-1.css'] },
  };
  const linked = new Set(['/assets/index-1.css', '/assets/shell-1.css']);

  it('links the live room’s and the product page’s own stylesheets and those of what they import, once, not those index.html has', () => {
    expect(routeStylesheets(manifest, '/live/abc', linked)).toEqual([
      '/assets/ShowPage-1.css',
      '/assets/live-1.css',
      '/assets/orders-1.css',
    ]);
    expect(routeStylesheets(manifest, '/products/abc', linked)).toEqual(['/assets/reviews-1.css']);
    expect(routeStylesheets(manifest, '/', linked)).toEqual([]);
    expect(routeStylesheets(manifest, '/orders', linked)).toEqual([]);
  });

  it('puts them in the head of the rendered page', () => {
    const template =
      '<html><head><title>x</title></head><body><div id="root"><!--first-screen--><!--/first-screen--></div></body></html>';
    const page = withFirstScreen(template, '/live/abc', { html: '<main></main>', dataScript: '' }, [
      '/assets/ShowPage-1.css',
    ]);
    expect(page).toContain('<link rel="stylesheet" crossorigin href="/assets/ShowPage-1.css"></head>');
    expect(page).toContain('<div id="root" data-ssr="/live/abc"><main></main></div>');
  });
});
