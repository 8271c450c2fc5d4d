import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { ProductSuggestion } from '@xiangbo/contracts';
import { fakeApi, json, renderApp, resetLanguage, signedOutRefresh } from '../../test/helpers';

beforeEach(async () => {
  await resetLanguage();
  vi.spyOn(window, 'scrollTo').mockImplementation(() => undefined);
});

const page = <T,>(items: T[]) => ({ items, total: items.length, page: 1, pageSize: 20 });

function item(overrides: Partial<ProductSuggestion>): ProductSuggestion {
  return {
    id: 'p-1',
    nameZh: '柞水黑木耳',
    nameEn: null,
    priceFen: 5900,
    coverThumbUrl: null,
    highlight: [[2, 5]],
    ...overrides,
  };
}

const SUGGEST = '/api/products/suggest?q=';

function homeApi() {
  return fakeApi({
    'POST /api/auth/refresh': signedOutRefresh,
    'GET /api/shows?status=live&pageSize=6': () => json(200, page([])),
    'GET /api/shows?status=scheduled&pageSize=6': () => json(200, page([])),
    'GET /api/products/facets': () => json(200, { categories: [], provinces: [] }),
    [`GET ${SUGGEST}hme`]: () =>
      json(200, {
        items: [item({}), item({ id: 'p-2', nameZh: '秦岭黑木耳礼盒', priceFen: 12800, highlight: [[2, 5]] })],
      }),
    [`GET ${SUGGEST}${encodeURIComponent('木耳')}`]: () => json(200, { items: [item({ highlight: [[3, 5]] })] }),
    [`GET ${SUGGEST}xyzzy`]: () => json(200, { items: [] }),
  });
}

const box = () => screen.getByRole('combobox', { name: '搜索农产品' }) as HTMLInputElement;
const suggestCalls = (api: ReturnType<typeof homeApi>) => api.calls.filter((c) => c.url.startsWith(SUGGEST));

describe('suggestions under the home search box', () => {
  it('asks once when the buyer stops typing, lists matches with what matched in bold, and moves with the keys', async () => {
    const api = homeApi();
    renderApp('/', api.fetch);
    expect(box().getAttribute('aria-expanded')).toBe('false');
    // Nothing of the suggestions exists before the box is focused (they load then).
    expect(document.getElementById('home-suggest')).toBeNull();

    fireEvent.focus(box());
    for (const v of ['h', 'hm', 'hme']) fireEvent.change(box(), { target: { value: v } });
    const list = await screen.findByRole('listbox', { name: '搜索建议' });
    expect(suggestCalls(api).map((c) => c.url)).toEqual([`${SUGGEST}hme`]);
    expect(box().getAttribute('aria-expanded')).toBe('true');
    expect(box().getAttribute('aria-controls')).toBe(list.id);
    const options = within(list).getAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual(['柞水黑木耳¥59.00', '秦岭黑木耳礼盒¥128.00', '搜索“hme”']);
    expect(options[0].querySelector('mark')?.textContent).toBe('黑木耳');
    expect((await screen.findByRole('status')).textContent).toBe('2 条建议，用上下键选择');

    fireEvent.keyDown(box(), { key: 'ArrowDown' });
    expect(box().getAttribute('aria-activedescendant')).toBe(options[0].id);
    expect(options[0].getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(box(), { key: 'ArrowDown' });
    fireEvent.keyDown(box(), { key: 'ArrowDown' });
    expect(box().getAttribute('aria-activedescendant')).toBe(options[2].id);
    fireEvent.keyDown(box(), { key: 'ArrowDown' }); // wraps to the first
    expect(box().getAttribute('aria-activedescendant')).toBe(options[0].id);
    fireEvent.keyDown(box(), { key: 'ArrowUp' }); // and back to the last
    expect(box().getAttribute('aria-activedescendant')).toBe(options[2].id);
    fireEvent.keyDown(box(), { key: 'ArrowUp' });
    fireEvent.keyDown(box(), { key: 'Enter' });
    // The product page opens.
    await waitFor(() => expect(api.calls.some((c) => c.url === '/api/products/p-2')).toBe(true));
  });

  it('Escape closes the list, a key opens it again, a tap on 搜索“…” opens the results', async () => {
    const api = homeApi();
    renderApp('/', api.fetch);
    fireEvent.focus(box());
    fireEvent.change(box(), { target: { value: '木耳' } });
    const list = await screen.findByRole('listbox');
    fireEvent.keyDown(box(), { key: 'Escape' });
    expect(box().getAttribute('aria-expanded')).toBe('false');
    expect(list.hidden).toBe(true);
    fireEvent.keyDown(box(), { key: 'ArrowDown' }); // opens again
    expect(box().getAttribute('aria-expanded')).toBe('true');
    const all = within(list).getByRole('option', { name: '搜索“木耳”' });
    expect(fireEvent.mouseDown(all)).toBe(false); // the box keeps the focus
    fireEvent.click(all);
    await waitFor(() =>
      expect(api.calls.some((c) => c.url.startsWith(`/api/products?q=${encodeURIComponent('木耳')}`))).toBe(true),
    );
  });

  it('says when nothing matches, asks nothing for a blank box, and closes when the box loses focus', async () => {
    const api = homeApi();
    renderApp('/', api.fetch);
    fireEvent.focus(box());
    fireEvent.change(box(), { target: { value: '   ' } });
    fireEvent.change(box(), { target: { value: 'xyzzy' } });
    expect((await screen.findByText('没有建议，按回车搜索')).getAttribute('role')).toBe('status');
    expect(box().getAttribute('aria-expanded')).toBe('false');
    expect(suggestCalls(api).map((c) => c.url)).toEqual([`${SUGGEST}xyzzy`]);

    fireEvent.change(box(), { target: { value: 'hme' } });
    await screen.findByRole('listbox');
    fireEvent.blur(box());
    await waitFor(() => expect(box().getAttribute('aria-expanded')).toBe('false'));
    fireEvent.focus(box());
    await waitFor(() => expect(box().getAttribute('aria-expanded')).toBe('true'));
  });

  it('speaks English when English was chosen', async () => {
    const api = homeApi();
    renderApp('/', api.fetch);
    fireEvent.change(screen.getByRole('combobox', { name: '语言 / Language' }), { target: { value: 'en' } });
    const input = (await screen.findByRole('combobox', { name: 'Search produce' })) as HTMLInputElement;
    fireEvent.focus(input);
    fireEvent.change(input, { target: { value: 'hme' } });
    const list = await screen.findByRole('listbox', { name: 'Suggestions' });
    expect(within(list).getByRole('option', { name: 'Search for “hme”' })).toBeTruthy();
  });
});
