import { dehydrate, hydrate, QueryClient } from '@tanstack/react-query';
import { act } from '@testing-library/react';
import type { ShowListItem } from '@xiangbo/contracts';
import type { ReactNode } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { MemoryRouter } from 'react-router-dom';
import { ApiClient } from '../api/client';
import { SESSION_QUERY_KEY } from '../auth/auth-context';
import { fakeApi, json, resetLanguage, signedOutRefresh } from '../test/helpers';
import { FIRST_SCREEN_ID, prefetchFirstScreen, readFirstScreen, scriptJson } from './first-screen';
import { Root, ROUTER_FUTURE } from './root';

const page = <T,>(items: T[]) => ({ items, total: items.length, page: 1, pageSize: 20 });

function show(overrides: Partial<ShowListItem>): ShowListItem {
  return {
    id: 's-1',
    title: '秦岭木耳丰收季',
    status: 'live',
    scheduledAt: '2026-12-07T11:30:00.000Z',
    startedAt: '2026-12-07T11:30:00.000Z',
    endedAt: null,
    coverUrl: '/api/files/shows/s-1/cover.webp',
    cooperative: { id: 'c-1', name: '金米村木耳合作社', province: '陕西省', county: '柞水县' },
    hostName: '小李',
    productCount: 3,
    subscriberCount: 12,
    subscribed: false,
    following: false,
    viewers: 87,
    ...overrides,
  };
}

function homeApi() {
  return fakeApi({
    'POST /api/auth/refresh': signedOutRefresh,
    'GET /api/shows?status=live&pageSize=6': () => json(200, page([show({})])),
    'GET /api/shows?status=scheduled&pageSize=6': () =>
      json(200, page([show({ id: 's-2', title: '高山茶春季首发', status: 'scheduled', startedAt: null })])),
    'GET /api/products/facets': () =>
      json(200, { categories: [{ category: 'fungi', count: 3 }], provinces: [{ province: '陕西省', count: 5 }] }),
    'GET /api/products?sort=sales&pageSize=8': () => json(200, page([])),
    'GET /api/cooperatives?pageSize=8': () => json(200, page([])),
  });
}

const newQueryClient = () => new QueryClient({ defaultOptions: { queries: { retry: false } } });

/** What the server does: the page's data, then its HTML, for `path`. */
async function serverRender(path: string) {
  const api = homeApi();
  const queryClient = newQueryClient();
  const client = new ApiClient({ fetch: api.fetch });
  const rendered = await prefetchFirstScreen(queryClient, client, path);
  const Router = ({ children }: { children: ReactNode }) => (
    <MemoryRouter initialEntries={[path]} future={ROUTER_FUTURE}>
      {children}
    </MemoryRouter>
  );
  const html = renderToString(<Root router={Router} queryClient={queryClient} client={client} />);
  return { rendered, html, state: dehydrate(queryClient), api };
}

beforeEach(async () => {
  await resetLanguage();
});

