import { QueryClient } from '@tanstack/react-query';
import { fireEvent, render, screen, within } from '@testing-library/react';
import type { AdminDisputeView, AfterSalesDisputeView, AfterSalesView } from '@xiangbo/contracts';
import { MemoryRouter } from 'react-router-dom';
import { ApiClient } from '../../api/client';
import { Providers } from '../../app/providers';
import { apiError, fakeApi, json, renderApp, resetLanguage, session, user } from '../../test/helpers';
import { OrderAfterSales } from './OrderAfterSales';

const O = '44444444-4444-4444-8444-444444444444';
const R = '66666666-6666-4666-8666-666666666666';
const D = '77777777-7777-4777-8777-777777777777';

beforeEach(async () => {
  await resetLanguage();
});

function view(overrides: Partial<AfterSalesView> = {}): AfterSalesView {
  return {
    id: R,
    orderId: O,
    orderNumber: 'XB202612070001',
    kind: 'refund',
    reason: 'quality',
    text: '泡发后有霉味',
    photos: [{ url: '/api/files/m.webp', thumbUrl: '/api/files/m-thumb.webp', width: 640, height: 480 }],
    amountFen: 9000,
    status: 'refused',
    decisionNote: '木耳表面白霜是正常现象',
    coveredBy: null,
    returnShipment: null,
    buyerMasked: '王*明',
    createdAt: '2026-12-07T08:00:00.000Z',
    decidedAt: '2026-12-07T09:00:00.000Z',
    dispute: null,
    escalatableFrom: '1970-01-01T00:00:00.000Z',
    ...overrides,
  };
}

