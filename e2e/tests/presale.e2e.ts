import type { Browser, Page } from '@playwright/test';
import { expect, test } from '../support/test';
import { LAPTOP, screenshot, signIn, uniqueEmail } from '../support/browser';

/**
 * Issue 17, pre-sale (预售) on a phone: the demo's 山丹马铃薯 is on pre-sale (¥10.00 deposit + ¥29.90 balance). A buyer
 * reads the badge, the timeline and the rule, pays the deposit with 演示支付 (定金已付); the cooperative declares the
 * harvest in from its console (laptop); the buyer's order shows 待付尾款 with a pay button, pays the balance with
 * 演示支付, and the order shows 尾款已付. The transparency page lists the households' promises.
 */
const POTATO = '山丹马铃薯';

async function signUp(page: Page, name: string) {
  await page.goto('/sign-up');
  await page.getByLabel('邮箱').fill(uniqueEmail('presale'));
  await page.getByLabel('密码').fill('a strong password');
  await page.getByLabel('昵称').fill(name);
  await page.getByRole('button', { name: '注册' }).click();
  await page.waitForURL(/\/me$/);
}

async function phone(browser: Browser, baseURL: string | undefined) {
  return browser.newContext({
    baseURL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
}

/** 演示支付 on the ordinary payment page, for `amount`; ends on the order page. */
async function payDemo(page: Page, amount: string) {
  await page.waitForURL(/\/pay\//);
  await expect(page.getByText(amount).first()).toBeVisible();
  await page.getByRole('button', { name: '确认支付' }).click();
  await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);
}

test('deposit with 演示支付, the cooperative declares the harvest, the balance with 演示支付', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  // The buyer finds the pre-sale on the product page (phone).
  const buyer = await phone(browser, baseURL);
  const page = await buyer.newPage();
  await signUp(page, '周小红');
  await page.goto(`/products?q=${encodeURIComponent('马铃薯')}`);
  await page
    .getByRole('link', { name: new RegExp(POTATO) })
    .first()
    .click();
  const offer = page.getByTestId('presale-offer');
  await expect(offer.getByTestId('presale-badge')).toHaveText('预售');
  await expect(offer.getByTestId('presale-deposit')).toHaveText('¥10.00');
  await expect(offer.getByRole('list', { name: '预售流程' }).getByRole('listitem')).toHaveText([
    /付定金/,
    /付尾款/,
    /发货/,
  ]);
  await expect(offer.getByTestId('presale-rule')).toContainText('逾期未付，定金全额退回');
  await expect(offer.getByText('保底收购价 ¥25.00/件')).toBeVisible();
  await expect(offer.getByText(/马\*林 120 件/)).toBeVisible();
  // An open pre-sale is bought through its block only (no add-to-cart beside it).
  await expect(page.getByRole('button', { name: '加入购物车' })).toHaveCount(0);
  await screenshot(page, 'presale-product-phone');

  // The deposit, with 演示支付.
  await offer.getByTestId('presale-reserve').click();
  const sheet = page.getByRole('dialog');
  await sheet.getByLabel('收货人').fill('周小红');
  await sheet.getByLabel('手机号').fill('13800138000');
  await sheet.getByLabel('省份').fill('浙江省');
  await sheet.getByLabel('城市').fill('杭州市');
  await sheet.getByLabel('区/县').fill('西湖区');
  await sheet.getByLabel('详细地址').fill('文三路 100 号');
  await sheet.getByRole('button', { name: '增加数量' }).click();
  await expect(sheet.getByTestId('presale-checkout-total')).toHaveText('¥20.00');
  await expect(sheet.getByText('丰收后再付尾款 ¥59.80')).toBeVisible();
  await screenshot(page, 'presale-sheet-phone');
  await sheet.getByRole('button', { name: '去付款' }).click();
  await payDemo(page, '¥20.00');
  await expect(page.getByTestId('presale-order-state')).toHaveText('定金已付');
  await expect(page.getByText('等待丰收，丰收后提醒您付尾款')).toBeVisible();
  await screenshot(page, 'presale-deposit-paid-phone');
  const depositOrderUrl = page.url();

  // The cooperative declares the harvest in (console, laptop).
  const coop = await browser.newContext({ baseURL, locale: 'zh-CN', ...LAPTOP });
  const admin = await coop.newPage();
  await signIn(admin, 'shandan.admin@xiangbo.demo');
  await admin.goto('/console');
  await admin.waitForURL(/\/console\/[0-9a-f-]{36}\//);
  const consoleBase = admin.url().replace(/\/[a-z]+$/, '');
  await admin.goto(`${consoleBase}/presales`);
  const item = admin.getByTestId('console-presale').filter({ hasText: POTATO });
  await expect(item.getByText('预订中')).toBeVisible();
  await expect(item.getByText(/定金已付 1 单/)).toBeVisible();
  await screenshot(admin, 'presale-console-laptop');
  // The form of a new pre-sale lists the cooperative's products and households (not submitted here).
  await admin.getByRole('button', { name: '新建预售' }).click();
  const form = admin.getByRole('form', { name: '新建预售' });
  await expect(form.getByLabel('商品')).toContainText(POTATO);
  await expect(form.getByLabel('农户')).toContainText('马*林');
  await form.getByRole('button', { name: '开始预售' }).click();
  await expect(form.getByText('请填写此项').first()).toBeVisible();
  await screenshot(admin, 'presale-console-new-laptop');
  admin.once('dialog', (d) => void d.accept());
  await item.getByTestId('presale-harvest').click();
  await expect(item.getByText('已丰收')).toBeVisible();
  await expect(item.getByText(/尾款截止/)).toBeVisible();
  await screenshot(admin, 'presale-console-harvested-laptop');

  // The buyer's orders: 待付尾款 with its button; the balance with 演示支付.
  await page.goto('/orders');
  // The reminder at the top of the orders: the harvest is in, the balance is due by its deadline.
  await expect(page.getByTestId('presale-reminder')).toContainText('已丰收！您有 1 笔预售待付尾款');
  await expect(page.getByTestId('presale-reminder')).toContainText(/请于 .* 前付尾款，逾期定金退回/);
  const card = page.getByTestId('order-card').filter({ has: page.getByTestId('presale-pay-balance') });
  await expect(card.getByTestId('presale-order-state')).toHaveText('待付尾款');
  await screenshot(page, 'presale-balance-due-phone');
  await card.getByTestId('presale-pay-balance').click();
  await payDemo(page, '¥59.80');
  await expect(page.getByTestId('presale-order-state')).toHaveText('尾款已付');
  await page.goto(depositOrderUrl);
  await expect(page.getByTestId('presale-order-state')).toHaveText('尾款已付');
  await expect(page.getByText(/预计 .* 发货/)).toBeVisible();
  await screenshot(page, 'presale-balance-paid-phone');

  // The cooperative sees both orders ready and ships them in one parcel from its pre-sale page.
  await admin.goto(`${consoleBase}/orders`);
  await expect(admin.getByTestId('console-presale-status').first()).toHaveText('可发货·定金单与尾款单同包裹');
  await screenshot(admin, 'presale-console-orders-laptop');
  await admin.goto(`${consoleBase}/presales`);
  const ready = admin.getByRole('region', { name: '可发货的预售订单' });
  await ready.getByLabel('快递公司').fill('顺丰');
  await ready.getByLabel('运单号').fill('SF1234567890');
  await ready.getByRole('button', { name: '发货（两单同包裹）' }).click();
  await expect(ready.getByRole('button', { name: '已发货' })).toBeVisible();
  await screenshot(admin, 'presale-console-shipped-laptop');
  await page.reload();
  await expect(page.getByText('顺丰，运单号 SF1234567890')).toBeVisible();

  // The cooperative's transparency page shows the pre-sale and what the households were promised.
  const coopId = consoleBase.split('/').pop() as string;
  await page.goto(`/cooperatives/${coopId}/transparency`);
  const pub = page.getByTestId('transparency-presales');
  await expect(pub.getByText(/保底收购价 ¥25.00\/件/)).toBeVisible();
  await expect(pub.getByText(/马\*林 120 件/)).toBeVisible();
  await screenshot(page, 'presale-transparency-phone');

  // English second: the product page.
  await page.goto('/orders');
  await page.getByTestId('language-switch-header').selectOption('en');
  await expect(page.getByTestId('presale-order-state').first()).toHaveText('Balance paid');
  await screenshot(page, 'presale-orders-en-phone');
  await Promise.all([buyer.close(), coop.close()]);
});
