import { Logger } from '@nestjs/common';
import compression from 'compression';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';

/** Hashed build output (Vite writes every chunk and stylesheet there with its content hash in the name). */
export const ASSETS_PREFIX = '/assets/';
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Files of the build without a hash in their name (favicon, robots.txt): a day, then revalidated. */
const UNHASHED = 'public, max-age=86400';

/**
 * API paths never compressed here: video (segments are already compressed, playlists are tiny and polled),
 * stored images (WebP), and the Stripe webhook (its answer is a few bytes; its raw body is read untouched).
 */
const NOT_COMPRESSED = ['/api/media/', '/api/files/', '/api/payments/stripe/webhook'];

/**
 * gzip/deflate/br for the API's JSON (the `compression` middleware, which skips small and incompressible answers
 * and anything already encoded); not for the socket.io transport, video, images or the webhook, and never for
 * a Server-Sent Events stream (it would be buffered).
 */
export function apiCompression(): RequestHandler {
  const compress = compression({
    threshold: 1024,
    filter: (req, res) => {
      const type = String(res.getHeader('Content-Type') ?? '');
      if (type.startsWith('text/event-stream')) return false;
      return compression.filter(req, res);
    },
  });
  return (req, res, next) => {
    if (!req.path.startsWith('/api/') || NOT_COMPRESSED.some((p) => req.path.startsWith(p))) return next();
    compress(req, res, next);
  };
}

type Encoding = 'br' | 'gzip';

/** The best encoding the client accepts (q > 0) among those we have: br, then gzip. */
export function pickEncoding(acceptEncoding: string | undefined, available: ReadonlySet<Encoding>): Encoding | null {
  if (!acceptEncoding) return null;
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name, q ? Number(q.slice(2)) || 0 : 1);
  }
  const ok = (e: Encoding) => available.has(e) && (accepted.get(e) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return null;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out.push(full);
    }
  };
  walk(dir);
  return out;
}

/** The first screen of a page rendered by the storefront's server build (apps/storefront/src/entry-server.tsx). */
export interface FirstScreen {
  html: string;
  dataScript: string;
}
/** Renders a page with the API at apiBase; null for a page the browser renders alone; rejects when it cannot. */
export type FirstScreenRenderer = (pathname: string, apiBase: string) => Promise<FirstScreen | null>;

/** The server build beside the storefront's folder (dist/apps/storefront-server), loaded on first use. */
export function builtRenderer(storefrontDir: string): FirstScreenRenderer | undefined {
  const entry = `${resolve(storefrontDir)}-server/entry-server.mjs`;
  if (!existsSync(entry)) return undefined;
  // A real import() at run time (the API is bundled to CommonJS, which would turn import() into require()).
  const importModule = new Function('url', 'return import(url)') as (url: string) => Promise<{
    renderFirstScreen: FirstScreenRenderer;
  }>;
  let loaded: Promise<FirstScreenRenderer> | undefined;
  return (pathname, apiBase) => {
    loaded ??= importModule(pathToFileURL(entry).href).then((m) => m.renderFirstScreen);
    return loaded.then((render) => render(pathname, apiBase));
  };
}

/**
 * The pages worth rendering on the server — what a visit starts with (a product, a live room, home) — each with the
 * lazily loaded page module it shows (whose stylesheets the rendered HTML links).
 */
const RENDERED_PAGES: [RegExp, string][] = [
  [/^\/products\/[^/]+\/?$/, 'ProductPage'],
  [/^\/live\/[^/]+\/?$/, 'ShowPage'],
  [/^\/?$/, 'HomeMore'],
];
const isRendered = (pathname: string) => RENDERED_PAGES.some(([re]) => re.test(pathname));
/** A rendered page is reused for this long (every visitor sees the same anonymous page). */
const RENDER_TTL_MS = 5_000;
const RENDER_CACHE_MAX = 500;

interface RenderedPage {
  at: number;
  html: Buffer;
  etag: string;
  br?: Buffer;
  gzip?: Buffer;
}

/** Vite's build manifest (.vite/manifest.json): each chunk's file, name, stylesheets and the chunks it imports. */
export type ViteManifest = Record<
  string,
  { file: string; name?: string; src?: string; css?: string[]; imports?: string[] }
>;

/**
 * The stylesheets of the lazily loaded page a rendered route shows and of every chunk it imports, less those
 * index.html links already: linked in the rendered HTML, the server's markup is styled from the first paint instead
 * of when the page's script arrives (Vite's loader finds them linked and does not add them again).
 */
export function routeStylesheets(manifest: ViteManifest, pathname: string, linked: ReadonlySet<string>): string[] {
  const page = RENDERED_PAGES.find(([re]) => re.test(pathname))?.[1];
  const start =
    page && Object.keys(manifest).find((k) => manifest[k].name === page || manifest[k].src?.endsWith(`/${page}.tsx`));
  if (!start) return [];
  const out = new Set<string>();
  const seen = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (seen.has(key) || !chunk) return;
    seen.add(key);
    for (const css of chunk.css ?? []) if (!linked.has(`/${css}`)) out.add(`/${css}`);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit(start);
  return [...out];
}

/**
 * index.html with the first screen in `<div id="root">` (marked by the template's first-screen comments) and its
 * data before `</body>`; `data-ssr` tells the browser which path it is, so it hydrates only that page.
 */
export function withFirstScreen(
  template: string,
  pathname: string,
  screen: FirstScreen,
  stylesheets: readonly string[] = [],
): string | null {
  const root = /<div id="root">\s*<!--first-screen-->[\s\S]*?<!--\/first-screen-->\s*<\/div>/;
  if (!root.test(template) || !template.includes('</body>')) return null;
  const attr = pathname.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const links = stylesheets.map((href) => `<link rel="stylesheet" crossorigin href="${href}">`).join('');
  return template
    .replace('</head>', () => `${links}</head>`)
    .replace(root, () => `<div id="root" data-ssr="${attr}">${screen.html}</div>`)
    .replace('</body>', () => `${screen.dataScript}</body>`);
}