function dispute(overrides: Partial<AfterSalesDisputeView> = {}): AfterSalesDisputeView {
  return {
    id: D,
    status: 'open',
    because: 'refused',
    buyerNote: '照片里明显发霉',
    escalatedAt: '2026-12-07T10:00:00.000Z',
    decisionNote: null,
    refundFen: null,
    decidedAt: null,
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

describe('申请平台介入 on the order page', () => {
  it('takes a refused request to the platform with a note; an empty note is named before asking the server', async () => {
    let escalated = false;
    const api = fakeApi({
      'POST /api/auth/refresh': () => json(200, session()),
      [`GET /api/orders/${O}/after-sales`]: () =>
        json(200, [escalated ? view({ status: 'disputed', dispute: dispute(), escalatableFrom: null }) : view()]),
      [`POST /api/after-sales/${R}/escalation`]: () => {
        escalated = true;
        return json(201, view({ status: 'disputed', dispute: dispute(), escalatableFrom: null }));
      },
    });
    renderPart(<OrderAfterSales orderId={O} orderStatus="shipped" />, api.fetch);
    fireEvent.click(await screen.findByTestId('after-sales-escalate'));
    fireEvent.click(screen.getByRole('button', { name: '提交给平台' }));
    expect(await screen.findByText('请写明为什么需要平台介入')).toBeTruthy();
    expect(api.count(`POST /api/after-sales/${R}/escalation`)).toBe(0);

    fireEvent.change(screen.getByLabelText('说明情况（平台会看到你的凭证和合作社的回复）'), {
      target: { value: ' 照片里明显发霉 ' },
    });
    fireEvent.click(screen.getByRole('button', { name: '提交给平台' }));
    const block = await screen.findByTestId('after-sales-dispute');
    expect(block.textContent).toContain('平台介入中，请耐心等待');
    expect(block.textContent).toContain('买家说明：照片里明显发霉');
    const call = api.calls.find((c) => c.url.endsWith('/escalation'));
    expect(JSON.parse(String(call?.init.body))).toEqual({ note: '照片里明显发霉' });
    expect(screen.getByTestId('after-sales-item').textContent).toContain('平台介入中');
    expect(screen.queryByTestId('after-sales-escalate')).toBeNull();
    // While the platform decides, no second request of the order.
    expect(screen.queryByTestId('after-sales-apply')).toBeNull();
  });

  it('says until when the cooperative may answer, and names a refusal in Chinese', async () => {
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const api = fakeApi({
      'POST /api/auth/refresh': () => json(200, session()),
      [`GET /api/orders/${O}/after-sales`]: () =>
        json(200, [
          view({ id: 'a', status: 'requested', decisionNote: null, escalatableFrom: later }),
          view({ id: 'b' }),
        ]),
      [`POST /api/after-sales/b/escalation`]: () => apiError(409, 'AFTER_SALES_ESCALATED', 'already'),
    });
    renderPart(<OrderAfterSales orderId={O} orderStatus="shipped" />, api.fetch);
    const [waiting, refused] = await screen.findAllByTestId('after-sales-item');
    expect(within(waiting).getByTestId('after-sales-escalate-later').textContent).toMatch(
      /^合作社需在 .+ 前处理，逾期未处理可申请平台介入$/,
    );
    expect(within(waiting).queryByTestId('after-sales-escalate')).toBeNull();
    fireEvent.click(within(refused).getByTestId('after-sales-escalate'));
    fireEvent.change(within(refused).getByRole('textbox'), { target: { value: '不同意' } });
    fireEvent.click(within(refused).getByRole('button', { name: '提交给平台' }));
    expect((await within(refused).findByRole('alert')).textContent).toBe('这个申请已经提交平台介入了，由平台来裁决。');
  });

  it('shows the platform’s decision and what it refunded', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': () => json(200, session()),
      [`GET /api/orders/${O}/after-sales`]: () =>
        json(200, [
          view({
            status: 'refunded',
            escalatableFrom: null,
            dispute: dispute({ status: 'refunded', decisionNote: '照片显示部分霉变，退一半', refundFen: 4500 }),
          }),
        ]),
    });
    renderPart(<OrderAfterSales orderId={O} orderStatus="shipped" />, api.fetch);
    const block = await screen.findByTestId('after-sales-dispute');
    expect(block.textContent).toContain('平台已判定退款');
    expect(block.textContent).toContain('平台裁决：照片显示部分霉变，退一半');
    expect(block.textContent).toContain('平台判定退款 ¥45.00');
    expect(screen.getByTestId('after-sales-item').textContent).toContain('合作社回复：木耳表面白霜是正常现象');
  });

  it('says so when the platform’s refund was refused by the payment provider', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': () => json(200, session()),
      [`GET /api/orders/${O}/after-sales`]: () =>
        json(200, [
          view({
            status: 'failed',
            escalatableFrom: null,
            dispute: dispute({ status: 'refunded', decisionNote: '全额退款', refundFen: 9000 }),
          }),
        ]),
    });
    renderPart(<OrderAfterSales orderId={O} orderStatus="shipped" />, api.fetch);
    const block = await screen.findByTestId('after-sales-dispute');
    expect(block.textContent).toContain('平台判定退款 ¥90.00');
    expect(block.textContent).toContain('支付渠道未能退回这笔钱');
  });
});

