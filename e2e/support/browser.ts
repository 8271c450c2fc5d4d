import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';

export const LAPTOP = {
  viewport: { width: 1280, height: 800 },
  isMobile: false,
  hasTouch: false,
  deviceScaleFactor: 1,
};

/** Saves a screenshot under test-results/screens for people to look at (not compared). */
export async function screenshot(page: Page, name: string) {
  const dir = resolve(__dirname, '../../test-results/screens');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

let n = 0;
export const uniqueEmail = (tag = 'e2e') => `${tag}.${Date.now().toString(36)}.${++n}@e2e.xiangbo`;

export const DEMO_PASSWORD = 'Xiangbo-demo-2026';

export async function signIn(page: Page, identifier: string, password = DEMO_PASSWORD) {
  await page.goto('/sign-in');
  await page.getByLabel('邮箱或手机号').fill(identifier);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(/\/me$/);
}
