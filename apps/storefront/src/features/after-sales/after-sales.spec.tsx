import { QueryClient } from '@tanstack/react-query';
import { fireEvent, render, screen, within } from '@testing-library/react';
import type { AfterSalesView } from '@xiangbo/contracts';
import { MemoryRouter } from 'react-router-dom';
import { ApiClient } from '../../api/client';
import { Providers } from '../../app/providers';
import { apiError, fakeApi, json, renderApp, resetLanguage, session, user } from '../../test/helpers';
import { OrderAfterSales } from './OrderAfterSales';
import { PromiseBadges } from './PromiseBadges';

const O = '44444444-4444-4444-8444-444444444444';
const COOP = '55555555-5555-4555-8555-555555555555';
const R = '66666666-6666-4666-8666-666666666666';

beforeEach(async () => {
  await resetLanguage();
});

function view(overrides: Partial<AfterSalesView> = {}): AfterSalesView {
  return {
    id: R,
    orderId: O,
    orderNumber: 'XB202612070001',
    kind: 'refund',
    reason: 'damaged',
    text: '三个猕猴桃压坏了',
    photos: [{ url: '/api/files/a.webp', thumbUrl: '/api/files/a-thumb.webp', width: 640, height: 480 }],
    amountFen: 13600,
    status: 'requested',
    decisionNote: null,
    coveredBy: 'badFruitCover',
    returnShipment: null,
    buyerMasked: '王*明',
    createdAt: '2026-12-07T08:00:00.000Z',
    decidedAt: null,
    dispute: null,
    escalatableFrom: null,
    ...overrides,
  };
}

function renderPart(ui: React.ReactNode, fetch: Parameters<typeof renderApp>[1]) {
  const client = new ApiClient({ fetch });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <Providers client={client} queryClient={queryClient}>
      <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>{ui}</MemoryRouter>
    </Providers>,
  );
}

describe('售后 on the order page', () => {
  it('shows a request’s state, the promise that covers it and the cooperative’s answer', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': () => json(200, session()),
      [`GET /api/orders/${O}/after-sales`]: () =>
        json(200, [view({ status: 'refused', coveredBy: null, decisionNote: '品种口味偏酸，不属于质量问题' })]),
    });
    renderPart(<OrderAfterSales orderId={O} orderStatus="completed" />, api.fetch);
    const item = await screen.findByTestId('after-sales-item');
    expect(item.textContent).toContain('合作社已拒绝');
    expect(item.textContent).toContain('合作社回复：品种口味偏酸，不属于质量问题');
    expect(item.textContent).toContain('仅退款 · 坏果 / 破损 · 退款 ¥136.00');
    expect(within(item).getByRole('img', { name: '售后凭证 1' }).getAttribute('src')).toBe('/api/files/a-thumb.webp');
    // Decided: a new request may be made.
    expect(screen.getByTestId('after-sales-apply')).toBeTruthy();
  });

  it('sends the reason, words, amount and photos; a refusal is named in Chinese', async () => {
    let tries = 0;
    let made = false;
    const api = fakeApi({
      'POST /api/auth/refresh': () => json(200, session()),
      [`GET /api/orders/${O}/after-sales`]: () => json(200, made ? [view({ coveredBy: null })] : []),
      [`POST /api/orders/${O}/after-sales`]: () => {
        made = ++tries > 1;
        return tries === 1
          ? apiError(409, 'AFTER_SALES_NOT_PROMISED', 'not offered')
          : json(201, view({ photos: [], coveredBy: null }));
      },
      [`POST /api/after-sales/${R}/photos`]: () => json(201, view()),
    });
    renderPart(<OrderAfterSales orderId={O} orderStatus="delivered" />, api.fetch);
    fireEvent.click(await screen.findByTestId('after-sales-apply'));
    fireEvent.change(screen.getByLabelText('售后原因'), { target: { value: 'no_reason' } });
    fireEvent.click(screen.getByRole('button', { name: '提交申请' }));
    expect((await screen.findByRole('alert')).textContent).toBe('这家合作社没有承诺 7 天无理由退货。');
    const noReason = api.calls.find((c) => c.method === 'POST' && c.url.endsWith('/after-sales'));
    expect(JSON.parse(String(noReason?.init.body))).toMatchObject({ kind: 'return', reason: 'no_reason' });

    fireEvent.change(screen.getByLabelText('售后原因'), { target: { value: 'damaged' } });
    fireEvent.change(screen.getByLabelText('问题描述'), { target: { value: ' 三个压坏了 ' } });
    fireEvent.change(screen.getByLabelText('退款金额（元，可不填）'), { target: { value: '12.5' } });
    const file = new File([new Uint8Array([1, 2, 3])], 'bad.jpg', { type: 'image/jpeg' });
    URL.createObjectURL = vi.fn(() => 'blob:preview-1');
    URL.revokeObjectURL = vi.fn();
    fireEvent.change(screen.getByTestId('after-sales-photo-input'), { target: { files: [file] } });
    expect(await screen.findByRole('img', { name: '售后凭证 1' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '提交申请' }));
    await screen.findByTestId('after-sales-item');
    const posts = api.calls.filter((c) => c.method === 'POST' && c.url.endsWith('/after-sales'));
    expect(JSON.parse(String(posts[1].init.body))).toEqual({
      kind: 'refund',
      reason: 'damaged',
      text: '三个压坏了',
      amountFen: 1250,
    });
    expect(api.count(`POST /api/after-sales/${R}/photos`)).toBe(1);
  });

  it('refuses an amount it cannot read, before asking the server', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': () => json(200, session()),
      [`GET /api/orders/${O}/after-sales`]: () => json(200, []),
    });
    renderPart(<OrderAfterSales orderId={O} orderStatus="shipped" />, api.fetch);
    fireEvent.click(await screen.findByTestId('after-sales-apply'));
    fireEvent.change(screen.getByLabelText('退款金额（元，可不填）'), { target: { value: '12.345' } });
    fireEvent.click(screen.getByRole('button', { name: '提交申请' }));
    expect(await screen.findByText('请填正确的金额，如 12.50')).toBeTruthy();
    expect(api.calls.some((c) => c.method === 'POST' && c.url.endsWith('/after-sales'))).toBe(false);
  });

  it('asks for the tracking number once the cooperative agreed to a return', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': () => json(200, session()),
      [`GET /api/orders/${O}/after-sales`]: () =>
        json(200, [
          view({ kind: 'return', reason: 'no_reason', status: 'awaiting_return', coveredBy: 'sevenDayReturn' }),
        ]),
      [`POST /api/after-sales/${R}/return-shipment`]: () => json(200, view({ status: 'returned' })),
    });
    renderPart(<OrderAfterSales orderId={O} orderStatus="completed" />, api.fetch);
    expect(await screen.findByText('合作社已同意退货，请寄回')).toBeTruthy();
    expect(screen.getByText('受「7天无理由退货」保障，合作社不能拒绝')).toBeTruthy();
    expect(screen.queryByTestId('after-sales-apply')).toBeNull(); // one open request at a time
    fireEvent.change(screen.getByLabelText('快递公司'), { target: { value: '中通快递' } });
    fireEvent.change(screen.getByLabelText('快递单号'), { target: { value: 'ZT123456789' } });
    fireEvent.click(screen.getByRole('button', { name: '提交寄回单号' }));
    await vi.waitFor(() => expect(api.count(`POST /api/after-sales/${R}/return-shipment`)).toBe(1));
    const call = api.calls.find((c) => c.url.endsWith('/return-shipment'));
    expect(JSON.parse(String(call?.init.body))).toEqual({ carrier: '中通快递', trackingNumber: 'ZT123456789' });
  });
});

