import type { APIRequestContext } from '@playwright/test';
import sharp from 'sharp';
import { expect, test } from '../support/test';
import { DEMO_PASSWORD, LAPTOP, screenshot, signIn, uniqueEmail } from '../support/browser';

/** Issue 18 (reviews, pinyin search) on a phone, in Chinese, against the built product and its demo data. */

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

/** A new buyer with a completed order of 柞水黑木耳, made through the API (paid with 演示支付, shipped, received). */
async function completedOrder(request: APIRequestContext) {
  const email = uniqueEmail('reviewer');
  const password = 'a strong password';
  const reg = await request.post('/api/auth/register', { data: { email, password, displayName: '李晓梅' } });
  expect(reg.status()).toBe(201);
  const buyer = { Authorization: `Bearer ${(await reg.json()).accessToken}` };
  const found = await (await request.get(`/api/products?q=${encodeURIComponent('柞水黑木耳')}`)).json();
  const product = found.items[0] as { id: string; nameZh: string };
  const placed = await request.post('/api/orders', {
    headers: buyer,
    data: { items: [{ productId: product.id, quantity: 1 }], address: ADDRESS },
  });
  expect(placed.status(), await placed.text()).toBe(201);
  const order = await placed.json();
  expect((await request.post(`/api/payments/demo/${order.checkout.paymentId}/confirm`, { headers: buyer })).ok()).toBe(
    true,
  );
  const admin = { Authorization: `Bearer ${await token(request, 'jinmi.admin@xiangbo.demo', DEMO_PASSWORD)}` };
  const ship = await request.post(`/api/console/orders/${order.id}/ship`, {
    headers: admin,
    data: { carrier: '顺丰速运', trackingNumber: `SF${Date.now()}` },
  });
  expect(ship.ok(), await ship.text()).toBe(true);
  expect((await request.post(`/api/orders/${order.id}/confirm-receipt`, { headers: buyer })).ok()).toBe(true);
  return { email, password, orderId: order.id as string, product };
}

test('a buyer reviews a received order with stars, words and a photo; the product page shows it', async ({
  page,
  request,
  browser,
  baseURL,
}) => {
  test.setTimeout(150_000); // four screens by three people, after an order made through the API
  const { email, password, orderId, product } = await completedOrder(request);
  await signIn(page, email, password);
  await page.goto(`/orders/${orderId}`);
  await page.getByTestId('order-review').click();
  await expect(page).toHaveURL(new RegExp(`/orders/${orderId}/review$`));
  await expect(page.getByRole('heading', { name: '评价订单' })).toBeVisible();

  // Empty words are named in Chinese, and the error goes once they are written.
  await page.getByRole('button', { name: '发布评价' }).click();
  await expect(page.getByText('请写几句评价')).toBeVisible();
  // A thumb taps the fourth star (the label of a visually hidden radio named "4 星").
  await page.locator('label', { has: page.getByRole('radio', { name: '4 星' }) }).click();
  await expect(page.getByRole('radio', { name: '4 星' })).toBeChecked();
  await expect(page.getByText('满意', { exact: true })).toBeVisible();
  await page.getByLabel('说说你的感受').fill('泡发后很大朵，口感脆，包装也结实。');
  await expect(page.getByText('请写几句评价')).toHaveCount(0);
  const photo = await sharp({ create: { width: 900, height: 700, channels: 3, background: '#3b2a1a' } })
    .jpeg()
    .toBuffer();
  await page
    .getByTestId('review-photo-input')
    .setInputFiles({ name: 'muer.jpg', mimeType: 'image/jpeg', buffer: photo });
  await expect(page.getByRole('img', { name: '买家晒图 1' })).toBeVisible();
  await screenshot(page, 'review-write-phone');
  await page.getByRole('button', { name: '发布评价' }).click();

  // Written: masked name, stars, the photo (converted by the server), and no second form for the line.
  const written = page.getByTestId('review');
  await expect(written).toContainText('泡发后很大朵');
  await expect(written).toContainText('李*梅');
  await expect(written.getByRole('img', { name: '4 星' })).toBeVisible();
  await expect(written.getByRole('img', { name: '买家晒图 1' })).toHaveAttribute(
    'src',
    /\/api\/files\/reviews\/.+-thumb\.webp$/,
  );
  await expect(page.getByRole('button', { name: '发布评价' })).toHaveCount(0);

  // The product page, signed out, on a phone: the section with the average and the review.
  const visitor = await browser.newPage({ baseURL, locale: 'zh-CN', viewport: { width: 390, height: 844 } });
  await visitor.goto(`/products/${product.id}`);
  const section = visitor.getByTestId('product-reviews');
  await expect(section.getByRole('heading', { name: /买家评价 \(\d+\)/ })).toBeVisible();
  await expect(section).toContainText('泡发后很大朵');
  await section.scrollIntoViewIfNeeded();
  await screenshot(visitor, 'product-reviews-phone');
  await visitor.close();

  // The cooperative answers from its console (laptop).
  const coop = await browser.newPage({ baseURL, locale: 'zh-CN', ...LAPTOP });
  await signIn(coop, 'jinmi.admin@xiangbo.demo');
  await coop.goto('/console');
  await coop.getByRole('link', { name: '评价', exact: true }).click();
  const item = coop.locator('.console-review').filter({ hasText: '泡发后很大朵' }).first();
  await item.getByLabel('回复买家').fill('谢谢您的支持，欢迎再来！');
  await item.getByRole('button', { name: '发布回复' }).click();
  await expect(item).toContainText('回复已发布');
  await screenshot(coop, 'console-reviews-laptop');
  await coop.close();
  await page.goto(`/products/${product.id}`);
  await expect(page.getByTestId('product-reviews')).toContainText('合作社回复：谢谢您的支持');
});

test('a buyer finds 木耳 by typing pinyin (muer, initials) and a homophone', async ({ page }) => {
  for (const q of ['muer', 'hme', '黑目耳']) {
    await page.goto(`/products?q=${encodeURIComponent(q)}`);
    await expect(page.getByRole('link', { name: /木耳/ }).first()).toBeVisible();
  }
});
