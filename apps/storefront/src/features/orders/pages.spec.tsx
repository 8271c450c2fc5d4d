import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { CartLineDto, CheckoutDto, OrderDto } from '@xiangbo/contracts';
import { apiError, fakeApi, json, renderApp, resetLanguage, session, signedOutRefresh } from '../../test/helpers';
import { GUEST_CART_KEY } from './guest-cart';

const P1 = '11111111-1111-4111-8111-111111111111';
const P2 = '22222222-2222-4222-8222-222222222222';
const GONE = '33333333-3333-4333-8333-333333333333';
const PAY = '44444444-4444-4444-8444-444444444444';
const ORDER = '55555555-5555-4555-8555-555555555555';

beforeEach(async () => {
  await resetLanguage();
  vi.spyOn(window, 'scrollTo').mockImplementation(() => undefined);
});

function product(id: string, nameZh: string, priceFen: number, stock: number, coop: { id: string; name: string }) {
  return {
    id,
    nameZh,
    nameEn: null,
    priceFen,
    unit: 'jin',
    stock,
    photos: [],
    cooperative: { ...coop, province: '陕西省', county: '柞水县', village: '金米村' },
  };
}

const coopA = { id: 'c-a', name: '金米村木耳合作社' };
const coopB = { id: 'c-b', name: '西江苗寨茶叶合作社' };

function cartLine(
  productId: string,
  nameZh: string,
  priceFen: number,
  quantity: number,
  cooperative: { id: string; name: string },
  stock = 50,
): CartLineDto {
  return {
    productId,
    nameZh,
    priceFen,
    quantity,
    unit: 'jin',
    stock,
    published: true,
    coverThumbUrl: null,
    cooperative,
  };
}

describe('cart', () => {
  it('shows a signed-out visitor’s guest cart grouped by cooperative, flags a vanished product, and asks to sign in', async () => {
    localStorage.setItem(
      GUEST_CART_KEY,
      JSON.stringify([
        { productId: P1, quantity: 2 },
        { productId: GONE, quantity: 1 },
      ]),
    );
    const api = fakeApi({
      'POST /api/auth/refresh': signedOutRefresh,
      [`GET /api/products/${P1}`]: () => json(200, product(P1, '秦岭黑木耳', 3990, 20, coopA)),
      [`GET /api/products/${GONE}`]: () => apiError(404, 'PRODUCT_NOT_FOUND'),
    });
    renderApp('/cart', api.fetch);

    expect(await screen.findByRole('heading', { level: 2, name: /金米村木耳合作社/ })).toBeTruthy();
    const lines = screen.getAllByTestId('cart-line');
    expect(lines).toHaveLength(2);
    expect(within(lines[0] as HTMLElement).getByText('秦岭黑木耳')).toBeTruthy();
    expect(within(lines[1] as HTMLElement).getByText('已下架，无法购买')).toBeTruthy();
    const total = screen.getByTestId('cart-total');
    expect(within(total).getByText('¥79.80')).toBeTruthy();
    expect(within(total).getByText('1 件商品暂不可购买，不计入合计')).toBeTruthy();
    // The tab bar badge counts the units in the guest cart.
    expect(screen.getByTestId('cart-badge').textContent).toContain('3');

    fireEvent.click(within(lines[0] as HTMLElement).getByRole('button', { name: '增加数量' }));
    await waitFor(() =>
      expect(JSON.parse(localStorage.getItem(GUEST_CART_KEY) ?? '[]')[0]).toEqual({ productId: P1, quantity: 3 }),
    );
    expect(await within(total).findByText('¥119.70')).toBeTruthy();

    fireEvent.click(within(total).getByRole('button', { name: '登录后结算' }));
    expect(await screen.findByRole('heading', { level: 1, name: '登录' })).toBeTruthy();
  });
});