describe('promise badges on the product page', () => {
  it('shows the promises the cooperative chose, and nothing when it chose none', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': () => json(200, session()),
      [`GET /api/cooperatives/${COOP}/promises`]: () =>
        json(200, { sevenDayReturn: true, badFruitCover: true, shipWithin48h: false }),
    });
    renderPart(<PromiseBadges cooperativeId={COOP} />, api.fetch);
    const row = await screen.findByTestId('promise-badges');
    expect(
      within(row)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['✓7天无理由退货', '✓坏果包赔']);
  });
});

describe('the console’s 售后 page', () => {
  const admin = user({ roles: [{ role: 'coop_admin', cooperativeId: COOP }] });
  const host = user({ roles: [{ role: 'host', cooperativeId: COOP }] });

  function consoleApi(me = admin, list = [view(), view({ id: 'r2', coveredBy: null, reason: 'quality' })]) {
    return fakeApi({
      'POST /api/auth/refresh': () => json(200, session(me)),
      [`GET /api/cooperatives/${COOP}/promises`]: () =>
        json(200, { sevenDayReturn: false, badFruitCover: true, shipWithin48h: false }),
      [`PUT /api/console/cooperatives/${COOP}/promises`]: (init) => json(200, JSON.parse(String(init.body))),
      [`GET /api/console/cooperatives/${COOP}/after-sales`]: () => json(200, list),
      [`POST /api/console/after-sales/r2/decision`]: () => json(200, view({ id: 'r2', status: 'refused' })),
    });
  }

  it('saves the promises and refuses an uncovered request with a reason; a covered one has no refuse button', async () => {
    const api = consoleApi();
    renderApp(`/console/${COOP}/after-sales`, api.fetch);
    const seven = await screen.findByRole('checkbox', { name: /7天无理由退货/ });
    fireEvent.click(seven);
    fireEvent.click(screen.getByRole('button', { name: '保存承诺' }));
    expect(await screen.findByText('已保存。')).toBeTruthy();
    const put = api.calls.find((c) => c.method === 'PUT');
    expect(JSON.parse(String(put?.init.body))).toEqual({
      sevenDayReturn: true,
      badFruitCover: true,
      shipWithin48h: false,
    });

    const [covered, plain] = await screen.findAllByTestId('console-after-sales');
    expect(covered.textContent).toContain('受「坏果包赔」保障，合作社不能拒绝');
    expect(within(covered).queryByRole('button', { name: '拒绝' })).toBeNull();
    expect(within(covered).getByRole('button', { name: '同意' })).toBeTruthy();
    fireEvent.click(within(plain).getByRole('button', { name: '拒绝' }));
    fireEvent.change(within(plain).getByLabelText('拒绝原因（买家可见）'), {
      target: { value: '口味问题，不属于质量问题' },
    });
    fireEvent.click(within(plain).getByRole('button', { name: '确认拒绝' }));
    await vi.waitFor(() => expect(api.count('POST /api/console/after-sales/r2/decision')).toBe(1));
    const call = api.calls.find((c) => c.url.endsWith('/r2/decision'));
    expect(JSON.parse(String(call?.init.body))).toEqual({ accept: false, note: '口味问题，不属于质量问题' });
  });

  it('lets a host read but not decide', async () => {
    renderApp(`/console/${COOP}/after-sales`, consoleApi(host).fetch);
    const [first] = await screen.findAllByTestId('console-after-sales');
    expect(within(first).queryByRole('button', { name: '同意' })).toBeNull();
    expect(first.textContent).toContain('只有合作社管理员可以处理售后。');
    expect(screen.queryByRole('button', { name: '保存承诺' })).toBeNull();
  });
});
