import { expect, test } from '../support/test';
import { LAPTOP, screenshot, signIn } from '../support/browser';

/**
 * A live show in two browsers: the host (laptop) goes live, pins a product and launches a flash deal; a buyer
 * on a phone sees the deal and the countdown arrive over socket.io, taps 立即抢购 and pays in the room's sheet.
 */
test.describe('live show in the browser (built product, Chromium)', () => {
  test('host goes live, pins and launches a deal; a buyer in another context sees it and buys', async ({
    browser,
    baseURL,
  }) => {
    const hostContext = await browser.newContext({ ...LAPTOP, baseURL, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const host = await hostContext.newPage();
    await signIn(host, 'jinmi.host@xiangbo.demo');
    await host.goto('/console');
    // A host with a show coming up lands on the 直播 tab.
    await host.waitForURL(/\/console\/[^/]+\/shows$/);
    const coopId = new URL(host.url()).pathname.split('/')[2];
    await host.goto(`/console/${coopId}/shows`);
    await expect(host.getByRole('heading', { level: 1, name: '直播' })).toBeVisible();
    await screenshot(host, 'live-console-shows-laptop');
    await host.getByRole('link', { name: '进入主播台' }).first().click();
    await expect(host.getByTestId('host-console')).toBeVisible();
    await host.getByRole('button', { name: '开始直播' }).click();
    await expect(host.getByText('直播中').first()).toBeVisible();
    await host.getByRole('button', { name: '讲解' }).first().click();
    await expect(host.getByRole('button', { name: '取消讲解' })).toBeVisible();
    await host.getByLabel('秒杀价（元）').fill('29.9');
    await host.getByLabel('数量', { exact: true }).fill('20');
    await host.getByLabel('每人限购').fill('2');
    await host.getByLabel('时长（分钟）').fill('5');
    await host.getByRole('button', { name: '开始秒杀' }).click();
    await expect(host.getByTestId('host-deal')).toContainText('剩余 20 件');

    // the buyer, on a phone, in another browser context
    const buyerContext = await browser.newContext({
      baseURL,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const buyer = await buyerContext.newPage();
    await signIn(buyer, 'buyer@xiangbo.demo');
    await buyer.goto('/live');
    await expect(buyer.getByTestId('show-card').filter({ hasText: '直播中' }).first()).toBeVisible();
    await screenshot(buyer, 'live-list-phone');
    await buyer.getByTestId('show-card').filter({ hasText: '直播中' }).first().getByRole('link').click();
    await expect(buyer.getByTestId('deal-panel')).toContainText('秒杀');
    await expect(buyer.getByRole('timer')).toContainText(/0[45]:\d\d/);
    await expect(buyer.getByTestId('deal-remaining')).toHaveText('剩余 20 件');

    // chat with HTML stays text in the other browser
    await buyer.getByLabel('聊天内容').fill('<b>好吃</b><img src=x onerror=alert(1)>');
    await buyer.getByRole('button', { name: '发送' }).click();
    await expect(
      host.getByTestId('chat-message').filter({ hasText: '<b>好吃</b><img src=x onerror=alert(1)>' }).first(),
    ).toBeVisible();
    expect(await host.locator('[data-testid="chat-message"] b, [data-testid="chat-message"] img').count()).toBe(0);
    await buyer.getByLabel('聊天内容').fill('主播好，木耳怎么泡发？');
    await buyer.getByRole('button', { name: '发送' }).click();
    await screenshot(buyer, 'live-room-phone');
    await screenshot(host, 'live-host-console-laptop');

    // Buying never leaves the room: the sheet over the video takes the order and the (demo) payment.
    const roomUrl = buyer.url();
    await buyer.getByRole('button', { name: '立即抢购' }).click();
    await buyer.getByTestId('live-pay').click();
    await expect(buyer.getByTestId('live-paid')).toContainText('抢到了');
    expect(buyer.url()).toBe(roomUrl);
    await expect(host.getByTestId('host-deal')).toContainText('剩余 19 件');
    await buyer.getByRole('button', { name: '继续看直播' }).click();

    // the same screens the other way round: the room on a laptop, the console on a phone
    await buyer.setViewportSize({ width: 1280, height: 800 });
    await expect(buyer.getByTestId('deal-remaining')).toHaveText('剩余 19 件');
    await screenshot(buyer, 'live-room-laptop');
    await host.setViewportSize({ width: 390, height: 844 });
    await screenshot(host, 'live-host-console-phone');

    await hostContext.close();
    await buyerContext.close();
  });

  test('an ended show shows its summary and pin timeline; an upcoming one can be subscribed to', async ({ page }) => {
    await page.goto('/live');
    await page.getByTestId('show-card').filter({ hasText: '已结束' }).first().getByRole('link').click();
    await expect(page.getByTestId('show-summary')).toContainText('观看人数');
    // Sales figures are the cooperative's own: a buyer does not see GMV or conversion.
    await expect(page.getByTestId('show-summary')).not.toContainText('成交额');
    await expect(page.getByTestId('show-summary')).not.toContainText('转化率');
    await expect(page.getByTestId('pin-timeline').getByRole('listitem')).not.toHaveCount(0);
    await screenshot(page, 'live-ended-phone');
  });
});
