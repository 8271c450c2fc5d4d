import { expect, test } from '../support/test';
import { screenshot, signIn, uniqueEmail } from '../support/browser';

/**
 * Issue 4 must-show: a buyer adds to cart, checks out, pays (demo provider), the cooperative ships, the buyer
 * confirms receipt — on a phone, in Chinese, against the built product with its demo data.
 */
test('buy 木耳 with 演示支付, the cooperative ships, the buyer confirms receipt', async ({
  page,
  browser,
  baseURL,
}) => {
  // a new buyer
  const email = uniqueEmail('buyer');
  await page.goto('/sign-up');
  await page.getByLabel('邮箱').fill(email);
  await page.getByLabel('密码').fill('a strong password');
  await page.getByLabel('昵称').fill('测试买家');
  await page.getByRole('button', { name: '注册' }).click();
  await page.waitForURL(/\/me$/);

  // find the product by a Chinese search and put it in the cart
  await page.goto(`/products?q=${encodeURIComponent('木耳')}`);
  await page
    .getByRole('link', { name: /柞水黑木耳/ })
    .first()
    .click();
  await expect(page.getByRole('heading', { name: /柞水黑木耳/ })).toBeVisible();
  await page.getByRole('button', { name: '加入购物车' }).click();
  await page.goto('/cart');
  await expect(page.getByText(/柞水黑木耳/).first()).toBeVisible();
  await screenshot(page, 'cart-phone');
  await page
    .getByRole('button', { name: '去结算' })
    .or(page.getByRole('link', { name: '去结算' }))
    .first()
    .click();

  // checkout with a new address
  await page.waitForURL(/\/checkout/);
  await page.getByLabel('收货人').fill('陈静');
  await page.getByLabel('手机号').fill('13800138000');
  await page.getByLabel('省份').fill('浙江省');
  await page.getByLabel('城市').fill('杭州市');
  await page.getByLabel('区/县').fill('西湖区');
  await page.getByLabel('详细地址').fill('文三路 100 号');
  await screenshot(page, 'checkout-phone');
  await page.getByRole('button', { name: '提交订单' }).click();

  // pay with the demo provider
  await page.waitForURL(/\/pay\//);
  await expect(page.getByText('这是演示环境，不会真实扣款')).toBeVisible();
  await screenshot(page, 'pay-phone');
  await page.getByRole('button', { name: '确认支付' }).click();
  await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);
  const orderUrl = page.url();
  await expect(page.getByText('合作社正在备货', { exact: false })).toBeVisible();
  const orderNumber = (
    await page
      .getByText(/XB\d{14}/)
      .first()
      .textContent()
  )?.match(/XB\d{14}/)?.[0];
  expect(orderNumber).toBeTruthy();

  // the cooperative's admin ships it from the console (a separate browser session)
  const coop = await browser.newContext({ baseURL, locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
  const admin = await coop.newPage();
  await signIn(admin, 'jinmi.admin@xiangbo.demo');
  await admin.goto('/console');
  await admin.waitForURL(/\/console\/[0-9a-f-]{36}\//);
  const consoleBase = admin.url().replace(/\/[a-z]+$/, '');
  await admin.goto(`${consoleBase}/orders`);
  const card = admin
    .locator('article, li, tr, section')
    .filter({ hasText: orderNumber as string })
    .last();
  await expect(card).toBeVisible();
  await card.getByLabel('快递公司').selectOption({ label: '顺丰' });
  await card.getByLabel('运单号').fill('SF1234567890');
  await screenshot(admin, 'console-orders-laptop');
  await card.getByRole('button', { name: '发货', exact: true }).click();
  await expect(admin.getByText(orderNumber as string)).toHaveCount(0, { timeout: 10_000 });
  await coop.close();

  // the buyer sees the tracking number and the parcel's first step (the demo carrier), then confirms receipt
  await page.goto(orderUrl);
  await expect(page.getByText('顺丰，运单号 SF1234567890')).toBeVisible();
  const parcel = page.getByRole('list', { name: '物流跟踪' });
  await expect(parcel.getByRole('listitem').first()).toContainText('已揽收');
  await expect(parcel).toContainText('顺丰 已揽收');
  await screenshot(page, 'order-parcel-phone');
  await page.getByRole('button', { name: '确认收货' }).click();
  await page.getByRole('group', { name: '确认收货' }).getByRole('button', { name: '确认收货' }).click();
  await expect(page.getByText('订单已完成，感谢支持乡村合作社。')).toBeVisible();
  await screenshot(page, 'order-completed-phone');
});