describe('平台管理 → 售后纠纷', () => {
  const platform = user({ roles: [{ role: 'platform_admin', cooperativeId: null }] });

  function adminView(overrides: Partial<AdminDisputeView> = {}): AdminDisputeView {
    return {
      ...view({ status: 'disputed', escalatableFrom: null }),
      dispute: dispute(),
      cooperativeName: '柞水木耳合作社',
      order: {
        status: 'shipped',
        totalFen: 9000,
        refundedFen: 0,
        paidAt: '2026-12-06T08:00:00.000Z',
        lines: [{ name: '柞水黑木耳', quantity: 2, unit: 'bag', lineTotalFen: 9000 }],
      },
      ...overrides,
    };
  }

  function adminApi(me = platform) {
    return fakeApi({
      'POST /api/auth/refresh': () => json(200, session(me)),
      'GET /api/admin/after-sales/disputes?status=open': () => json(200, [adminView()]),
      'GET /api/admin/after-sales/disputes?status=decided': () => json(200, []),
      [`POST /api/admin/after-sales/disputes/${D}/decision`]: () =>
        json(200, view({ status: 'refunded', dispute: dispute({ status: 'refunded', refundFen: 4500 }) })),
    });
  }

  it('shows the request, photos, the cooperative’s reason and the order; refunds part with a reason', async () => {
    const api = adminApi();
    renderApp('/admin/after-sales', api.fetch);
    const item = await screen.findByTestId('admin-dispute');
    expect(screen.getByRole('link', { name: '售后纠纷' })).toBeTruthy();
    expect(item.textContent).toContain('柞水木耳合作社 · 买家 王*明 · 订单 XB202612070001');
    expect(item.textContent).toContain('合作社回复：木耳表面白霜是正常现象');
    expect(item.textContent).toContain('买家说明：照片里明显发霉');
    expect(item.textContent).toContain('柞水黑木耳 × 2');
    expect(within(item).getByRole('img', { name: '售后凭证 1' })).toBeTruthy();

    // More than the order can refund, and no reason: named before asking the server.
    fireEvent.change(within(item).getByLabelText('退款金额（元，可不填）'), { target: { value: '90.01' } });
    fireEvent.click(within(item).getByRole('button', { name: '确认退款' }));
    expect(await within(item).findByText('请填 0.01 到 ¥90.00 之间的金额')).toBeTruthy();
    expect(within(item).getByText('请写明裁决理由')).toBeTruthy();
    expect(api.count(`POST /api/admin/after-sales/disputes/${D}/decision`)).toBe(0);

    fireEvent.change(within(item).getByLabelText('退款金额（元，可不填）'), { target: { value: '45' } });
    fireEvent.change(within(item).getByLabelText('裁决理由（买家和合作社都能看到）'), {
      target: { value: '照片显示部分霉变，退一半' },
    });
    fireEvent.click(within(item).getByRole('button', { name: '确认退款' }));
    await vi.waitFor(() => expect(api.count(`POST /api/admin/after-sales/disputes/${D}/decision`)).toBe(1));
    const call = api.calls.find((c) => c.url.endsWith('/decision'));
    expect(JSON.parse(String(call?.init.body))).toEqual({
      outcome: 'refund',
      amountFen: 4500,
      note: '照片显示部分霉变，退一半',
    });
  });

  it('upholds without an amount', async () => {
    const api = adminApi();
    renderApp('/admin/after-sales', api.fetch);
    const item = await screen.findByTestId('admin-dispute');
    fireEvent.click(within(item).getByRole('radio', { name: '维持合作社的决定' }));
    expect(within(item).queryByLabelText('退款金额（元，可不填）')).toBeNull();
    fireEvent.change(within(item).getByLabelText('裁决理由（买家和合作社都能看到）'), {
      target: { value: '白霜是正常现象' },
    });
    fireEvent.click(within(item).getByRole('button', { name: '确认维持' }));
    await vi.waitFor(() => expect(api.count(`POST /api/admin/after-sales/disputes/${D}/decision`)).toBe(1));
    const call = api.calls.find((c) => c.url.endsWith('/decision'));
    expect(JSON.parse(String(call?.init.body))).toEqual({ outcome: 'uphold', note: '白霜是正常现象' });
    fireEvent.click(screen.getByRole('button', { name: '已裁决' }));
    expect(await screen.findByText('还没有裁决过的纠纷。')).toBeTruthy();
  });

  it('keeps a buyer out of the queue', async () => {
    const api = adminApi(user());
    renderApp('/admin/after-sales', api.fetch);
    expect(await screen.findByRole('heading', { name: '无权访问' })).toBeTruthy();
    expect(screen.queryByTestId('admin-dispute')).toBeNull();
    expect(api.count('GET /api/admin/after-sales/disputes?status=open')).toBe(0);
  });
});
