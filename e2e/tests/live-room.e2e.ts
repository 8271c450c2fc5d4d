import type { APIRequestContext, Browser, Page } from '@playwright/test';
import type { AuthResponse, ConsoleShow } from '@xiangbo/contracts';
import { expect, test } from '../support/test';
import { DEMO_PASSWORD, LAPTOP, screenshot, signIn, uniqueEmail } from '../support/browser';

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const ZH = { locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };

const videoTime = (page: Page) =>
  page.locator('[data-testid="live-video"] video').evaluate((v: HTMLVideoElement) => v.currentTime);

async function playing(page: Page, timeout = 40_000) {
  await expect.poll(() => videoTime(page).catch(() => 0), { timeout }).toBeGreaterThan(1);
  const t = await videoTime(page);
  await expect.poll(() => videoTime(page), { timeout: 15_000 }).toBeGreaterThan(t + 0.5);
}

/** A new buyer with a default address (through the API), signed in on a phone. */
async function newBuyer(browser: Browser, request: APIRequestContext, baseURL: string | undefined) {
  const email = uniqueEmail('room');
  const reg = await request.post('/api/auth/register', {
    data: { email, password: DEMO_PASSWORD, displayName: '抢购的小李' },
  });
  expect(reg.status()).toBe(201);
  const { accessToken } = (await reg.json()) as AuthResponse;
  const addr = await request.post('/api/addresses', {
    headers: { Authorization: `Bearer ${accessToken}` },
    data: {
      recipient: '李想',
      mobile: '13912345678',
      province: '陕西省',
      city: '西安市',
      district: '雁塔区',
      detail: '科技路 1 号',
      isDefault: true,
    },
  });
  expect(addr.status()).toBe(201);
  const context = await browser.newContext({ ...PHONE, ...ZH, baseURL });
  const page = await context.newPage();
  await signIn(page, email);
  return { context, page, email };
}

/**
 * The live room on a phone, end to end in Chromium with its fake camera: the host of 巩堰村 goes live from the
 * host console's camera button (no OBS); a buyer's phone plays the stream full screen with the buy button on
 * screen; ten chat messages arrive without moving the page; the buyer buys a flash deal and pays in the sheet
 * while the URL stays the room's and the video keeps playing; a second buyer, too late, is told in Chinese that
 * it sold out; the host's connection is cut and restored and the viewer's video comes back by itself.
 */
