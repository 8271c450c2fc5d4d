import { expect, test } from '../support/test';
import { LAPTOP, screenshot, signIn, uniqueEmail } from '../support/browser';

test.describe('identity in the browser (built product, Chromium)', () => {
  test('a visitor signs up in Chinese on a phone, sees the account page, signs out and signs in again', async ({
    page,
  }) => {
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();
    await screenshot(page, 'home-phone');

    const email = uniqueEmail();
    await page.goto('/sign-up');
    await page.getByLabel('邮箱').fill(email);
    await page.getByLabel('密码').fill('a strong password');
    await page.getByLabel('昵称').fill('王小明');
    await page.getByRole('button', { name: '注册' }).click();
    await expect(page).toHaveURL(/\/me$/);
    await expect(page.getByTestId('account-display-name')).toHaveText('王小明');
    await expect(page.getByTestId('account-roles')).toContainText('买家');
    await screenshot(page, 'account-phone');

    // The session survives a reload: the refresh cookie restores it.
    await page.reload();
    await expect(page.getByTestId('account-display-name')).toHaveText('王小明');

    await page.getByRole('button', { name: '退出登录' }).click();
    await expect(page.getByRole('link', { name: '登录' }).first()).toBeVisible();
    await page.reload();
    await expect(page.getByTestId('account-display-name')).toHaveCount(0);

    await page.goto('/sign-in');
    await page.getByLabel('邮箱或手机号').fill(email);
    await page.getByLabel('密码').fill('wrong password');
    await page.getByRole('button', { name: '登录' }).click();
    await expect(page.getByTestId('form-error')).toBeVisible();
    await page.getByLabel('密码').fill('a strong password');
    await page.getByRole('button', { name: '登录' }).click();
    await expect(page).toHaveURL(/\/me$/);
    await expect(page.getByTestId('account-display-name')).toHaveText('王小明');
  });

  test('shows field errors in Chinese for a bad sign-up and refuses a taken e-mail', async ({ page }) => {
    await page.goto('/sign-up');
    await page.getByLabel('邮箱').fill('not-an-email');
    await page.getByLabel('密码').fill('short');
    await page.getByRole('button', { name: '注册' }).click();
    await expect(page.locator('[aria-invalid="true"]').first()).toBeVisible();
    await page.getByLabel('邮箱').fill('buyer@xiangbo.demo');
    await page.getByLabel('密码').fill('a strong password');
    await page.getByLabel('昵称').fill('重复');
    await page.getByRole('button', { name: '注册' }).click();
    await expect(page.getByTestId('form-error')).toBeVisible();
    await expect(page).toHaveURL(/\/sign-up/);
  });

  test('switches to English and back, remembering the choice', async ({ browser }) => {
    const ctx = await browser.newContext({ ...LAPTOP, locale: 'zh-CN', baseURL: process.env.XB_E2E_BASE_URL });
    const page = await ctx.newPage();
    await page.goto('/sign-in');
    await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
    await page.getByTestId('language-switch-header').selectOption('en');
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await page.reload();
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await screenshot(page, 'sign-in-laptop-en');
    await page.getByTestId('language-switch-header').selectOption('zh-CN');
    await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
    await ctx.close();
  });

  test('role-aware navigation: the demo platform admin sees 平台管理, a buyer gets 403 there', async ({ page }) => {
    await signIn(page, 'buyer@xiangbo.demo');
    await expect(page.getByRole('link', { name: '平台管理' })).toHaveCount(0);
    await page.goto('/admin/applications');
    await expect(page.getByTestId('forbidden')).toBeVisible();
    await page.context().clearCookies();

    await signIn(page, 'admin@xiangbo.demo');
    await expect(page.getByRole('link', { name: '平台管理' })).toBeVisible();
  });
});
