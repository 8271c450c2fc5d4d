import type { APIRequestContext } from '@playwright/test';
import { generateUscc, idNumberCheckChar } from '@xiangbo/domain';
import { expect, test } from '../support/test';
import { DEMO_PASSWORD, LAPTOP, screenshot, signIn, uniqueEmail } from '../support/browser';

async function tokenFor(request: APIRequestContext, identifier: string, password: string): Promise<string> {
  const res = await request.post('/api/auth/sign-in', { data: { identifier, password } });
  expect(res.ok()).toBe(true);
  return (await res.json()).accessToken as string;
}

const idNumber = (n: number) => {
  const first17 = `61102219${70 + (n % 20)}0${1 + (n % 9)}1${n % 10}${String(100 + (n % 900)).slice(-3)}`;
  return first17 + idNumberCheckChar(first17);
};

/**
 * Issue 3 must-show: a user applies, a platform admin approves, the cooperative adds a product with a lot
 * supplied by three households, and the product page shows the trace in Chinese.
 */
test('apply → approve → product with a lot from three households → the trace in Chinese', async ({
  page,
  browser,
  baseURL,
  request,
}) => {
  const stamp = Date.now();
  const coopName = `测试村菌菇专业合作社${String(stamp).slice(-5)}`;

  // The registry (kept by platform admins) has three households; two are registered or monitored.
  const adminToken = await tokenFor(request, 'admin@xiangbo.demo', DEMO_PASSWORD);
  const people = [
    { name: '韩大山', status: 'registered' },
    { name: '秦小梅', status: 'monitored' },
    { name: '曹德明', status: 'none' },
  ];
  const ids = people.map((_, i) => idNumber((stamp + i * 7) % 100000));
  for (const [i, p] of people.entries()) {
    const res = await request.post('/api/admin/households', {
      headers: { Authorization: `Bearer ${adminToken}` },
      data: {
        headName: p.name,
        idNumber: ids[i],
        province: '陕西省',
        city: '商洛市',
        county: '柞水县',
        township: '小岭镇',
        village: '测试村',
        householdSize: 3,
        povertyCauses: p.status === 'none' ? [] : ['illness'],
        status: p.status,
        statusEffectiveDate: '2020-01-01',
        statusReason: '测试',
      },
    });
    expect(res.status(), await res.text()).toBe(201);
  }

  // A new user applies on a phone.
  const email = uniqueEmail('coop');
  await page.goto('/sign-up');
  await page.getByLabel('邮箱').fill(email);
  await page.getByLabel('密码').fill('a strong password');
  await page.getByLabel('昵称').fill('测试理事长');
  await page.getByRole('button', { name: '注册' }).click();
  await page.waitForURL(/\/me$/);
  await page.goto('/apply');
  await page.getByLabel('合作社名称').fill(coopName);
  await page.getByLabel('统一社会信用代码').fill(generateUscc(stamp % 1_000_000_000, { division: '611022' }));
  await page.getByLabel('省份').selectOption('陕西省');
  await page.getByLabel('市', { exact: true }).fill('商洛市');
  await page.getByLabel('县（区）').fill('柞水县');
  await page.getByLabel('乡镇').fill('小岭镇');
  await page.getByLabel('村', { exact: true }).fill('测试村');
  await page.getByLabel('联系人').fill('测试理事长');
  await page.getByLabel('联系电话').fill('13912345678');
  await screenshot(page, 'apply-phone');
  await page.getByRole('button', { name: '提交申请' }).click();
  await expect(page.getByText('申请已提交，平台审核后会在下面显示结果。')).toBeVisible();

  // The platform admin approves it on a laptop.
  const adminCtx = await browser.newContext({ ...LAPTOP, baseURL, locale: 'zh-CN' });
  const admin = await adminCtx.newPage();
  await signIn(admin, 'admin@xiangbo.demo');
  await admin.goto('/admin/applications');
  const application = admin.locator('article, li, section').filter({ hasText: coopName }).last();
  await application.getByRole('button', { name: '通过' }).click();
  await expect(admin.getByText(`已通过「${coopName}」，申请人已成为合作社管理员。`)).toBeVisible();
  await screenshot(admin, 'admin-applications-laptop');
  await adminCtx.close();

  // The applicant is now its coop_admin: into the console.
  await page.goto('/apply');
  await page.getByRole('link', { name: '进入合作社后台' }).click();
  await page.waitForURL(/\/console\/[0-9a-f-]{36}\//);
  const coopId = page.url().match(/\/console\/([0-9a-f-]{36})\//)?.[1] as string;

  // The three households become members (linked by ID number).
  const coopToken = await tokenFor(request, email, 'a strong password');
  for (const id of ids) {
    const res = await request.post(`/api/console/cooperatives/${coopId}/members`, {
      headers: { Authorization: `Bearer ${coopToken}` },
      data: { idNumber: id, shareUnits: 5, joinedAt: '2024-03-01' },
    });
    expect(res.status(), await res.text()).toBe(201);
  }

  // A product, published.
  await page.goto(`/console/${coopId}/products/new`);
  await page.getByLabel('商品名称（中文）').fill('测试村香菇干');
  await page.getByLabel('品类').selectOption({ label: '木耳菌菇' });
  await page.getByLabel('单位').selectOption({ label: '袋' });
  await page.getByLabel('价格（元）').fill('59');
  await page.getByLabel('库存').fill('90');
  await page.getByLabel('上架销售').check();
  await page.getByRole('button', { name: '创建商品' }).click();
  await page.waitForURL(/\/products\/[0-9a-f-]{36}$/);
  const productId = page.url().split('/').pop() as string;

  // A lot supplied by the three households, 30 each.
  await page.goto(`/console/${coopId}/products/${productId}/lots`);
  await page.getByLabel('批次号').fill('CS-2026-11');
  await page.getByLabel('采收/生产日期').fill('2026-11-01');
  await page.getByLabel(/批次数量/).fill('90');
  await page.getByRole('button', { name: '添加供货农户' }).click();
  await page.getByRole('button', { name: '添加供货农户' }).click();
  const rows = page.getByTestId('supply-row');
  for (let i = 0; i < 3; i++) {
    await rows
      .nth(i)
      .locator('select')
      .selectOption({ index: i + 1 });
    await rows
      .nth(i)
      .getByLabel(/供货数量/)
      .fill('30');
  }
  await expect(page.getByText('数量一致')).toBeVisible();
  await screenshot(page, 'lot-form-phone');
  await page.getByRole('button', { name: '登记批次' }).click();
  await expect(page.getByText('批次已登记')).toBeVisible();

  // Anyone sees the trace on the product page, in Chinese, with masked names only.
  const visitor = await browser.newContext({ baseURL, locale: 'zh-CN', viewport: { width: 390, height: 844 } });
  const v = await visitor.newPage();
  await v.goto(`/products/${productId}`);
  await expect(v.getByRole('heading', { name: '溯源信息' })).toBeVisible();
  await expect(v.getByText('3 户农户供货，其中 2 户为建档立卡/防返贫监测户')).toBeVisible();
  await expect(v.getByText('韩*山')).toBeVisible();
  await expect(v.getByText('韩大山')).toHaveCount(0);
  await screenshot(v, 'product-trace-phone');
  await visitor.close();
});