describe('the first screen from the first response', () => {
  it('renders home on the server with its data, and the browser hydrates it without a mismatch or a fetch', async () => {
    const server = await serverRender('/');
    expect(server.rendered).toBe(true);
    expect(server.html).toContain('秦岭木耳丰收季');
    expect(server.html).toContain('87 人在看');
    expect(server.html).toContain('高山茶春季首发');

    // The page as the API sends it: the HTML in #root, the data in a JSON script.
    document.body.innerHTML =
      `<div id="root">${server.html}</div>` +
      `<script id="${FIRST_SCREEN_ID}" type="application/json">${scriptJson(server.state)}</script>`;
    const container = document.getElementById('root') as HTMLElement;
    const card = container.querySelector('[data-testid="live-now-card"]');
    expect(card).not.toBeNull();

    const browser = homeApi();
    const queryClient = newQueryClient();
    const state = readFirstScreen();
    if (!state) throw new Error('no first-screen data in the page');
    hydrate(queryClient, state);
    const errors: unknown[] = [];
    const Router = ({ children }: { children: ReactNode }) => (
      <MemoryRouter initialEntries={['/']} future={ROUTER_FUTURE}>
        {children}
      </MemoryRouter>
    );
    const root = await act(async () =>
      hydrateRoot(
        container,
        <Root router={Router} queryClient={queryClient} client={new ApiClient({ fetch: browser.fetch })} />,
        { onRecoverableError: (e) => errors.push(e) },
      ),
    );
    await act(async () => {
      await new Promise((r) => setTimeout(r, 20));
    });

    expect(errors).toEqual([]);
    // The server's elements were kept (hydrated, not replaced), and the browser asked only for its session.
    expect(container.querySelector('[data-testid="live-now-card"]')).toBe(card);
    expect(browser.calls.map((c) => `${c.method} ${c.url}`)).toEqual(['POST /api/auth/refresh']);
    // Signed out: the lists stay (seeded for both the unknown and the signed-out session).
    expect(container.textContent).toContain('87 人在看');
    act(() => root.unmount());
  });

  it('hydrates with the session unknown even when it was restored first, then shows what a signed-out visitor sees', async () => {
    const server = await serverRender('/');
    expect(server.html).not.toContain('注册账号'); // the server does not know the session
    document.body.innerHTML = `<div id="root">${server.html}</div>`;
    const container = document.getElementById('root') as HTMLElement;
    const queryClient = newQueryClient();
    hydrate(queryClient, JSON.parse(scriptJson(server.state)));
    queryClient.setQueryData(SESSION_QUERY_KEY, null); // the refresh answered (signed out) before hydration
    const errors: unknown[] = [];
    const Router = ({ children }: { children: ReactNode }) => (
      <MemoryRouter initialEntries={['/']} future={ROUTER_FUTURE}>
        {children}
      </MemoryRouter>
    );
    const root = await act(async () =>
      hydrateRoot(
        container,
        <Root router={Router} queryClient={queryClient} client={new ApiClient({ fetch: homeApi().fetch })} />,
        { onRecoverableError: (e) => errors.push(e) },
      ),
    );
    await act(async () => {
      await new Promise((r) => setTimeout(r, 20));
    });
    expect(errors).toEqual([]);
    expect(container.querySelector('a[href="/sign-up"]')?.textContent).toBe('注册账号');
    act(() => root.unmount());
  });

  it('renders a product page and a live room with their data, and no other page', async () => {
    const api = fakeApi({
      'GET /api/products/p-1': () => json(200, { id: 'p-1', nameZh: '柞水木耳' }),
      'GET /api/shows/s-1': () => json(200, { id: 's-1', title: '秦岭木耳丰收季', status: 'live' }),
    });
    const client = new ApiClient({ fetch: api.fetch });
    const queryClient = newQueryClient();
    expect(await prefetchFirstScreen(queryClient, client, '/products/p-1')).toBe(true);
    expect(queryClient.getQueryData(['catalog', 'product', 'p-1'])).toMatchObject({ nameZh: '柞水木耳' });
    expect(await prefetchFirstScreen(queryClient, client, '/live/s-1')).toBe(true);
    // The room before the session is known and for a signed-out visitor: the same anonymous show.
    for (const status of ['loading', 'signedOut']) {
      expect(queryClient.getQueryData(['live', 'show', 's-1', status])).toMatchObject({ title: '秦岭木耳丰收季' });
    }
    for (const path of ['/live', '/products', '/console/c-1/orders', '/products/%E0%A4%A', '/live/s-1/x']) {
      expect(await prefetchFirstScreen(newQueryClient(), client, path)).toBe(false);
    }
    expect(api.calls).toHaveLength(2);
  });

  it('fails when the API fails (the server then sends the plain page)', async () => {
    const api = fakeApi({});
    await expect(
      prefetchFirstScreen(newQueryClient(), new ApiClient({ fetch: api.fetch }), '/products/x'),
    ).rejects.toThrow();
  });

  it('embeds data that cannot end its script element, and reads it back', () => {
    const text = scriptJson({ name: '</script><script>alert(1)</script>', sep: '\u2028' });
    expect(text).not.toMatch(/<|>|\u2028/);
    document.body.innerHTML = `<script id="${FIRST_SCREEN_ID}" type="application/json">${text}</script>`;
    expect(readFirstScreen()).toEqual({ name: '</script><script>alert(1)</script>', sep: '\u2028' });
    document.body.innerHTML = `<script id="${FIRST_SCREEN_ID}" type="application/json">{broken</script>`;
    expect(readFirstScreen()).toBeNull();
  });
});
