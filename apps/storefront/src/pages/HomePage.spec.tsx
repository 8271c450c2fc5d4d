import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { ShowListItem } from '@xiangbo/contracts';
import { fakeApi, json, renderApp, resetLanguage, signedOutRefresh } from '../test/helpers';

beforeEach(async () => {
  await resetLanguage();
  vi.spyOn(window, 'scrollTo').mockImplementation(() => undefined);
});

function show(overrides: Partial<ShowListItem>): ShowListItem {
  return {
    id: 's-1',
    title: '秦岭木耳丰收季',
    status: 'live',
    scheduledAt: '2026-12-07T11:30:00.000Z',
    startedAt: '2026-12-07T11:30:00.000Z',
    endedAt: null,
    coverUrl: null,
    cooperative: { id: 'c-1', name: '金米村木耳合作社', province: '陕西省', county: '柞水县' },
    hostName: '小李',
    productCount: 3,
    subscriberCount: 12,
    subscribed: false,
    following: false,
    ...overrides,
  };
}

const page = <T,>(items: T[]) => ({ items, total: items.length, page: 1, pageSize: 20 });

function shopApi() {
  return fakeApi({
    'POST /api/auth/refresh': signedOutRefresh,
    'GET /api/shows?status=live&pageSize=6': () => json(200, page([show({ viewers: 87 })])),
    'GET /api/shows?status=scheduled&pageSize=6': () =>
      json(200, page([show({ id: 's-2', title: '高山茶春季首发', status: 'scheduled', startedAt: null })])),
    'GET /api/products/facets': () =>
      json(200, {
        categories: [
          { category: 'fungi', count: 3 },
          { category: 'tea', count: 2 },
        ],
        provinces: [{ province: '陕西省', count: 5 }],
      }),
  });
}

describe('home reads like a shop', () => {
  it('puts search, live now with viewers, upcoming shows and produce by category and region above the pitch', async () => {
    renderApp('/', shopApi().fetch);

    const search = screen.getByRole('combobox', { name: '搜索农产品' });
    const live = await screen.findByTestId('live-now-card');
    expect(live.getAttribute('href')).toBe('/live/s-1');
    expect(within(live).getByText('直播中')).toBeTruthy();
    expect(within(live).getByText('87 人在看')).toBeTruthy();
    expect(await screen.findByRole('heading', { level: 2, name: '即将开播' })).toBeTruthy();
    const next = await screen.findByTestId('upcoming-card');
    expect(next.getAttribute('href')).toBe('/live/s-2');
    expect(within(next).getByText('高山茶春季首发')).toBeTruthy();

    const fungi = await screen.findByRole('link', { name: '木耳菌菇 3' });
    expect(fungi.getAttribute('href')).toBe('/products?category=fungi');
    expect(screen.getByRole('link', { name: '陕西 5' }).getAttribute('href')).toBe(
      `/products?region=${encodeURIComponent('陕西省')}`,
    );

    // The brand pitch comes after the shop.
    const pitch = screen.getByRole('heading', { level: 2, name: '从田间地头，直播到你家' });
    for (const before of [search, live, fungi]) {
      expect(before.compareDocumentPosition(pitch) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    }
  });

  it('says plainly when nobody is live or scheduled, and hides an empty browse section', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': signedOutRefresh,
      'GET /api/shows?status=live&pageSize=6': () => json(200, page([])),
      'GET /api/shows?status=scheduled&pageSize=6': () => json(200, page([])),
      'GET /api/products/facets': () => json(200, { categories: [], provinces: [] }),
    });
    renderApp('/', api.fetch);

    expect(await screen.findByText('现在没有直播。合作社开播后会显示在这里。')).toBeTruthy();
    expect(screen.queryByTestId('live-now-card')).toBeNull();
    expect(await screen.findByText('暂时没有直播预告。合作社排期后会显示在这里。')).toBeTruthy();
    expect(screen.queryByRole('heading', { name: '逛农产品' })).toBeNull();
  });

  it('searches from the box on top: the product list opens with the query', async () => {
    const api = shopApi();
    renderApp('/', api.fetch);

    fireEvent.change(screen.getByRole('combobox', { name: '搜索农产品' }), { target: { value: ' 木耳 ' } });
    fireEvent.click(screen.getByRole('button', { name: '搜索' }));

    await waitFor(() =>
      expect(api.calls.some((c) => c.url.startsWith(`/api/products?q=${encodeURIComponent('木耳')}`))).toBe(true),
    );
    // The product list's own search box carries the query; the home page has gone.
    expect(((await screen.findByRole('searchbox', { name: '搜索农产品' })) as HTMLInputElement).value).toBe('木耳');
    expect(screen.queryByTestId('live-now-card')).toBeNull();
  });

  it('is in English when English was chosen', async () => {
    renderApp('/', shopApi().fetch);
    fireEvent.change(screen.getByRole('combobox', { name: '语言 / Language' }), { target: { value: 'en' } });

    expect(await screen.findByRole('combobox', { name: 'Search produce' })).toBeTruthy();
    expect(await screen.findByText('87 watching')).toBeTruthy();
    expect(screen.getByRole('heading', { level: 2, name: 'Coming up' })).toBeTruthy();
  });
});
