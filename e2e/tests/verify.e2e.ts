import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test } from '../support/test';
import { screenshot } from '../support/browser';

const ROOT = resolve(__dirname, '../..');
const VECTORS = join(ROOT, 'docs/ledger-vectors');
const CLI = join(ROOT, 'dist/verify-ledger.cjs');

/** The verdict of `node dist/verify-ledger.cjs FILE [--head H]`: the page must reach the same one. */
function cli(file: string, head?: string): 'ok' | 'broken' {
  const out = spawnSync('node', [CLI, file, ...(head ? ['--head', head] : [])], { encoding: 'utf8' });
  expect([0, 1]).toContain(out.status);
  return out.status === 0 ? 'ok' : 'broken';
}

/**
 * Issue 16 must-show: /verify (public, phone first, Chinese) checks a good and a broken export in a Web Worker, as
 * the CLI does, and nothing is uploaded: no request carries the file.
 */
test('/verify: a good and a broken export, the same verdicts as the CLI, nothing uploaded', async ({ page }) => {
  const expected: { file: string; heads: string[] }[] = JSON.parse(
    readFileSync(join(VECTORS, 'expected.json'), 'utf8'),
  );
  const requests: { method: string; url: string; body: string }[] = [];
  page.on('request', (r) => requests.push({ method: r.method(), url: r.url(), body: r.postData() ?? '' }));

  await page.goto('/verify');
  await expect(page.getByRole('heading', { name: '核对账本' })).toBeVisible();
  const before = requests.length;

  const good = join(VECTORS, 'good.jsonl');
  const goodHead = expected.find((e) => e.file === 'good.jsonl')!.heads[0];
  await page.getByTestId('verify-head').fill(goodHead);
  await page.getByTestId('verify-file').setInputFiles(good);
  const result = page.getByTestId('verify-result');
  await expect(result).toHaveAttribute('data-verdict', cli(good, goodHead));
  await expect(result).toHaveAttribute('data-verdict', 'ok');
  await expect(result).toContainText('账本完整：12 笔交易');
  await expect(page.getByTestId('verify-own-head')).toHaveText(goodHead);
  await screenshot(page, 'verify-good');

  // a payout above what the household was owed: broken, named in plain Chinese at its line
  const overdrawn = join(VECTORS, 'overdrawn-payout.jsonl');
  await page.getByTestId('verify-head').fill('');
  await page.getByTestId('verify-file').setInputFiles(overdrawn);
  await expect(result).toHaveAttribute('data-verdict', 'broken');
  expect(cli(overdrawn)).toBe('broken');
  await expect(result).toContainText('发现 1 处问题');
  await expect(page.getByTestId('verify-breaks')).toContainText('第 15 行 · 交易 #13');
  await expect(page.getByTestId('verify-breaks')).toContainText('兑付金额超过了这户应得的钱');
  await screenshot(page, 'verify-broken');

  // the good file against the head of a longer chain: the dropped tail is caught, as the CLI catches it
  const dropped = join(VECTORS, 'dropped-tail.jsonl');
  await page.getByTestId('verify-head').fill(goodHead);
  await page.getByTestId('verify-file').setInputFiles(dropped);
  await expect(result).toHaveAttribute('data-verdict', 'broken');
  expect(cli(dropped, goodHead)).toBe('broken');
  await expect(page.getByTestId('verify-breaks')).toContainText('末尾的交易被删掉了');

  // nothing uploaded: after the page loaded, no request went anywhere but for the page's own scripts
  const after = requests.slice(before);
  const fileText = readFileSync(good, 'utf8').slice(0, 200);
  expect(after.filter((r) => r.method !== 'GET')).toEqual([]);
  expect(after.filter((r) => r.body.includes('transaction') || r.url.includes('c0ffee00'))).toEqual([]);
  expect(requests.some((r) => r.body.includes(fileText))).toBe(false);
});
