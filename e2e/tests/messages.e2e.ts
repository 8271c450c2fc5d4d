import { expect, test } from '../support/test';
import { LAPTOP, screenshot, signIn, uniqueEmail } from '../support/browser';

/**
 * Issue 18, 客服: a buyer on a phone asks the cooperative from a product page; the cooperative's admin answers from
 * the console on a laptop; the buyer sees the answer arrive without reloading, and the admin sees 已读.
 */
test('a buyer asks from a product page, the cooperative answers from its console, the buyer sees it live', async ({
  page,
  request,
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const email = uniqueEmail('asker');
  const password = 'a strong password';
  const reg = await request.post('/api/auth/register', { data: { email, password, displayName: '陈晓静' } });
  expect(reg.status()).toBe(201);
  const found = await (await request.get(`/api/products?q=${encodeURIComponent('柞水黑木耳')}`)).json();
  const product = found.items[0] as { id: string; nameZh: string };

  // The buyer, on a phone: product page → 联系客服 → the chat about this product.
  await signIn(page, email, password);
  await page.goto(`/products/${product.id}`);
  // (Tapped again if the first tap landed while the page was still starting: opening is idempotent.)
  await expect(async () => {
    await page.getByTestId('contact-seller').click();
    await expect(page).toHaveURL(/\/messages\/[0-9a-f-]{36}$/, { timeout: 4000 });
  }).toPass({ timeout: 20_000 });
  const chatUrl = page.url();
  await expect(page.getByRole('heading', { name: /客服$/ })).toBeVisible();
  const thread = page.getByTestId('chat-thread');
  await expect(thread.getByText(product.nameZh).first()).toBeVisible();
  await expect(thread.getByText('有问题尽管问，合作社客服会尽快回复。')).toBeVisible();

  // Bad text is named in Chinese before it is sent.
  await page.getByRole('button', { name: '发送', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('请输入消息内容');
  const question = '请问这批木耳是今年的新货吗？寄杭州几天到？';
  await page.getByLabel('消息内容').fill(question);
  await page.getByRole('button', { name: '发送', exact: true }).click();
  const asked = thread.getByTestId('chat-message').filter({ hasText: question });
  await expect(asked).toBeVisible();
  await expect(asked).toHaveAttribute('data-from', 'buyer');
  await expect(thread.getByText('未读')).toBeVisible();
  // A marker that a reload would wipe: the answer must arrive without one.
  await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
  await screenshot(page, 'messages-chat-phone');

  // The cooperative's admin, on a laptop: console → 客服消息 → the conversation (unread) → answer.
  const coop = await browser.newPage({ baseURL, locale: 'zh-CN', ...LAPTOP });
  await signIn(coop, 'jinmi.admin@xiangbo.demo');
  await coop.goto('/console');
  await coop.getByRole('link', { name: '客服消息', exact: true }).click();
  const row = coop.getByTestId('conversation').filter({ hasText: '买家 陈*静' });
  await expect(row).toBeVisible();
  await expect(row.getByLabel('1 条未读')).toBeVisible();
  await expect(row).toContainText(question);
  await screenshot(coop, 'messages-inbox-laptop');
  await row.click();
  const staffThread = coop.getByTestId('chat-thread');
  await expect(staffThread.getByText(question)).toBeVisible();
  await expect(row.getByLabel('1 条未读')).toHaveCount(0); // opening it reads it
  const answer = '您好，是今年9月新采的秋木耳，江浙沪一般两天到。';
  await staffThread.getByLabel('消息内容').fill(answer);
  await staffThread.getByLabel('消息内容').press('Enter');
  await expect(staffThread.getByTestId('chat-message').filter({ hasText: answer })).toBeVisible();

  // The buyer sees the answer on the same page, without a reload; it counts as read, and the admin sees 已读.
  const answered = thread.getByTestId('chat-message').filter({ hasText: answer });
  await expect(answered).toBeVisible();
  await expect(answered).toHaveAttribute('data-from', 'staff');
  expect(page.url()).toBe(chatUrl);
  expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
  await expect(thread.getByText('已读')).toBeVisible(); // the admin read the question
  await expect(staffThread.getByText('已读')).toBeVisible(); // …and the buyer the answer
  await screenshot(page, 'messages-chat-answered-phone');
  await screenshot(coop, 'messages-console-chat-laptop');

  // The same chat on a laptop, in English (the language switch's stored choice).
  const laptop = await browser.newPage({ baseURL, locale: 'zh-CN', ...LAPTOP });
  await signIn(laptop, email, password);
  await laptop.evaluate(() => localStorage.setItem('xiangbo.language', 'en'));
  await laptop.goto(chatUrl);
  await expect(laptop.getByRole('heading', { name: /Customer service$/ })).toBeVisible();
  await expect(laptop.getByTestId('chat-message').filter({ hasText: answer })).toBeVisible();
  await expect(laptop.getByRole('button', { name: 'Send', exact: true })).toBeVisible();
  await screenshot(laptop, 'messages-chat-laptop-en');
  await laptop.close();

  // The buyer's list: the conversation, the last message, nothing unread.
  await page.goto('/messages');
  const mine = page.getByTestId('conversation').filter({ hasText: '金米村' });
  await expect(mine).toContainText(answer.slice(0, 10));
  await expect(mine.locator('.unread-badge')).toHaveCount(0);
  await screenshot(page, 'messages-list-phone');

  // Another buyer opening the conversation's address finds nothing.
  const intruder = await browser.newPage({ baseURL, locale: 'zh-CN', viewport: { width: 390, height: 844 } });
  const other = uniqueEmail('intruder');
  expect(
    (await request.post('/api/auth/register', { data: { email: other, password, displayName: '路人' } })).status(),
  ).toBe(201);
  await signIn(intruder, other, password);
  await intruder.goto(chatUrl);
  await expect(intruder.getByText('找不到这个会话，或你无权查看。')).toBeVisible();
  await expect(intruder.getByText(question)).toHaveCount(0);
  await intruder.close();
  await coop.close();
});
