/**
 * Re-measures a cooperative's onboarding on a phone (issue 18, item 6): `npm run measure:onboarding`.
 *
 * Not a test. It starts the BUILT product exactly as the browser tests do (e2e/support/global-setup: node
 * dist/apps/api/main.js serving the storefront, demo seed, a fresh database) and plays, in Chromium at 390×844
 * (phone, touch, zh-CN), a new cooperative admin who:
 *   1. signs up with a mobile number and applies to open a cooperative shop,
 *   2. (the platform approves it — the platform's work, not counted),
 *   3. links 42 households by pasting the ID-number column of their spreadsheet
 *      (the registry already has the 42: created by the script as the platform, not counted),
 *   4. creates a product with a photo, on sale once saved,
 *   5. schedules the first show with the first-show wizard (checking the camera on the way).
 * Every tap and every field the admin fills is counted through the helpers below, and phone time is estimated
 * with a stated model. Taps made outside the product (switching to the spreadsheet app to copy the column, the
 * phone's photo picker) are counted as taps too, and listed.
 *
 * Needs `npm run build` first (the command does it under the shared build lock).
 */
import { chromium, type Locator, type Page } from '@playwright/test';
import { generateUscc, idNumberCheckChar } from '@xiangbo/domain';
import sharp from 'sharp';
import globalSetup from '../../e2e/support/global-setup';

// ---------- the time model ----------

/** Seconds per tap (find the control, reach it, tap, see the result). */
const TAP_S = 2;
/** Seconds per field on top of its typing (focus it, the keyboard comes up, move on). */
const FIELD_S = 1.5;
/** Seconds per Chinese character (pinyin input method: a syllable or two and a pick). */
const HANZI_S = 1;
/** Seconds per digit or Latin character (a third of a second each on the phone keyboard). */
const ASCII_S = 1 / 3;
const MODEL = `${TAP_S} s per tap + ${FIELD_S} s per field + ${HANZI_S} s per Chinese character + 1 s per 3 digits/Latin characters; server and page waits not counted`;

interface Step {
  name: string;
  taps: number;
  fields: number;
  typingS: number;
  offAppTaps: string[];
}

const steps: Step[] = [];
let current: Step;
function step(name: string) {
  current = { name, taps: 0, fields: 0, typingS: 0, offAppTaps: [] };
  steps.push(current);
}
const typingSeconds = (text: string) =>
  [...text].reduce((s, ch) => s + (/[\u3400-\u9fff\uf900-\ufaff]/.test(ch) ? HANZI_S : ASCII_S), 0);

/** A tap in the product. */
async function tap(target: Locator) {
  await target.click();
  current.taps += 1;
}
/** A tap outside the product (another app, the system picker): counted, nothing to click here. */
function offAppTap(what: string) {
  current.taps += 1;
  current.offAppTaps.push(what);
}
/** A field typed in (the tap into it is part of FIELD_S). */
async function type(target: Locator, text: string) {
  await target.fill(text);
  current.fields += 1;
  current.typingS += typingSeconds(text);
}
/** A native picker (select): one tap to open, one to choose. */
async function choose(target: Locator, option: string | { label: string }) {
  await target.selectOption(option);
  current.taps += 2;
}
/** Pasting from the clipboard: long-press the field, tap 粘贴. Nothing is typed. */
async function paste(target: Locator, text: string) {
  await target.fill(text);
  current.taps += 2;
  current.fields += 1;
}

// ---------- the data ----------

const stamp = Date.now();
const HOUSEHOLDS = 42;
/** 42 valid resident ID numbers of 柞水县 (611022), unique to this run. */
function idNumbers(): string[] {
  const out = new Set<string>();
  for (let i = 0; out.size < HOUSEHOLDS; i++) {
    const n = (Math.floor(stamp / 1000) + i * 7919) % 1000;
    const year = 1950 + ((stamp + i) % 50);
    const month = String(1 + (i % 12)).padStart(2, '0');
    const day = String(1 + ((i * 3) % 28)).padStart(2, '0');
    const first17 = `611022${year}${month}${day}${String(n).padStart(3, '0')}`;
    out.add(first17 + idNumberCheckChar(first17));
  }
  return [...out];
}
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程';
const GIVEN = ['德明', '小梅', '大山', '秀英', '建国', '桂兰', '志强', '玉珍', '永福', '春花'];