test('a host goes live from the phone camera and a buyer watches, chats and buys without leaving the room', async ({
  browser,
  baseURL,
  request,
}) => {
  test.setTimeout(480_000);
  const hostSignIn = (await (
    await request.post('/api/auth/sign-in', {
      data: { identifier: 'gongyan.host@xiangbo.demo', password: DEMO_PASSWORD },
    })
  ).json()) as AuthResponse;
  const coopId = hostSignIn.user.roles.find((r) => r.role === 'host')?.cooperativeId;
  const auth = { Authorization: `Bearer ${hostSignIn.accessToken}` };
  const products = (await (await request.get(`/api/products?cooperativeId=${coopId}&pageSize=3`)).json()) as {
    items: { id: string; nameZh: string; priceFen: number }[];
  };
  const created = await request.post(`/api/console/cooperatives/${coopId}/shows`, {
    headers: auth,
    data: {
      title: '巩堰村手机开播',
      scheduledAt: new Date(Date.now() + 5 * 60_000).toISOString(),
      productIds: products.items.map((p) => p.id),
    },
  });
  expect(created.status()).toBe(201);
  const show = (await created.json()) as ConsoleShow;

  // ---- the host, on a phone: one button, the camera, live ----
  const hostContext = await browser.newContext({ ...PHONE, ...ZH, baseURL });
  const host = await hostContext.newPage();
  host.on('dialog', (d) => void d.accept());
  await signIn(host, 'gongyan.host@xiangbo.demo');
  await host.goto(`/console/${coopId}/shows/${show.id}/host`);
  await host.getByTestId('go-live-camera').click();
  await expect(host.getByTestId('camera-status')).toContainText('直播中', { timeout: 30_000 });
  await expect(host.getByText('直播中').first()).toBeVisible();
  await screenshot(host, 'room-host-camera-phone');

  const buyerContext = await browser.newContext({ ...PHONE, ...ZH, baseURL });
  const buyer = await buyerContext.newPage();
  await signIn(buyer, 'buyer@xiangbo.demo');
  const second = await newBuyer(browser, request, baseURL);
  const sheetOpenersCleanup: (() => Promise<void>)[] = [() => second.context.close()];
  try {
    await buyer.goto(`/live/${show.id}`);
    const roomUrl = buyer.url();
    // The video fills the screen (≥ 80 % of its height) and plays; no site header or tab bar over it.
    const box = await buyer.getByTestId('live-video').boundingBox();
    expect(box?.height ?? 0).toBeGreaterThanOrEqual(0.8 * 844);
    await playing(buyer);
    await expect(buyer.getByRole('button', { name: '点击开启声音' })).toBeVisible();

    // The host pins product 1 and launches a flash deal of ONE unit on it.
    await host.getByRole('button', { name: '讲解' }).first().click();
    await expect(host.getByRole('button', { name: '取消讲解' })).toBeVisible();
    await host.getByLabel('秒杀价（元）').fill((Math.max(1, products.items[0].priceFen - 100) / 100).toFixed(2));
    await host.getByLabel('数量', { exact: true }).fill('1');
    await host.getByLabel('每人限购').fill('1');
    await host.getByLabel('时长（分钟）').fill('5');
    await host.getByRole('button', { name: '开始秒杀' }).click();
    await expect(host.getByTestId('host-deal')).toContainText('剩余 1 件');

    // The buy button is on screen without scrolling.
    const buy = buyer.getByTestId('live-buy');
    await expect(buy).toHaveText('立即抢购');
    const b = await buy.boundingBox();
    expect(b && b.y >= 0 && b.y + b.height <= 844).toBe(true);
    await expect(buyer.getByTestId('deal-remaining')).toHaveText('剩余 1 件');
    await screenshot(buyer, 'room-buyer-phone');

    // Ten chat messages arrive (from the host and the second buyer): the page does not move.
    await second.page.goto(`/live/${show.id}`);
    const scrollBefore = await buyer.evaluate(() => window.scrollY);
    await host.getByLabel('聊天内容').scrollIntoViewIfNeeded();
    const hostScrollBefore = await host.evaluate(() => window.scrollY);
    for (let i = 1; i <= 5; i++) {
      await host.getByLabel('聊天内容').fill(`主播：第 ${i} 条`);
      await host.getByRole('button', { name: '发送' }).click();
      await expect(host.getByLabel('聊天内容')).toHaveValue('');
      await second.page.getByLabel('聊天内容').fill(`买家：第 ${i} 条`);
      await second.page.getByLabel('聊天内容').press('Enter');
      await expect(second.page.getByLabel('聊天内容')).toHaveValue('');
      await host.waitForTimeout(1200); // within the chat rate limit (5 per 10 s)
    }
    // (the phone's overlay chat; the laptop's side chat is in the page too, hidden)
    const chat = buyer.locator('.lr__chat').getByTestId('chat-message');
    await expect(chat.filter({ hasText: '第 5 条' })).toHaveCount(2);
    expect(await chat.filter({ hasText: /第 \d 条/ }).count()).toBe(10);
    expect(await buyer.evaluate(() => window.scrollY)).toBe(scrollBefore);
    // Nor does the host console jump to its chat (the host sent from its input; the page stays where it was).
    expect(await host.evaluate(() => window.scrollY)).toBe(hostScrollBefore);

    // The bag lists every product numbered as the host calls them.
    await buyer.getByTestId('live-bag').click();
    await expect(buyer.getByTestId('bag-sheet').getByTestId('bag-item')).toHaveCount(products.items.length);
    await expect(buyer.getByTestId('bag-sheet').getByTestId('bag-item').first()).toContainText('1');
    await screenshot(buyer, 'room-bag-phone');
    await buyer.getByRole('button', { name: '关闭' }).click();

    // The second buyer opens the sheet first; the first buyer buys and pays in the sheet.
    await second.page.getByTestId('live-buy').click();
    await expect(second.page.getByTestId('live-checkout')).toBeVisible();
    await buy.click();
    const sheet = buyer.getByTestId('live-checkout');
    await expect(sheet).toBeVisible();
    await expect(sheet.getByTestId('checkout-address')).toBeVisible(); // the demo buyer's default address
    await screenshot(buyer, 'room-checkout-phone');
    const before = await videoTime(buyer);
    await sheet.getByTestId('live-pay').click();
    await expect(buyer.getByTestId('live-paid')).toContainText('抢到了');
    await screenshot(buyer, 'room-paid-phone');
    expect(buyer.url()).toBe(roomUrl);
    await expect.poll(() => videoTime(buyer), { timeout: 10_000 }).toBeGreaterThan(before + 1);
    await expect(host.getByTestId('host-deal')).toContainText('剩余 0 件');

    // The order is paid.
    const buyerAuth = (await (
      await request.post('/api/auth/sign-in', { data: { identifier: 'buyer@xiangbo.demo', password: DEMO_PASSWORD } })
    ).json()) as AuthResponse;
    const orders = (await (
      await request.get('/api/orders?pageSize=5', { headers: { Authorization: `Bearer ${buyerAuth.accessToken}` } })
    ).json()) as { items: { status: string; lines: { productId: string }[] }[] };
    expect(orders.items[0].status).toBe('paid');
    expect(orders.items[0].lines[0].productId).toBe(products.items[0].id);

    // Too late: the second buyer is told in Chinese, in the sheet, and the URL stays the room's.
    await second.page.getByTestId('live-pay').click();
    await expect(second.page.getByTestId('checkout-error')).toHaveText('手慢了，已经抢光了');
    expect(second.page.url()).toContain(`/live/${show.id}`);
    await screenshot(second.page, 'room-sold-out-phone');

    // Back to the stream.
    await buyer.getByRole('button', { name: '继续看直播' }).click();
    await expect(buyer.getByTestId('live-checkout')).toBeHidden();

    // An ordinary purchase from the bag (product 2, its normal price) is the show's too: its paid orders and GMV.
    const showStats = async () =>
      (
        (await (await request.get(`/api/console/shows/${show.id}`, { headers: auth })).json()) as {
          stats: { paidOrders: number; gmvFen: number };
        }
      ).stats;
    const statsBefore = await showStats();
    await buyer.getByTestId('live-bag').click();
    await buyer
      .getByTestId('bag-sheet')
      .getByTestId('bag-item')
      .nth(1)
      .getByRole('button', { name: '立即购买' })
      .click();
    const bagSheet = buyer.getByTestId('live-checkout');
    await expect(bagSheet).toContainText(products.items[1].nameZh);
    await bagSheet.getByTestId('live-pay').click();
    await expect(buyer.getByTestId('live-paid')).toBeVisible();
    expect(buyer.url()).toBe(roomUrl);
    await expect.poll(async () => (await showStats()).paidOrders, { timeout: 10_000 }).toBe(statsBefore.paidOrders + 1);
    expect((await showStats()).gmvFen).toBe(statsBefore.gmvFen + products.items[1].priceFen);
    await buyer.getByRole('button', { name: '继续看直播' }).click();
    await expect(buyer.getByTestId('live-checkout')).toBeHidden();

    // The host's connection drops: the room says 主播网络不稳定; it comes back by itself and so does the video.
    await hostContext.setOffline(true);
    await expect(buyer.getByTestId('host-unstable')).toBeVisible({ timeout: 40_000 });
    await screenshot(buyer, 'room-host-unstable-phone');
    await hostContext.setOffline(false);
    await expect(host.getByTestId('camera-status')).toContainText('直播中', { timeout: 40_000 });
    await expect(buyer.getByTestId('host-unstable')).toBeHidden({ timeout: 40_000 });
    await playing(buyer);

    // The same screens at laptop size.
    await buyer.setViewportSize(LAPTOP.viewport);
    await screenshot(buyer, 'room-buyer-laptop');
    await host.setViewportSize(LAPTOP.viewport);
    await screenshot(host, 'room-host-console-laptop');
    await host.setViewportSize(PHONE.viewport);
    await screenshot(host, 'room-host-console-phone');

    // After the end: the summary and the replay instead of the controls.
    await host.getByRole('button', { name: '停止推流' }).click();
    await host.getByRole('button', { name: '结束直播' }).click();
    await expect(host.getByTestId('host-summary')).toBeVisible();
    await expect(host.getByTestId('show-summary')).toContainText('成交额');
    await expect(host.getByTestId('go-live-camera')).toHaveCount(0);
    await screenshot(host, 'room-host-ended-phone');
  } finally {
    for (const c of sheetOpenersCleanup) await c();
    await buyerContext.close();
    await hostContext.close();
  }
});
