import type { AuthResponse, ConsoleShow } from '@xiangbo/contracts';
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from '../support/test';
import { DEMO_PASSWORD, LAPTOP, screenshot, signIn, uniqueEmail } from '../support/browser';

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const ZH = { locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };

/** Also kept outside test-results (wiped per run) for people to look at. */
async function keep(page: Page, name: string) {
  await screenshot(page, name);
  mkdirSync('/tmp/helper-12', { recursive: true });
  await page.screenshot({ path: `/tmp/helper-12/${name}.png` });
}

/**
 * 直播间专享券 on a phone: the host drops a coupon from the host console while a buyer watches; the coupon card
 * arrives in the buyer's room over the live socket; one tap claims it (领取 → 已领取); the buyer buys from the bag,
 * the checkout sheet shows 已优惠 ¥3.00 and pays with 演示支付 — the paid amount is reduced by the coupon; the host
 * console counts it claimed, used and paid; 我的优惠券 shows it used.
 */
test('a host drops a coupon, a buyer claims it in the room and pays less with it', async ({
  browser,
  baseURL,
  request,
}) => {
  test.setTimeout(240_000);
  const hostSignIn = (await (
    await request.post('/api/auth/sign-in', {
      data: { identifier: 'gongyan.host@xiangbo.demo', password: DEMO_PASSWORD },
    })
  ).json()) as AuthResponse;
  const coopId = hostSignIn.user.roles.find((r) => r.role === 'host')?.cooperativeId as string;
  const auth = { Authorization: `Bearer ${hostSignIn.accessToken}` };
  const products = (await (await request.get(`/api/products?cooperativeId=${coopId}&pageSize=2`)).json()) as {
    items: { id: string; nameZh: string; priceFen: number }[];
  };
  const product = products.items[0];
  const created = await request.post(`/api/console/cooperatives/${coopId}/shows`, {
    headers: auth,
    data: {
      title: '巩堰村直播间发券',
      scheduledAt: new Date(Date.now() + 5 * 60_000).toISOString(),
      productIds: products.items.map((p) => p.id),
    },
  });
  expect(created.status()).toBe(201);
  const show = (await created.json()) as ConsoleShow;
  expect((await request.post(`/api/console/shows/${show.id}/start`, { headers: auth })).status()).toBe(200);

  // ---- the buyer (a new account with an address) watches on a phone ----
  const email = uniqueEmail('coupon');
  const reg = await request.post('/api/auth/register', {
    data: { email, password: DEMO_PASSWORD, displayName: '领券的小王' },
  });
  expect(reg.status()).toBe(201);
  const buyerAuth = { Authorization: `Bearer ${((await reg.json()) as AuthResponse).accessToken}` };
  expect(
    (
      await request.post('/api/addresses', {
        headers: buyerAuth,
        data: {
          recipient: '王芳',
          mobile: '13912345678',
          province: '陕西省',
          city: '西安市',
          district: '雁塔区',
          detail: '科技路 1 号',
          isDefault: true,
        },
      })
    ).status(),
  ).toBe(201);
  const buyerContext = await browser.newContext({ ...PHONE, ...ZH, baseURL });
  const buyer = await buyerContext.newPage();
  await signIn(buyer, email);
  await buyer.goto(`/live/${show.id}`);
  await expect(buyer.getByTestId('live-bag')).toBeVisible();
  await expect(buyer.getByTestId('coupon-drop')).toHaveCount(0);

  // ---- the host drops a coupon from the console (laptop) ----
  const hostContext = await browser.newContext({ ...LAPTOP, ...ZH, baseURL });
  const host = await hostContext.newPage();
  await signIn(host, 'gongyan.host@xiangbo.demo');
  await host.goto(`/console/${coopId}/shows/${show.id}/host`);
  const panel = host.getByTestId('console-coupons');
  await expect(panel).toContainText('本场还没有发券');
  await panel.getByLabel('优惠金额（元）').fill('3');
  await panel.getByLabel('门槛（元，0 = 无门槛）').fill('0');
  await panel.getByLabel('发放数量').fill('10');
  await panel.getByLabel('每人限领').fill('1');
  await panel.getByRole('button', { name: '发券' }).click();
  await expect(panel.getByTestId('console-coupon-counts')).toHaveText('已领 0/10 · 已用 0 · 已付款 0');
  await keep(host, 'coupons-console-laptop');

  // ---- the card arrives in the buyer's room over the socket; one tap claims it ----
  const card = buyer.getByTestId('coupon-drop');
  await expect(card).toBeVisible();
  await expect(card).toContainText('直播间专享券');
  await expect(card).toContainText('无门槛');
  await expect(card).toContainText('剩余 10 张');
  await keep(buyer, 'coupons-room-drop-phone');
  await card.getByRole('button', { name: '领取' }).click();
  await expect(card.getByTestId('coupon-claimed')).toHaveText('已领取');
  await expect(card).toContainText('剩余 9 张');
  await keep(buyer, 'coupons-room-claimed-phone');

  // ---- buys from the bag: the sheet applies the coupon, 演示支付 pays the reduced amount ----
  await buyer.getByTestId('live-bag').click();
  await buyer
    .getByTestId('bag-sheet')
    .getByTestId('bag-item')
    .first()
    .getByRole('button', { name: '立即购买' })
    .click();
  const sheet = buyer.getByTestId('live-checkout');
  await expect(sheet).toContainText(product.nameZh);
  await expect(sheet.getByTestId('coupon-saved')).toHaveText('已优惠 ¥3.00');
  const reduced = product.priceFen - 300;
  const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
  await expect(sheet.getByTestId('live-total')).toHaveText(yuan(reduced));
  await keep(buyer, 'coupons-checkout-sheet-phone');
  await sheet.getByTestId('live-pay').click();
  await expect(buyer.getByTestId('live-paid')).toContainText(`已付 ${yuan(reduced)}`);
  await keep(buyer, 'coupons-paid-phone');

  // the order the buyer paid: its total and its payment are reduced by the coupon
  const orders = (await (await request.get('/api/orders', { headers: buyerAuth })).json()) as {
    items: { id: string; totalFen: number; status: string }[];
  };
  expect(orders.items.map((o) => [o.status, o.totalFen])).toEqual([['paid', reduced]]);

  // the host console counts it claimed, used and paid
  await expect(panel.getByTestId('console-coupon-counts')).toHaveText('已领 1/10 · 已用 1 · 已付款 1', {
    timeout: 15_000,
  });

  // the order's page shows the coupon's discount
  await buyer.goto(`/orders/${orders.items[0].id}`);
  await expect(buyer.getByTestId('order-coupon')).toContainText('直播间优惠券');
  await expect(buyer.getByTestId('order-coupon')).toContainText('-¥3.00');
  await expect(buyer.getByTestId('order-total')).toHaveText(yuan(reduced));

  // 我的优惠券 (under 我的订单): used, with what it saved
  await buyer.goto('/me');
  await buyer.getByTestId('my-coupons-link').click();
  await expect(buyer.getByRole('heading', { level: 1, name: '我的优惠券' })).toBeVisible();
  const mine = buyer.getByTestId('my-coupon');
  await expect(mine).toHaveCount(1);
  await expect(mine).toHaveAttribute('data-status', 'used');
  await expect(mine).toContainText('已使用');
  await expect(mine).toContainText('优惠 ¥3.00');
  await keep(buyer, 'coupons-mine-phone');

  // English, second (laptop)
  await buyer.setViewportSize(LAPTOP.viewport);
  await buyer.getByTestId('language-switch-header').selectOption('en');
  await expect(buyer.getByRole('heading', { level: 1, name: 'My coupons' })).toBeVisible();
  await expect(mine).toContainText('Used');
  await expect(mine).toContainText('used on an order, saved ¥3.00');
  await keep(buyer, 'coupons-mine-laptop-en');

  await buyerContext.close();
  await hostContext.close();
});