async function main() {
  const teardown = await globalSetup();
  const base = process.env.XB_E2E_BASE_URL as string;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
    ],
  });
  const started = Date.now();
  try {
    // ---- the platform's side (not counted): the registry has the 42 households ----
    const api = async (path: string, init: { method?: string; token?: string; body?: unknown } = {}) => {
      const res = await fetch(`${base}${path}`, {
        method: init.method ?? 'GET',
        headers: {
          'Content-Type': 'application/json',
          ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}),
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    };
    const platform = (
      await api('/api/auth/sign-in', {
        method: 'POST',
        body: { identifier: 'admin@xiangbo.demo', password: 'Xiangbo-demo-2026' },
      })
    ).accessToken as string;
    const ids = idNumbers();
    for (const [i, idNumber] of ids.entries()) {
      await api('/api/admin/households', {
        method: 'POST',
        token: platform,
        body: {
          headName: `${SURNAMES[i % SURNAMES.length]}${GIVEN[i % GIVEN.length]}`,
          idNumber,
          province: '陕西省',
          city: '商洛市',
          county: '柞水县',
          township: '小岭镇',
          village: '金米村',
          householdSize: 2 + (i % 4),
          povertyCauses: i % 3 === 2 ? [] : ['illness'],
          status: i % 3 === 2 ? 'monitored' : 'registered',
          statusEffectiveDate: '2020-01-01',
          statusReason: '建档立卡',
        },
      });
    }

    // ---- the new cooperative admin, on a phone ----
    const context = await browser.newContext({
      baseURL: base,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      permissions: ['camera', 'microphone'],
    });
    const page: Page = await context.newPage();
    const mobile = `139${String(stamp).slice(-8)}`;
    const coopName = `金米村木耳专业合作社${String(stamp).slice(-4)}`;

    step('注册 sign up');
    await page.goto('/');
    await tap(page.getByRole('link', { name: '我的' }).last());
    await tap(page.getByRole('link', { name: '注册' }).first());
    await type(page.getByLabel('手机号'), mobile);
    await type(page.getByLabel('密码'), 'jinmi2026!');
    await type(page.getByLabel('昵称'), '王德明');
    await tap(page.getByRole('button', { name: '注册' }));
    await page.waitForURL(/\/me$/);

    step('申请开店 apply');
    await tap(page.getByRole('link', { name: '申请开设合作社店铺' }));
    await type(page.getByLabel('合作社名称'), coopName);
    await type(page.getByLabel('统一社会信用代码'), generateUscc(stamp % 1_000_000_000, { division: '611022' }));
    await choose(page.getByLabel('省份'), '陕西省');
    await type(page.getByLabel('市', { exact: true }), '商洛市');
    await type(page.getByLabel('县（区）'), '柞水县');
    await type(page.getByLabel('乡镇'), '小岭镇');
    await type(page.getByLabel('村', { exact: true }), '金米村');
    await type(page.getByLabel('联系人'), '王德明');
    const phone = page.getByLabel('联系电话');
    if (!(await phone.inputValue())) await type(phone, mobile);
    await tap(page.getByRole('button', { name: '提交申请' }));
    await page.getByText('申请已提交，平台审核后会在下面显示结果。').waitFor();

    // The platform approves (its work, not counted).
    const apps = (await api('/api/admin/cooperatives?status=pending&pageSize=50', { token: platform })) as {
      items: { id: string; name: string }[];
    };
    const application = apps.items.find((a) => a.name === coopName);
    if (!application) throw new Error('the application is not in the platform list');
    await api(`/api/admin/cooperatives/${application.id}/approve`, { method: 'POST', token: platform });

    step('进入后台 into the console');
    await page.reload(); // the admin opens the page again once told (pull to refresh)
    current.taps += 1;
    await tap(page.getByRole('link', { name: '进入合作社后台' }));
    await page.waitForURL(/\/console\/[0-9a-f-]{36}\//);
    const coopId = page.url().match(/\/console\/([0-9a-f-]{36})\//)?.[1] as string;
    const tab = (name: string) => page.locator('nav.console__tabs').getByRole('link', { name, exact: true });

    step(`关联 ${HOUSEHOLDS} 户 link the households`);
    await tap(tab('社员'));
    // In the spreadsheet app: open it, tap the ID column's header, 复制, switch back.
    offAppTap('switch to the spreadsheet app');
    offAppTap("tap the ID-number column's header");
    offAppTap('tap 复制');
    offAppTap('switch back to the browser');
    await paste(page.getByLabel(/身份证号（每行一个/), ids.join('\n'));
    await tap(page.getByRole('button', { name: '预览' }));
    await tap(page.getByTestId('bulk-commit'));
    await page.getByText(`已关联 ${HOUSEHOLDS} 户，0 行未关联`).waitFor();

    step('商品（带图，保存即上架） a product with a photo, on sale once saved');
    await tap(tab('商品与批次'));
    await tap(page.getByRole('link', { name: '添加商品' }));
    const photo = await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#3b2a1a' } })
      .jpeg()
      .toBuffer();
    await page.getByLabel('上传图片').setInputFiles({ name: 'muer.jpg', mimeType: 'image/jpeg', buffer: photo });
    current.taps += 1; // 上传图片
    offAppTap('pick the photo in the phone gallery');
    offAppTap('tap 完成 in the gallery');
    await page.getByTestId('pending-photo').first().waitFor();
    await type(page.getByLabel('商品名称（中文）'), '柞水黑木耳');
    await type(page.getByLabel('价格（元）'), '59');
    await type(page.getByLabel('库存'), '300');
    await tap(page.getByRole('button', { name: '创建商品' }));
    await page.waitForURL(/\/products\/[0-9a-f-]{36}$/);
    const productId = page.url().split('/').pop() as string;

    step('第一场直播（向导） the first show, with the wizard');
    await tap(tab('直播'));
    await page.getByTestId('first-show-wizard').waitFor();
    await page.getByLabel('柞水黑木耳').waitFor();
    await tap(page.getByRole('button', { name: '下一步' }));
    await tap(page.getByRole('button', { name: '下一步' }));
    await tap(page.getByRole('button', { name: '打开摄像头试试' }));
    await page.getByText('摄像头和麦克风都能用。').waitFor();
    await tap(page.getByRole('button', { name: '创建直播' }));
    await page.getByText('直播已预约').waitFor();

    // ---- what the buyer and the platform now see (checks, not counted) ----
    const detail = await api(`/api/products/${productId}`);
    if (!detail.photos?.length) throw new Error('the product has no photo');
    const members = await api(`/api/cooperatives/${coopId}`);
    const shows = await api(`/api/shows?status=scheduled&pageSize=50`);
    const ourShow = (shows.items as { cooperative: { id: string } }[]).find((s) => s.cooperative.id === coopId);
    if (!ourShow) throw new Error('the first show is not in the public list');
    await context.close();

    // ---- the figures ----
    const rows = steps.map((s) => ({
      ...s,
      seconds: s.taps * TAP_S + s.fields * FIELD_S + s.typingS,
    }));
    const total = rows.reduce(
      (a, r) => ({
        taps: a.taps + r.taps,
        fields: a.fields + r.fields,
        typingS: a.typingS + r.typingS,
        seconds: a.seconds + r.seconds,
      }),
      { taps: 0, fields: 0, typingS: 0, seconds: 0 },
    );
    const pad = (s: string | number, n: number) => String(s).padStart(n);
    // Numbers first, the step's name last: Chinese names are double width and would push the columns about.
    const line = (taps: number, fields: number, typing: number, seconds: number, name: string) =>
      console.log(
        `${pad(taps, 5)}${pad(fields, 8)}${pad(typing.toFixed(1), 10)}${pad(seconds.toFixed(1), 9)}  ${name}`,
      );
    console.log(`\nOnboarding on a phone (390×844, zh-CN), ${HOUSEHOLDS} households from a spreadsheet column`);
    console.log(`model: ${MODEL}\n`);
    console.log(`${pad('taps', 5)}${pad('fields', 8)}${pad('typing s', 10)}${pad('phone s', 9)}  step`);
    for (const r of rows) line(r.taps, r.fields, r.typingS, r.seconds, r.name);
    line(total.taps, total.fields, total.typingS, total.seconds, 'total');
    console.log(
      `\nphone work ≈ ${(total.seconds / 60).toFixed(1)} minutes (target ≤ 5) · members linked: ${members.memberCount} · product on sale with ${detail.photos.length} photo · first show scheduled`,
    );
    const off = rows.flatMap((r) => r.offAppTaps);
    console.log(`taps outside the product, included above (${off.length}): ${off.join('; ')}`);
    console.log(`(script wall clock ${((Date.now() - started) / 1000).toFixed(0)} s, not phone time)`);
    if (total.seconds > 300) process.exitCode = 1;
  } finally {
    await browser.close();
    await teardown();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