describe('checkout', () => {
  it('splits a two-cooperative cart, checks the address, and shows a sold-out refusal on its line', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': () => json(200, session()),
      'GET /api/cart': () =>
        json(200, [cartLine(P1, '秦岭黑木耳', 3990, 3, coopA), cartLine(P2, '雷山银球茶', 12800, 1, coopB)]),
      'GET /api/addresses': () => json(200, []),
      'POST /api/addresses': (init) => json(201, { id: 'addr-1', isDefault: true, ...JSON.parse(String(init.body)) }),
      'POST /api/orders': () =>
        json(409, {
          statusCode: 409,
          code: 'SOLD_OUT',
          message: 'only 2 left',
          details: { productId: P1, available: 2 },
        }),
    });
    renderApp('/checkout', api.fetch);

    expect(await screen.findByTestId('split-note')).toBeTruthy();
    expect(screen.getByText('将拆分为 2 个订单，一次付款')).toBeTruthy();
    expect(screen.getByTestId('checkout-total').textContent).toBe('¥247.70');

    fireEvent.click(screen.getByRole('button', { name: '提交订单' }));
    expect(await screen.findAllByText('请填写此项')).toHaveLength(5);
    expect(screen.getByText('请输入 11 位中国大陆手机号')).toBeTruthy();
    expect(api.count('POST /api/orders')).toBe(0);

    const type = (label: string, value: string) =>
      fireEvent.change(screen.getByLabelText(label), { target: { value } });
    type('收货人', '李梅');
    type('手机号', '13800138000');
    type('省份', '贵州省');
    type('城市', '黔东南州');
    type('区/县', '雷山县');
    type('详细地址', '西江镇羊排村 12 号');
    expect(screen.getByLabelText('设为默认')).toHaveProperty('checked', true);
    fireEvent.click(screen.getByRole('button', { name: '提交订单' }));

    expect(await screen.findByText('库存不足，仅剩 2斤')).toBeTruthy();
    const body = JSON.parse(String(api.calls.find((c) => c.url === '/api/orders')?.init.body));
    expect(body).toEqual({
      items: [
        { productId: P1, quantity: 3 },
        { productId: P2, quantity: 1 },
      ],
      addressId: 'addr-1',
      fromCart: true,
    });
  });
});

describe('paying with the demo provider', () => {
  const order: OrderDto = {
    id: ORDER,
    number: 'XB20260305000001',
    status: 'pending_payment',
    cooperative: coopA,
    lines: [
      {
        id: 'l1',
        productId: P1,
        productName: '秦岭黑木耳',
        unit: 'jin',
        unitPriceFen: 3990,
        quantity: 2,
        lineTotalFen: 7980,
      },
    ],
    subtotalFen: 7980,
    shippingFen: 0,
    totalFen: 7980,
    refundedFen: 0,
    currency: 'CNY',
    address: {
      recipient: '李梅',
      mobile: '13800138000',
      province: '贵州省',
      city: '黔东南州',
      district: '雷山县',
      detail: '西江镇',
    },
    carrier: null,
    trackingNumber: null,
    expiresAt: new Date(Date.now() + 10 * 60 * 1000).toISOString(),
    paidAt: null,
    createdAt: new Date().toISOString(),
    events: [
      { fromStatus: null, toStatus: 'pending_payment', actorKind: 'buyer', note: '', at: new Date().toISOString() },
    ],
    refunds: [],
    paymentId: PAY,
  };
  const checkout: CheckoutDto = {
    paymentId: PAY,
    provider: 'demo',
    clientSecret: null,
    amountFen: 7980,
    orderIds: [ORDER],
    paymentStatus: 'pending',
  };

  it('labels the demo clearly, counts down the reservation, and opens the paid order', async () => {
    let paid = false;
    const api = fakeApi({
      'POST /api/auth/refresh': () => json(200, session()),
      'GET /api/cart': () => json(200, []),
      [`POST /api/payments/${PAY}/intent`]: () =>
        json(200, paid ? { ...checkout, paymentStatus: 'succeeded' } : checkout),
      [`GET /api/orders/${ORDER}`]: () =>
        json(
          200,
          paid
            ? {
                ...order,
                status: 'paid',
                events: [
                  ...order.events,
                  {
                    fromStatus: 'pending_payment',
                    toStatus: 'paid',
                    actorKind: 'provider',
                    note: '',
                    at: new Date().toISOString(),
                  },
                ],
              }
            : order,
        ),
      [`POST /api/payments/demo/${PAY}/confirm`]: () => {
        paid = true;
        return json(200, { paymentId: PAY, status: 'succeeded', duplicate: false });
      },
    });
    renderApp(`/pay/${PAY}`, api.fetch);

    const demo = await screen.findByTestId('demo-pay');
    expect(within(demo).getByRole('heading', { name: /演示支付/ })).toBeTruthy();
    expect(within(demo).getByText('这是演示环境，不会真实扣款')).toBeTruthy();
    expect(screen.getByTestId('pay-amount').textContent).toBe('¥79.80');
    expect(screen.getByRole('timer').textContent).toMatch(/请在 (10:00|09:5\d) 内完成支付/);

    fireEvent.click(within(demo).getByRole('button', { name: '确认支付' }));
    expect(await screen.findByRole('heading', { level: 1, name: '订单详情' })).toBeTruthy();
    expect(await screen.findByText('已付款')).toBeTruthy();
    expect(screen.getByTestId('impact-receipt-slot').textContent).toBe('');
    expect(api.count(`POST /api/payments/demo/${PAY}/confirm`)).toBe(1);
  });
});
