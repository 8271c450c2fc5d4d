import { fireEvent, screen, within } from '@testing-library/react';
import type { GroupBuyView } from '@xiangbo/contracts';
import { apiError, fakeApi, json, renderApp, resetLanguage, session, signedOutRefresh } from '../../test/helpers';

const G = '66666666-6666-4666-8666-666666666666';
const P = '77777777-7777-4777-8777-777777777777';
const ORDER = '88888888-8888-4888-8888-888888888888';

beforeEach(async () => {
  await resetLanguage();
  vi.spyOn(window, 'scrollTo').mockImplementation(() => undefined);
});

function group(overrides: Partial<GroupBuyView> = {}): GroupBuyView {
  const now = Date.now();
  return {
    id: G,
    status: 'open',
    size: 3,
    joined: 1,
    holding: 0,
    expiresAt: new Date(now + 5 * 3600_000 + 60_000).toISOString(),
    createdAt: new Date(now - 19 * 3600_000).toISOString(),
    formedAt: null,
    groupPriceFen: 4900,
    product: { id: P, nameZh: '黄平高山土鸡蛋 30 枚', nameEn: null, unit: 'box', priceFen: 6900, coverThumbUrl: null },
    members: [{ name: '王*明', leader: true, paid: true }],
    mine: null,
    ...overrides,
  };
}

describe('the shared group page /groups/:id', () => {
  it('shows a signed-out visitor the progress, the masked leader, empty seats, the countdown, and asks to sign in to join', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': signedOutRefresh,
      [`GET /api/group-buys/${G}`]: () => json(200, group()),
    });
    renderApp(`/groups/${G}`, api.fetch);
    expect(await screen.findByRole('heading', { name: '还差 2 人成团' })).toBeTruthy();
    expect(screen.getByText('王*明')).toBeTruthy();
    expect(screen.getAllByText('待加入')).toHaveLength(2);
    expect(screen.getByTestId('group-progress').textContent).toBe('已有 1/3 人付款');
    expect(screen.getByTestId('group-countdown').textContent).toMatch(/^距结束 5:0[01]:\d\d$/);
    expect(screen.getByRole('link', { name: '登录后参团' }).getAttribute('href')).toBe(
      `/sign-in?redirect=${encodeURIComponent(`/groups/${G}`)}`,
    );
    expect(screen.getByText(/3 人在 24 小时内付款即成团/)).toBeTruthy();
  });

  it('says 已成团 and offers no join on a formed group', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': () => json(200, session()),
      [`GET /api/group-buys/${G}`]: () =>
        json(
          200,
          group({
            status: 'formed',
            joined: 3,
            members: [
              { name: '王*明', leader: true, paid: true },
              { name: '李*', leader: false, paid: true },
              { name: '张*', leader: false, paid: true },
            ],
          }),
        ),
    });
    renderApp(`/groups/${G}`, api.fetch);
    expect(await screen.findByRole('heading', { name: '已成团' })).toBeTruthy();
    expect(screen.getByText('拼团成功！合作社将尽快发货。')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /参与拼团/ })).toBeNull();
  });

  it('after the time is up, an open group says payments are being confirmed, offers no join, and lets an unpaid member still pay', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': () => json(200, session()),
      [`GET /api/group-buys/${G}`]: () =>
        json(
          200,
          group({
            joined: 1,
            expiresAt: new Date(Date.now() - 60_000).toISOString(),
            members: [
              { name: '王*明', leader: true, paid: true },
              { name: '我', leader: false, paid: false },
            ],
            mine: { orderId: ORDER, paid: false },
          }),
        ),
    });
    renderApp(`/groups/${G}`, api.fetch);
    expect(await screen.findByTestId('group-confirming')).toBeTruthy();
    expect(screen.getByTestId('group-confirming').textContent).toMatch(/正在等待团员的付款确认/);
    expect(screen.getByTestId('group-countdown').textContent).toBe('已结束');
    expect(screen.queryByRole('button', { name: /参与拼团/ })).toBeNull();
    expect(screen.getByRole('link', { name: '去付款' }).getAttribute('href')).toBe(`/orders/${ORDER}`);
  });

  it('shows a refused join in Chinese (the group filled meanwhile)', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': () => json(200, session()),
      [`GET /api/group-buys/${G}`]: () => json(200, group()),
      'GET /api/addresses': () =>
        json(200, [
          {
            id: 'a1',
            recipient: '陈静',
            mobile: '13800138000',
            province: '浙江省',
            city: '杭州市',
            district: '西湖区',
            detail: '文三路 100 号',
            isDefault: true,
          },
        ]),
      [`POST /api/group-buys/${G}/join`]: () => apiError(409, 'GROUP_FORMED', 'this group is already formed'),
    });
    renderApp(`/groups/${G}`, api.fetch);
    fireEvent.click(await screen.findByRole('button', { name: /参与拼团/ }));
    const sheet = await screen.findByRole('dialog', { name: '参与拼团' });
    expect(within(sheet).getByTestId('group-checkout-total').textContent).toBe('¥49.00');
    // the address book has loaded (else the sheet asks for a new address and sends nothing)
    await within(sheet).findByText('13800138000');
    fireEvent.click(await within(sheet).findByRole('button', { name: '提交并付款' }));
    expect(await within(sheet).findByText('这个团已经成团了，发起一个新团吧。')).toBeTruthy();
  });

  it('answers a missing group with a page saying so', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': signedOutRefresh,
      [`GET /api/group-buys/${G}`]: () => apiError(404, 'GROUP_NOT_FOUND', 'group not found'),
    });
    renderApp(`/groups/${G}`, api.fetch);
    expect(await screen.findByText('找不到这个团')).toBeTruthy();
  });
});

