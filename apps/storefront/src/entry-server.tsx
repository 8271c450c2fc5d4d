/**
 * Server rendering of the first screen (built by vite.config.mts into dist/apps/storefront-server, loaded by the
 * API in apps/api/src/common/web-delivery.ts): the page for a URL, as an anonymous visitor sees it, with the data
 * it was rendered from. The browser hydrates it (main.tsx).
 */
import './i18n/i18n';
import { dehydrate, type DehydratedState } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { renderToPipeableStream } from 'react-dom/server';
import { StaticRouter } from 'react-router-dom/server';
import { Writable } from 'node:stream';
import { ApiClient } from './api/client';
import { FIRST_SCREEN_ID, prefetchFirstScreen, scriptJson } from './app/first-screen';
import { createQueryClient } from './app/providers';
import { Root, ROUTER_FUTURE } from './app/root';

export interface FirstScreen {
  /** The app's HTML for `<div id="root">`. */
  html: string;
  /** `<script type="application/json">` with the data, for the browser's query cache. */
  dataScript: string;
}

/**
 * Renders `pathname` with the API at `apiBase` (the server itself); null for a page rendered only in the browser.
 * Rejects when the API fails or rendering takes longer than `timeoutMs` (the caller then sends the plain shell).
 */
export async function renderFirstScreen(
  pathname: string,
  apiBase: string,
  timeoutMs = 3000,
): Promise<FirstScreen | null> {
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { retry: false } });
  const client = new ApiClient({ baseUrl: apiBase });
  if (!(await prefetchFirstScreen(queryClient, client, pathname))) return null;
  const state: DehydratedState = dehydrate(queryClient);
  function Router({ children }: { children: ReactNode }) {
    return (
      <StaticRouter location={pathname} future={ROUTER_FUTURE}>
        {children}
      </StaticRouter>
    );
  }
  const html = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        chunks.push(Buffer.from(chunk));
        done();
      },
      final(done) {
        resolve(Buffer.concat(chunks).toString('utf8'));
        done();
      },
    });
    const stream = renderToPipeableStream(<Root router={Router} queryClient={queryClient} client={client} />, {
      // Everything, lazy pages and their translations included, before the first byte: a crawler and a phone
      // get the whole first screen in one response.
      onAllReady: () => stream.pipe(sink),
      // Every boundary in place, none sent after the page with an inline script (the CSP allows no inline script).
      progressiveChunkSize: Number.MAX_SAFE_INTEGER,
      onShellError: reject,
      onError: (e) => {
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    });
    setTimeout(() => {
      stream.abort();
      reject(new Error(`rendering ${pathname} took longer than ${timeoutMs} ms`));
    }, timeoutMs).unref();
  });
  queryClient.clear();
  return {
    html,
    dataScript: `<script id="${FIRST_SCREEN_ID}" type="application/json">${scriptJson(state)}</script>`,
  };
}
