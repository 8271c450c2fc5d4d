import type { APIRequestContext } from '@playwright/test';
import sharp from 'sharp';
import { expect, test } from '../support/test';
import { DEMO_PASSWORD, LAPTOP, screenshot, signIn, uniqueEmail } from '../support/browser';

/**
 * Issue 18, after-sales: the cooperative promises 坏果包赔 (a badge on its products); a buyer whose fruit arrived
 * damaged asks for a refund on a phone with a photo; the cooperative cannot refuse it and accepts on a laptop; the
 * buyer sees 已退款.
 */
const ADDRESS = {
  recipient: '陈静',
  mobile: '13800138000',
  province: '浙江省',
  city: '杭州市',
  district: '西湖区',
  detail: '文三路 100 号',
};

async function token(request: APIRequestContext, email: string, password: string): Promise<string> {
  const res = await request.post('/api/auth/sign-in', { data: { identifier: email, password } });
  expect(res.ok(), await res.text()).toBe(true);
  return (await res.json()).accessToken as string;
}

test('a damaged-fruit refund with a photo under 坏果包赔: asked on a phone, accepted in the console, refunded', async ({
  page,
  request,
  browser,
  baseURL,
}) => {
  test.setTimeout(150_000);
  const admin = { Authorization: `Bearer ${await token(request, 'jinmi.admin@xiangbo.demo', DEMO_PASSWORD)}` };
  const email = uniqueEmail('damaged');
  const password = 'a strong password';
  const reg = await request.post('/api/auth/register', { data: { email, password, displayName: '周晓燕' } });
  expect(reg.status()).toBe(201);
  const buyer = { Authorization: `Bearer ${(await reg.json()).accessToken}` };
  const found = await (await request.get(`/api/products?q=${encodeURIComponent('柞水黑木耳')}`)).json();
  const product = found.items[0] as { id: string; cooperative: { id: string } };
  const promises = await request.put(`/api/console/cooperatives/${product.cooperative.id}/promises`, {
    headers: admin,
    data: { sevenDayReturn: true, badFruitCover: true, shipWithin48h: true },
  });
  expect(promises.ok(), await promises.text()).toBe(true);
  const placed = await request.post('/api/orders', {
    headers: buyer,
    data: { items: [{ productId: product.id, quantity: 1 }], address: ADDRESS },
  });
  expect(placed.status(), await placed.text()).toBe(201);
  const order = await placed.json();
  expect((await request.post(`/api/payments/demo/${order.checkout.paymentId}/confirm`, { headers: buyer })).ok()).toBe(
    true,
  );
  const ship = await request.post(`/api/console/orders/${order.id}/ship`, {
    headers: admin,
    data: { carrier: '顺丰速运', trackingNumber: `SF${Date.now()}` },
  });
  expect(ship.ok(), await ship.text()).toBe(true);
  expect((await request.post(`/api/orders/${order.id}/confirm-receipt`, { headers: buyer })).ok()).toBe(true);

  // The product page shows the promises (signed out too).
  await page.goto(`/products/${product.id}`);
  const badges = page.getByTestId('promise-badges');
  await expect(badges).toContainText('坏果包赔');
  await expect(badges).toContainText('7天无理由退货');
  await expect(badges).toContainText('48小时发货');
  await screenshot(page, 'after-sales-badges-phone');

  // The buyer asks on a phone: reason, words, a photo of the damage.
  await signIn(page, email, password);
  await page.goto(`/orders/${order.id}`);
  await page.getByTestId('after-sales-apply').click();
  await page.getByLabel('售后原因').selectOption('damaged');
  await page.getByLabel('问题描述').fill('收到时包装破了，有一半木耳受潮发霉。');
  const photo = await sharp({ create: { width: 900, height: 700, channels: 3, background: '#4a5a3a' } })
    .jpeg()
    .toBuffer();
  await page
    .getByTestId('after-sales-photo-input')
    .setInputFiles({ name: 'mould.jpg', mimeType: 'image/jpeg', buffer: photo });
  await expect(page.getByRole('img', { name: '售后凭证 1' })).toBeVisible();
  await screenshot(page, 'after-sales-form-phone');
  await page.getByRole('button', { name: '提交申请' }).click();
  const item = page.getByTestId('after-sales-item');
  await expect(item).toContainText('待合作社处理');
  await expect(item).toContainText('受「坏果包赔」保障，合作社不能拒绝');
  await expect(item.getByRole('img', { name: '售后凭证 1' })).toHaveAttribute(
    'src',
    /\/api\/files\/after-sales\/.+-thumb\.webp$/,
  );
  await screenshot(page, 'after-sales-requested-phone');

  // The cooperative's admin on a laptop: no refuse button for a covered request; accept.
  const coop = await browser.newPage({ baseURL, locale: 'zh-CN', ...LAPTOP });
  await signIn(coop, 'jinmi.admin@xiangbo.demo');
  await coop.goto('/console');
  await coop.getByRole('link', { name: '售后', exact: true }).click();
  const request0 = coop.getByTestId('console-after-sales').filter({ hasText: '收到时包装破了' });
  await expect(request0).toContainText('买家 周*燕');
  await expect(request0.getByRole('button', { name: '拒绝' })).toHaveCount(0);
  await screenshot(coop, 'after-sales-console-laptop');
  await request0.getByRole('button', { name: '同意' }).click();
  await expect(request0).toContainText('已退款');
  await coop.close();

  // The buyer sees it refunded; the order's money says so.
  await page.reload();
  await expect(page.getByTestId('after-sales-item')).toContainText('已退款');
  const detail = await (await request.get(`/api/orders/${order.id}`, { headers: buyer })).json();
  expect(detail.refundedFen).toBe(order.totalFen);
  await screenshot(page, 'after-sales-refunded-phone');
});