describe('the buyer’s order with a group', () => {
  it('shows 拼团失败·已退款 next to the order status', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': () => json(200, session()),
      'GET /api/orders?page=1&pageSize=20': () =>
        json(200, {
          items: [
            {
              id: ORDER,
              number: 'XB26120700000001',
              status: 'refunded',
              cooperative: { id: 'c', name: '谷陇镇苗绣手工艺专业合作社' },
              lines: [
                {
                  id: 'l',
                  productId: P,
                  productName: '黄平高山土鸡蛋 30 枚',
                  unit: 'box',
                  unitPriceFen: 4900,
                  quantity: 1,
                  lineTotalFen: 4900,
                },
              ],
              subtotalFen: 4900,
              shippingFen: 0,
              totalFen: 4900,
              refundedFen: 4900,
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
        }),
      'GET /api/group-buys/mine': () => json(200, [{ orderId: ORDER, groupId: G, status: 'failed', refunded: true }]),
    });
    renderApp('/orders', api.fetch);
    expect((await screen.findByTestId('group-order-status')).textContent).toBe('拼团失败·已退款');
  });
});

describe('the product page’s 拼团 block', () => {
  it('shows the group price, N人团, what it saves, and the open groups with time left and 还差 N 人', async () => {
    const product = {
      id: P,
      nameZh: '黄平高山土鸡蛋 30 枚',
      nameEn: null,
      descriptionZh: '山林散养土鸡。',
      descriptionEn: null,
      category: 'poultry_meat',
      unit: 'box',
      priceFen: 6900,
      currency: 'CNY',
      stock: 100,
      soldCount: 0,
      originProvince: '贵州省',
      originCounty: '黄平县',
      originVillage: '谷陇村',
      shelfLifeDays: 30,
      storage: '冷藏保存',
      shippingRegions: [],
      createdAt: '2026-12-01T00:00:00.000Z',
      updatedAt: '2026-12-01T00:00:00.000Z',
      photos: [],
      cooperative: {
        id: 'c',
        name: '谷陇镇苗绣手工艺专业合作社',
        province: '贵州省',
        county: '黄平县',
        village: '谷陇村',
      },
      trace: {
        origin: { province: '贵州省', county: '黄平县', village: '谷陇村' },
        lots: [],
        households: { total: 0, registeredOrMonitored: 0, masked: [] },
      },
      groupBuy: { size: 3, groupPriceFen: 4900, windowHours: 24, active: true },
      presale: null,
    };
    const api = fakeApi({
      'POST /api/auth/refresh': signedOutRefresh,
      [`GET /api/products/${P}`]: () => json(200, product),
      [`GET /api/group-buys?productId=${P}`]: () =>
        json(200, [
          {
            id: G,
            size: 3,
            joined: 1,
            expiresAt: new Date(Date.now() + 2 * 3600_000).toISOString(),
            leaderName: '王*明',
          },
        ]),
    });
    renderApp(`/products/${P}`, api.fetch);
    const block = await screen.findByTestId('group-offer');
    expect(within(block).getByText('3人团')).toBeTruthy();
    expect(within(block).getByText('¥49.00')).toBeTruthy();
    expect(within(block).getByText('比单买省 ¥20.00')).toBeTruthy();
    expect(await within(block).findByText('王*明 的团')).toBeTruthy();
    expect(within(block).getByText('还差 2 人')).toBeTruthy();
    expect(within(block).getByText(/^剩余 [12]:\d\d:\d\d$/)).toBeTruthy();
    expect(within(block).getByRole('link', { name: '去参团' }).getAttribute('href')).toBe(`/groups/${G}`);
    // Signed out, starting a group goes through sign-in.
    expect(within(block).getByRole('link', { name: '发起拼团' }).getAttribute('href')).toMatch(/^\/sign-in\?redirect=/);
  });
});
