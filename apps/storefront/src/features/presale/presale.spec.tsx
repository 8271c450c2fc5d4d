import { fireEvent, screen, within } from '@testing-library/react';
import type { MyPresaleOrder, PresaleOffer, ProductDetail } from '@xiangbo/contracts';
import { apiError, fakeApi, json, renderApp, resetLanguage, session, signedOutRefresh } from '../../test/helpers';

const P = '77777777-7777-4777-8777-777777777777';
const ORDER = '88888888-8888-4888-8888-888888888888';
const PS = '99999999-9999-4999-8999-999999999999';

beforeEach(async () => {
  await resetLanguage();
  vi.spyOn(window, 'scrollTo').mockImplementation(() => undefined);
});

function offer(overrides: Partial<PresaleOffer> = {}): PresaleOffer {
  return {
    id: PS,
    status: 'open',
    depositFen: 1000,
    balanceFen: 2990,
    totalFen: 3990,
    shipFrom: '2027-09-20',
    shipTo: '2027-10-10',
    balanceDays: 7,
    balanceDueAt: null,
    promisedUnits: 360,
    remainingUnits: 358,
    unpaidBalanceRule: 'refund',
    guaranteedFen: 2500,
    promises: [
      { name: '马*林', quantity: 120 },
      { name: '田*刚', quantity: 100 },
    ],
    ...overrides,
  };
}

function product(presale: PresaleOffer | null): ProductDetail {
  return {
    id: P,
    nameZh: '山丹马铃薯 10 斤装',
    nameEn: null,
    descriptionZh: '沙壤土种植。',
    descriptionEn: null,
    category: 'vegetables',
    unit: 'case',
    priceFen: 3990,
    currency: 'CNY',
    stock: 500,
    soldCount: 0,
    originProvince: '甘肃省',
    originCounty: '山丹县',
    originVillage: '南湖村',
    shelfLifeDays: 60,
    storage: '阴凉避光',
    shippingRegions: [],
    createdAt: '2026-09-01T00:00:00.000Z',
    updatedAt: '2026-09-01T00:00:00.000Z',
    photos: [],
    cooperative: {
      id: 'c',
      name: '山丹县马铃薯种植专业合作社',
      province: '甘肃省',
      county: '山丹县',
      village: '南湖村',
    },
    trace: {
      origin: { province: '甘肃省', county: '山丹县', village: '南湖村' },
      lots: [],
      households: { total: 0, registeredOrMonitored: 0, masked: [] },
    },
    groupBuy: null,
    presale,
  };
}

describe('the product page’s 预售 block', () => {
  it('shows the badge, the deposit and balance, the timeline, the unpaid-balance rule and the promises; no cart', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': signedOutRefresh,
      [`GET /api/products/${P}`]: () => json(200, product(offer())),
    });
    renderApp(`/products/${P}`, api.fetch);
    const block = await screen.findByTestId('presale-offer');
    expect(within(block).getByTestId('presale-badge').textContent).toBe('预售');
    expect(within(block).getByTestId('presale-deposit').textContent).toBe('¥10.00');
    expect(within(block).getByText('¥29.90')).toBeTruthy();
    const steps = within(within(block).getByRole('list', { name: '预售流程' })).getAllByRole('listitem');
    expect(steps.map((s) => s.textContent?.replace(/^\d/, ''))).toEqual([
      '付定金',
      '付尾款',
      expect.stringMatching(/^发货/),
    ]);
    expect(within(block).getByTestId('presale-rule').textContent).toBe(
      '丰收后 7 天内付尾款；逾期未付，定金全额退回、订单取消。合作社因歉收取消预售时，定金自动全额退回。',
    );
    expect(within(block).getByText(/保底收购价 ¥25.00\/件/)).toBeTruthy();
    expect(within(block).getByText(/马\*林 120 件、田\*刚 100 件/)).toBeTruthy();
    expect(within(block).getByText(/还可预订 358 件（农户共承诺 360 件）/)).toBeTruthy();
    // signed out: sign in to reserve; the ordinary add-to-cart is not offered beside an open pre-sale
    expect(await within(block).findByRole('link', { name: '登录后预订' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /加入购物车/ })).toBeNull();
  });

  it('a full prepayment has no balance step; a harvested pre-sale takes no more reservations', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': () => json(200, session()),
      [`GET /api/products/${P}`]: () =>
        json(200, product(offer({ balanceFen: 0, depositFen: 3990, status: 'harvested' }))),
    });
    renderApp(`/products/${P}`, api.fetch);
    const block = await screen.findByTestId('presale-offer');
    expect(within(block).getAllByRole('listitem')).toHaveLength(2);
    expect(within(block).getByText(/已丰收，预订已结束/)).toBeTruthy();
    expect(within(block).queryByTestId('presale-reserve')).toBeNull();
    // harvested: the product sells at its normal price again
    expect(await screen.findByRole('button', { name: /加入购物车/ })).toBeTruthy();
  });
});