/**
 * The built storefront: its files with their precompressed .br/.gz siblings (written by the build) chosen by
 * Accept-Encoding, `Vary: Accept-Encoding`, hashed assets cached for a year, and index.html for every other GET
 * that accepts HTML (the SPA's routes), always revalidated (`no-cache` with an ETag) so a deploy is seen at once.
 * A missing hashed asset is a 404, not the HTML page. The folder is read once: a build is not changed under a
 * running server.
 */
export function serveBuiltStorefront(
  app: { use(handler: RequestHandler): unknown },
  dir: string,
  render: FirstScreenRenderer | undefined = builtRenderer(dir),
): boolean {
  const root = resolve(dir);
  const index = join(root, 'index.html');
  if (!existsSync(index)) return false;
  const template = readFileSync(index, 'utf8');
  const log = new Logger('Storefront');
  const manifestFile = join(root, '.vite', 'manifest.json');
  const manifest: ViteManifest = existsSync(manifestFile) ? JSON.parse(readFileSync(manifestFile, 'utf8')) : {};
  const linked = new Set([...template.matchAll(/<link[^>]+href="([^"]+\.css)"/g)].map((m) => m[1]));
  const rendered = new Map<string, RenderedPage | Promise<RenderedPage | null>>();
  const files = new Set(
    listFiles(root)
      .map((f) => relative(root, f).split(sep).join('/'))
      .filter((f) => !f.split('/').some((part) => part.startsWith('.'))), // .vite/manifest.json stays private
  );
  const encodingsOf = (file: string) =>
    new Set<Encoding>((['br', 'gzip'] as const).filter((e) => files.has(`${file}.${e === 'br' ? 'br' : 'gz'}`)));

  const send = (req: Request, res: Response, next: NextFunction, file: string, cacheControl: string) => {
    const encoding = pickEncoding(req.get('accept-encoding'), encodingsOf(file));
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('Cache-Control', cacheControl);
    res.type(extname(file)); // the original's type, not the .br/.gz file's
    if (encoding) res.setHeader('Content-Encoding', encoding);
    const served = encoding ? `${file}.${encoding === 'br' ? 'br' : 'gz'}` : file;
    res.sendFile(join(root, served), { dotfiles: 'deny', etag: true, lastModified: true, cacheControl: false }, (e) => {
      if (e && !res.headersSent) next(e);
    });
  };

  /** The page for `pathname` with its first screen, from the cache or rendered now; null to send plain index.html. */
  const renderPage = async (req: Request): Promise<RenderedPage | null> => {
    const key = req.path;
    const cached = rendered.get(key);
    if (cached && !(cached instanceof Promise) && Date.now() - cached.at < RENDER_TTL_MS) return cached;
    if (cached instanceof Promise) return cached;
    const local = req.socket.localAddress ?? '127.0.0.1';
    const apiBase = `http://${local.includes(':') ? `[${local}]` : local}:${req.socket.localPort}`;
    const pending = (async () => {
      try {
        const screen = render ? await render(key, apiBase) : null;
        const page = screen && withFirstScreen(template, key, screen, routeStylesheets(manifest, key, linked));
        if (!page) return null;
        const html = Buffer.from(page);
        return { at: Date.now(), html, etag: `W/"${createHash('sha1').update(html).digest('base64url')}"` };
      } catch (e) {
        log.warn(`first screen of ${key} not rendered (index.html sent): ${e instanceof Error ? e.message : e}`);
        return null;
      }
    })();
    if (rendered.size >= RENDER_CACHE_MAX) rendered.clear();
    rendered.set(key, pending);
    const page = await pending;
    if (page) rendered.set(key, page);
    else rendered.delete(key);
    return page;
  };

  const sendRendered = (req: Request, res: Response, page: RenderedPage) => {
    const encoding = pickEncoding(req.get('accept-encoding'), new Set(['br', 'gzip']));
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('ETag', page.etag);
    res.type('html');
    if (req.fresh) return res.status(304).end();
    let body = page.html;
    if (encoding === 'br') {
      body = page.br ??= brotliCompressSync(page.html, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5 } });
    } else if (encoding === 'gzip') {
      body = page.gzip ??= gzipSync(page.html, { level: 6 });
    }
    if (encoding) res.setHeader('Content-Encoding', encoding);
    res.setHeader('Content-Length', body.length);
    return res.end(req.method === 'HEAD' ? undefined : body);
  };

  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path.startsWith('/api') || req.path.startsWith('/socket.io')) return next();
    let path: string;
    try {
      path = decodeURIComponent(req.path).replace(/^\/+/, '');
    } catch {
      return res.status(400).end();
    }
    // Only names from the build's own list are served (no ../, no dotfiles, no precompressed copies by name).
    const isFile = files.has(path) && !/\.(br|gz)$/.test(path) && path !== 'index.html';
    if (isFile) return send(req, res, next, path, req.path.startsWith(ASSETS_PREFIX) ? IMMUTABLE : UNHASHED);
    if (req.path.startsWith(ASSETS_PREFIX)) return res.status(404).type('text').send('not found');
    if (!req.accepts('html')) return next();
    if (render && isRendered(req.path)) {
      return void renderPage(req).then(
        (page) => (page ? sendRendered(req, res, page) : send(req, res, next, 'index.html', 'no-cache')),
        next,
      );
    }
    return send(req, res, next, 'index.html', 'no-cache');
  });
  return true;
}
