import type { APIRequestContext } from '@playwright/test';
import { expect, test } from '../support/test';
import { DEMO_PASSWORD, LAPTOP, screenshot, signIn } from '../support/browser';

const TEST_ADDRESS = {
  recipient: '陈静',
  mobile: '13800138000',
  province: '浙江省',
  city: '杭州市',
  district: '西湖区',
  detail: '文三路 100 号',
};

async function api(request: APIRequestContext, token: string, method: 'get' | 'post', path: string, data?: unknown) {
  const res = await request[method](path, { headers: { Authorization: `Bearer ${token}` }, ...(data ? { data } : {}) });
  expect(res.ok(), `${method} ${path}: ${res.status()} ${await res.text()}`).toBe(true);
  return res.json();
}

async function tokenFor(request: APIRequestContext, identifier: string, password: string) {
  const res = await request.post('/api/auth/sign-in', { data: { identifier, password } });
  expect(res.ok()).toBe(true);
  return (await res.json()).accessToken as string;
}

/**
 * Issue 6 must-show: a buyer pays, the order completes, settlement runs, the buyer sees the impact receipt,
 * the coop_admin pays out, the household confirms through its link, the public page shows the payout.
 * Buying itself is covered by orders.e2e.ts; here it goes through the API to reach the money pages quickly.
 */
test('pay → complete → settle → impact receipt → payout → household confirms → transparency', async ({
  page,
  browser,
  baseURL,
  request,
}) => {
  const buyerToken = await tokenFor(request, 'buyer@xiangbo.demo', DEMO_PASSWORD);
  const coopToken = await tokenFor(request, 'jinmi.admin@xiangbo.demo', DEMO_PASSWORD);
  const products = await api(request, buyerToken, 'get', `/api/products?q=${encodeURIComponent('柞水黑木耳')}`);
  const product = products.items[0];
  const coopId = product.cooperative.id as string;

  // the buyer pays (演示支付), the cooperative ships, the buyer confirms receipt → completed
  const placed = await api(request, buyerToken, 'post', '/api/orders', {
    items: [{ productId: product.id, quantity: 2 }],
    address: TEST_ADDRESS,
  });
  await api(request, buyerToken, 'post', `/api/payments/demo/${placed.checkout.paymentId}/confirm`);
  await api(request, coopToken, 'post', `/api/console/orders/${placed.id}/ship`, {
    carrier: '顺丰',
    trackingNumber: 'SF2026112201',
  });
  const done = await api(request, buyerToken, 'post', `/api/orders/${placed.id}/confirm-receipt`);
  expect(done.status).toBe('completed');

  // the coop_admin runs settlement in the console and watches it finish
  const coopCtx = await browser.newContext({ ...LAPTOP, baseURL, locale: 'zh-CN' });
  const admin = await coopCtx.newPage();
  await signIn(admin, 'jinmi.admin@xiangbo.demo');
  await admin.goto(`/console/${coopId}/settlement`);
  await admin.getByRole('button', { name: '开始结算' }).click();
  await expect(admin.getByRole('button', { name: '开始结算' })).toBeEnabled({ timeout: 30_000 });
  await expect
    .poll(async () => (await api(request, coopToken, 'get', `/api/orders/${placed.id}/impact`)).state, {
      timeout: 30_000,
    })
    .toBe('settled');
  await screenshot(admin, 'settlement-laptop');

  // the buyer sees where the money went, on a phone, in Chinese, with masked names
  await signIn(page, 'buyer@xiangbo.demo');
  await page.goto(`/orders/${placed.id}`);
  await expect(page.getByText(/作为收购款到达 \d+ 户/)).toBeVisible();
  await expect(page.getByText(/王\*明/).first()).toBeVisible();
  await expect(page.getByText('王建明')).toHaveCount(0);
  await screenshot(page, 'impact-receipt-phone');

  // the coop_admin makes a payout batch in the console, and records the bank transfer to one household
  await admin.goto(`/console/${coopId}/payouts`);
  await admin.getByLabel('起付金额（元）').fill('0.01');
  await admin.getByRole('button', { name: '生成批次' }).click();
  await expect(admin.getByText('待付款').first()).toBeVisible();
  await screenshot(admin, 'payout-batch-laptop');
  const batches = await api(request, coopToken, 'get', `/api/console/cooperatives/${coopId}/payout-batches`);
  const batch = await api(
    request,
    coopToken,
    'get',
    `/api/console/cooperatives/${coopId}/payout-batches/${batches.items[0].id}`,
  );
  const payout = batch.items.find((p: { status: string }) => p.status === 'planned');
  const paidOn = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10); // today in China
  const recorded = await api(request, coopToken, 'post', `/api/console/payouts/${payout.id}/record`, {
    channel: 'bank',
    reference: 'BANK-20261122-001',
    paidOn,
  });
  const link = recorded.link as string;
  expect(link).toMatch(/^\/h\/[A-Za-z0-9_-]+$/);
  await coopCtx.close();

  // the household opens its link on a phone, without an account, and confirms
  const household = await browser.newContext({
    baseURL,
    locale: 'zh-CN',
    viewport: { width: 390, height: 844 },
    isMobile: true,
  });
  const h = await household.newPage();
  await h.goto(link);
  await h.getByRole('button', { name: '确认收到' }).click();
  await expect(h.getByText('已确认收到，谢谢！')).toBeVisible();
  await screenshot(h, 'household-confirmed-phone');
  await household.close();

  // the public transparency page (no sign-in) shows the payout made and confirmed
  const visitor = await browser.newContext({ baseURL, locale: 'zh-CN', viewport: { width: 390, height: 844 } });
  const v = await visitor.newPage();
  await v.goto(`/cooperatives/${coopId}/transparency`);
  await expect(v.getByText('已兑付').first()).toBeVisible();
  await expect(v.getByText(/农户已确认/).first()).toBeVisible();
  const transparency = await (await request.get(`/api/cooperatives/${coopId}/transparency`)).json();
  expect(transparency.totals.payoutsConfirmedFen).toBeGreaterThan(0);
  await screenshot(v, 'transparency-phone');
  await visitor.close();
});
