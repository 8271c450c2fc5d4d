import type { Browser, Page } from '@playwright/test';
import { expect, test } from '../support/test';
import { LAPTOP, screenshot, signIn, uniqueEmail } from '../support/browser';

/**
 * Issue 17, group buying (拼团) on a phone: the cooperative sets a group of 2 on its eggs (console, laptop); buyer A
 * opens a group from the product page and pays with 演示支付; buyer B opens the shared link, joins and pays; the
 * group shows 已成团 for both, and their orders say so.
 */
const EGGS = '黄平高山土鸡蛋';

async function signUp(page: Page, name: string) {
  await page.goto('/sign-up');
  await page.getByLabel('邮箱').fill(uniqueEmail('group'));
  await page.getByLabel('密码').fill('a strong password');
  await page.getByLabel('昵称').fill(name);
  await page.getByRole('button', { name: '注册' }).click();
  await page.waitForURL(/\/me$/);
}

/** The sheet's new address, the order, then 演示支付 on the ordinary payment page; ends on the order page. */
async function addressAndPay(page: Page, recipient: string) {
  const sheet = page.getByRole('dialog');
  await sheet.getByLabel('收货人').fill(recipient);
  await sheet.getByLabel('手机号').fill('13800138000');
  await sheet.getByLabel('省份').fill('浙江省');
  await sheet.getByLabel('城市').fill('杭州市');
  await sheet.getByLabel('区/县').fill('西湖区');
  await sheet.getByLabel('详细地址').fill('文三路 100 号');
  await expect(sheet.getByTestId('group-checkout-total')).toHaveText('¥49.00');
  await screenshot(page, `group-sheet-${recipient}-phone`);
  await sheet.getByRole('button', { name: '提交并付款' }).click();
  await page.waitForURL(/\/pay\//);
  await expect(page.getByText('¥49.00').first()).toBeVisible();
  await page.getByRole('button', { name: '确认支付' }).click();
  await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);
}

async function phone(browser: Browser, baseURL: string | undefined) {
  const context = await browser.newContext({
    baseURL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  return context;
}

test('A opens a group of 2, B joins through the link, both pay with 演示支付: 已成团', async ({ browser, baseURL }) => {
  test.setTimeout(180_000); // five browser sessions on a shared machine
  // The cooperative makes its eggs a group of 2 at ¥49 (console, laptop).
  const coop = await browser.newContext({ baseURL, locale: 'zh-CN', ...LAPTOP });
  const admin = await coop.newPage();
  await signIn(admin, 'gulong.admin@xiangbo.demo');
  await admin.goto('/console');
  await admin.waitForURL(/\/console\/[0-9a-f-]{36}\//);
  const consoleBase = admin.url().replace(/\/[a-z]+$/, '');
  await admin.goto(`${consoleBase}/products`);
  await admin.locator('li, article').filter({ hasText: EGGS }).last().getByRole('link', { name: '编辑' }).click();
  const editor = admin.locator('section').filter({ has: admin.getByRole('heading', { name: '拼团', exact: true }) });
  await expect(editor.getByLabel('拼团价（元）')).toHaveValue('49.00');
  await editor.getByLabel('成团人数').fill('2');
  await editor.getByRole('button', { name: '保存拼团设置' }).click();
  await expect(editor.getByText('已保存')).toBeVisible();
  await screenshot(admin, 'group-console-laptop');

  // Buyer A opens a group from the product page.
  const a = await phone(browser, baseURL);
  const pageA = await a.newPage();
  await signUp(pageA, '王小明');
  await pageA.goto(`/products?q=${encodeURIComponent('土鸡蛋')}`);
  await pageA
    .getByRole('link', { name: new RegExp(EGGS) })
    .first()
    .click();
  const offer = pageA.getByTestId('group-offer');
  await expect(offer.getByText('2人团')).toBeVisible();
  await expect(offer.getByText('¥49.00').first()).toBeVisible();
  await screenshot(pageA, 'group-product-phone');
  await offer.getByRole('button', { name: /发起拼团/ }).click();
  await addressAndPay(pageA, '王小明');
  await expect(pageA.getByTestId('group-order-status')).toHaveText('拼团中');
  await pageA.getByRole('link', { name: '查看拼团' }).click();
  await pageA.waitForURL(/\/groups\/[0-9a-f-]{36}$/);
  await expect(pageA.getByRole('heading', { name: '还差 1 人成团' })).toBeVisible();
  await expect(pageA.getByTestId('group-countdown')).toContainText(/距结束 2[0-3]:\d\d:\d\d/);
  await pageA.getByRole('button', { name: '邀请好友参团' }).click();
  await expect(pageA.getByText('链接已复制，发给好友吧')).toBeVisible();
  const link = await pageA.evaluate(() => navigator.clipboard.readText());
  expect(link).toBe(pageA.url());
  await screenshot(pageA, 'group-open-phone');

  // The cooperative sees A's paid order as forming: not to ship yet.
  await admin.goto(`${consoleBase}/orders`);
  await expect(admin.getByTestId('console-group-status').first()).toHaveText('拼团中·成团后发货');
  await screenshot(admin, 'group-console-orders-laptop');

  // Buyer B opens the link signed out, signs in (up), comes back and joins.
  const b = await phone(browser, baseURL);
  const pageB = await b.newPage();
  await pageB.goto(link);
  await expect(pageB.getByRole('heading', { name: '还差 1 人成团' })).toBeVisible();
  await expect(pageB.getByText('王*明')).toBeVisible();
  await screenshot(pageB, 'group-link-signed-out-phone');
  await signUp(pageB, '李梅');
  await pageB.goto(link);
  await pageB.getByRole('button', { name: /参与拼团/ }).click();
  await addressAndPay(pageB, '李梅');
  await expect(pageB.getByTestId('group-order-status')).toHaveText('已成团');
  await pageB.getByRole('link', { name: '查看拼团' }).click();
  await expect(pageB.getByRole('heading', { name: '已成团' })).toBeVisible();
  await expect(pageB.getByText('拼团成功！合作社将尽快发货。')).toBeVisible();
  await screenshot(pageB, 'group-formed-phone');

  // A sees it formed too, and in the order list.
  await pageA.reload();
  await expect(pageA.getByRole('heading', { name: '已成团' })).toBeVisible();
  await pageA.goto('/orders');
  await expect(pageA.getByTestId('group-order-status').first()).toHaveText('已成团');
  await screenshot(pageA, 'group-orders-phone');

  // A laptop view of the group page.
  const wide = await browser.newContext({ baseURL, locale: 'zh-CN', ...LAPTOP });
  const pageW = await wide.newPage();
  await pageW.goto(link);
  await expect(pageW.getByRole('heading', { name: '已成团' })).toBeVisible();
  await screenshot(pageW, 'group-formed-laptop');
  // English second: the same page.
  await pageW.getByTestId('language-switch-header').selectOption('en');
  await expect(pageW.getByRole('heading', { name: 'Formed' })).toBeVisible();
  await expect(pageW.getByText('2/2 have paid')).toBeVisible();
  await screenshot(pageW, 'group-formed-en-laptop');
  // Joining a formed group is refused in Chinese (B is a member; a third buyer tries).
  const c = await phone(browser, baseURL);
  const pageC = await c.newPage();
  await signUp(pageC, '张三');
  await pageC.goto(link);
  await expect(pageC.getByRole('button', { name: /参与拼团/ })).toHaveCount(0);
  await expect(pageC.getByRole('link', { name: '再发起一个团' })).toBeVisible();
  await Promise.all([coop.close(), a.close(), b.close(), wide.close(), c.close()]);
});