function myOrder(overrides: Partial<MyPresaleOrder> = {}): MyPresaleOrder {
  return {
    orderId: ORDER,
    balanceOrderId: null,
    presaleId: PS,
    productId: P,
    productName: '山丹马铃薯 10 斤装',
    quantity: 2,
    state: 'balance_due',
    depositFen: 2000,
    balanceFen: 5980,
    balanceDueAt: '2026-12-15T04:00:00.000Z',
    shipFrom: '2027-09-20',
    shipTo: '2027-10-10',
    ...overrides,
  };
}

const orderPage = {
  items: [
    {
      id: ORDER,
      number: 'XB26120700000001',
      status: 'paid',
      cooperative: { id: 'c', name: '山丹县马铃薯种植专业合作社' },
      lines: [
        {
          id: 'l',
          productId: P,
          productName: '山丹马铃薯 10 斤装',
          unit: 'case',
          unitPriceFen: 1000,
          quantity: 2,
          lineTotalFen: 2000,
        },
      ],
      subtotalFen: 2000,
      shippingFen: 0,
      totalFen: 2000,
      refundedFen: 0,
      currency: 'CNY',
      address: {},
      carrier: null,
      trackingNumber: null,
      expiresAt: new Date().toISOString(),
      paidAt: new Date().toISOString(),
      createdAt: new Date().toISOString(),
      paymentId: 'p',
      events: [],
      refunds: [],
    },
  ],
  total: 1,
  page: 1,
  pageSize: 20,
};

describe('the buyer’s pre-sale orders', () => {
  it('reminds of a balance due and pays it: 付尾款 opens the balance order’s payment', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': () => json(200, session()),
      'GET /api/orders?page=1&pageSize=20': () => json(200, orderPage),
      'GET /api/presale-orders/mine': () => json(200, [myOrder()]),
      [`POST /api/presale-orders/${ORDER}/balance`]: () =>
        json(200, { orderId: ORDER, balanceOrderId: 'b', paymentId: 'pay-2', amountFen: 5980 }),
    });
    renderApp('/orders', api.fetch);
    const reminder = await screen.findByTestId('presale-reminder');
    expect(within(reminder).getByText('已丰收！您有 1 笔预售待付尾款')).toBeTruthy();
    expect(reminder.textContent).toMatch(/请于 2026\/12\/15 12:00 前付尾款，逾期定金退回/);
    expect((await screen.findByTestId('presale-order-state')).textContent).toBe('待付尾款');
    fireEvent.click(screen.getByTestId('presale-pay-balance'));
    await screen.findByText(/演示支付|付款/);
    expect(api.calls.some((c) => c.method === 'POST' && c.url === `/api/presale-orders/${ORDER}/balance`)).toBe(true);
  });

  it('shows a late balance’s refusal in Chinese', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': () => json(200, session()),
      'GET /api/orders?page=1&pageSize=20': () => json(200, orderPage),
      'GET /api/presale-orders/mine': () => json(200, [myOrder()]),
      [`POST /api/presale-orders/${ORDER}/balance`]: () =>
        apiError(409, 'PRESALE_BALANCE_LATE', 'the balance was due before now: the deposit is being refunded'),
    });
    renderApp('/orders', api.fetch);
    fireEvent.click(await screen.findByTestId('presale-pay-balance'));
    expect(await screen.findAllByText('尾款已过截止时间，定金将全额退回。')).not.toHaveLength(0);
  });

  it('says 已退款 for a deposit refunded (a cancelled pre-sale, or a balance not paid in time)', async () => {
    const refunded = fakeApi({
      'POST /api/auth/refresh': () => json(200, session()),
      'GET /api/orders?page=1&pageSize=20': () => json(200, orderPage),
      'GET /api/presale-orders/mine': () => json(200, [myOrder({ state: 'refunded' })]),
    });
    renderApp('/orders', refunded.fetch);
    expect((await screen.findAllByTestId('presale-order-state')).map((e) => e.textContent)).toContain('已退款');
  });
});
