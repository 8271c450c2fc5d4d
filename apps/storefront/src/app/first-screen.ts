import type { DehydratedState, QueryClient } from '@tanstack/react-query';
import type { ApiClient } from '../api/client';
import { productQuery } from '../features/catalog/product-query';
import { showQuery } from '../features/live/show-query';
import { homeQueries, LIVE_COUNT, UPCOMING_COUNT } from '../pages/home-queries';
import { homeShowsQuery } from '../pages/home-shows';

/**
 * The first screen from the first response: for home, a product page and a live room the API renders the page (entry-server.tsx)
 * into index.html with the data it showed, in `<script id="xb-first-screen" type="application/json">`; the browser
 * puts that data in its query cache and hydrates the same tree instead of fetching and rendering from nothing.
 */
export const FIRST_SCREEN_ID = 'xb-first-screen';

/**
 * Fetches what `pathname` shows first into `queryClient`, as an anonymous visitor (the page the server renders is
 * the same for everyone); false for a page that is not rendered by the server. Rejects when the API fails.
 */
export async function prefetchFirstScreen(
  queryClient: QueryClient,
  client: ApiClient,
  pathname: string,
): Promise<boolean> {
  if (pathname === '/') {
    await homeQueries.fetchAll(queryClient, client);
    // Before the session is restored the page asks under 'loading': the same anonymous lists.
    for (const [status, n] of [
      ['live', LIVE_COUNT],
      ['scheduled', UPCOMING_COUNT],
    ] as const) {
      const anonymous = homeShowsQuery(client, status, n, 'signedOut');
      queryClient.setQueryData(
        homeShowsQuery(client, status, n, 'loading').queryKey,
        queryClient.getQueryData(anonymous.queryKey),
      );
    }
    return true;
  }
  const product = idIn(/^\/products\/([^/]+)\/?$/, pathname);
  if (product) {
    await queryClient.fetchQuery(productQuery(client, product));
    return true;
  }
  const show = idIn(/^\/live\/([^/]+)\/?$/, pathname);
  if (show) {
    const detail = await queryClient.fetchQuery(showQuery(client, show, 'signedOut'));
    queryClient.setQueryData(showQuery(client, show, 'loading').queryKey, detail);
    return true;
  }
  return false;
}

function idIn(pattern: RegExp, pathname: string): string | null {
  const m = pattern.exec(pathname);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return null;
  }
}

/** The data the server rendered the page with, or null (no server rendering, or unreadable). */
export function readFirstScreen(doc: Document = document): DehydratedState | null {
  const text = doc.getElementById(FIRST_SCREEN_ID)?.textContent;
  if (!text) return null;
  try {
    return JSON.parse(text) as DehydratedState;
  } catch {
    return null;
  }
}

/** JSON that is safe inside a <script> element (no `</script>`, no `<!--`, no line separators). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
