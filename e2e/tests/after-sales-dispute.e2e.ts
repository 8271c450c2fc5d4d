import type { APIRequestContext } from '@playwright/test';
import { expect, test } from '../support/test';
import { DEMO_PASSWORD, LAPTOP, screenshot, signIn, uniqueEmail } from '../support/browser';

/**
 * Issue 18, the platform's decision on disputes: a buyer's refund is refused by the cooperative; on a phone the
 * buyer asks the platform to decide (申请平台介入); the platform admin on a laptop reads the request and the
 * cooperative's reason in 平台管理 → 售后纠纷 and refunds half, with a reason; the buyer sees the decision and the
 * money.
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

test('a refused refund taken to the platform: escalated on a phone, half refunded by the platform on a laptop', async ({
  page,
  request,
  browser,
  baseURL,
}) => {
  test.setTimeout(150_000);
  const admin = { Authorization: `Bearer ${await token(request, 'jinmi.admin@xiangbo.demo', DEMO_PASSWORD)}` };
  const email = uniqueEmail('dispute');
  const password = 'a strong password';
  const reg = await request.post('/api/auth/register', { data: { email, password, displayName: '周晓燕' } });
  expect(reg.status()).toBe(201);
  const buyer = { Authorization: `Bearer ${(await reg.json()).accessToken}` };
  const found = await (await request.get(`/api/products?q=${encodeURIComponent('柞水黑木耳')}`)).json();
  const product = found.items[0] as { id: string };
  const placed = await request.post('/api/orders', {
    headers: buyer,
    data: { items: [{ productId: product.id, quantity: 2 }], address: ADDRESS },
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
  const asked = await request.post(`/api/orders/${order.id}/after-sales`, {
    headers: buyer,
    data: { kind: 'refund', reason: 'quality', text: '泡发后有一股霉味，颜色发白。' },
  });
  expect(asked.status(), await asked.text()).toBe(201);
  const refused = await request.post(`/api/console/after-sales/${(await asked.json()).id}/decision`, {
    headers: admin,
    data: { accept: false, note: '木耳表面白霜是正常现象' },
  });
  expect(refused.ok(), await refused.text()).toBe(true);

  // The buyer, on a phone, reads the refusal and asks the platform.
  await signIn(page, email, password);
  await page.goto(`/orders/${order.id}`);
  const item = page.getByTestId('after-sales-item');
  await expect(item).toContainText('合作社已拒绝');
  await expect(item).toContainText('合作社回复：木耳表面白霜是正常现象');
  await item.getByTestId('after-sales-escalate').click();
  await item.getByLabel('说明情况（平台会看到你的凭证和合作社的回复）').fill('不是白霜，是霉斑，闻起来有霉味。');
  await screenshot(page, 'after-sales-escalate-phone');
  await item.getByRole('button', { name: '提交给平台' }).click();
  await expect(item.getByTestId('after-sales-dispute')).toContainText('平台介入中，请耐心等待');
  await expect(item).toContainText('平台介入中');

  // The platform admin, on a laptop: the queue shows the request, the reason refused and the order; half back.
  const platform = await browser.newPage({ baseURL, locale: 'zh-CN', ...LAPTOP });
  await signIn(platform, 'admin@xiangbo.demo');
  await platform.goto('/admin/applications');
  await platform.getByRole('link', { name: '售后纠纷' }).click();
  const dispute = platform.getByTestId('admin-dispute').filter({ hasText: '泡发后有一股霉味' });
  await expect(dispute).toContainText('合作社回复：木耳表面白霜是正常现象');
  await expect(dispute).toContainText('买家说明：不是白霜，是霉斑，闻起来有霉味。');
  await expect(dispute).toContainText('柞水黑木耳');
  const half = Math.floor(order.totalFen / 2);
  await dispute.getByLabel('退款金额（元，可不填）').fill((half / 100).toFixed(2));
  await dispute.getByLabel('裁决理由（买家和合作社都能看到）').fill('照片和描述显示部分霉变，退一半');
  await screenshot(platform, 'after-sales-dispute-admin-laptop');
  await dispute.getByRole('button', { name: '确认退款' }).click();
  await expect(platform.getByTestId('admin-dispute').filter({ hasText: '泡发后有一股霉味' })).toHaveCount(0);
  await platform.close();

  // The buyer reads the platform's decision; the order's money says so.
  await page.reload();
  const decided = page.getByTestId('after-sales-dispute');
  await expect(decided).toContainText('平台已判定退款');
  await expect(decided).toContainText('平台裁决：照片和描述显示部分霉变，退一半');
  await expect(page.getByTestId('after-sales-item')).toContainText('已退款');
  const detail = await (await request.get(`/api/orders/${order.id}`, { headers: buyer })).json();
  expect(detail.refundedFen).toBe(half);
  await screenshot(page, 'after-sales-dispute-refunded-phone');
});
