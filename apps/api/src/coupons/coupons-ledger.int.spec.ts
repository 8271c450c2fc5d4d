import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ConsoleShow } from '@xiangbo/contracts';
import { accountCode, householdOfAccount, verifyExport } from '@xiangbo/domain';
import { createTestApp, registerUser, TEST_ADDRESS, TestApp, userWithRoles } from '../../test/test-app';
import { LedgerService } from '../ledger/ledger.service';
import { bearer, complete, exportLedger, scenario, settle } from '../ledger/testing/ledger-fixtures';

const ROOT = resolve(__dirname, '../../../..');

/**
 * Coupons in the ledger, on real PostgreSQL: an order bought with a live coupon is paid what the buyer paid
 * (pay:order = total after the discount), settlement splits that amount (the households' purchase payment is computed
 * on what was paid, not on the list price), a refund after settlement reverses within it, and the cooperative's
 * export still verifies — with the library and with the standalone verifier (tools/verify-ledger).
 */
describe('coupons in the ledger', () => {
  let t: TestApp;
  let cli: string;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xb-coupon-ledger-'));
    cli = join(dir, 'verify-ledger.cjs');
    execFileSync('npx', ['rolldown', '-c', 'tools/verify-ledger/rolldown.config.mjs', '-o', cli], {
      cwd: ROOT,
      stdio: 'pipe',
    });
    t = await createTestApp();
  }, 180_000);
  afterAll(() => t.close());

  it('pays, settles and reverses what the buyer paid; household shares on the paid amount; the export verifies', async () => {
    const s = await scenario(t); // ¥59.00 product, three households, the default policy
    const host = await userWithRoles(t, [{ role: 'host', cooperativeId: s.coopId }]);
    const show = (
      await t.http
        .post(`/api/console/cooperatives/${s.coopId}/shows`)
        .set(bearer(host.token))
        .send({
          title: '发券专场',
          scheduledAt: new Date(Date.now() + 3600_000).toISOString(),
          productIds: [s.productId],
        })
        .expect(201)
    ).body as ConsoleShow;
    await t.http.post(`/api/console/shows/${show.id}/start`).set(bearer(host.token)).expect(200);
    const coupon = (
      await t.http
        .post(`/api/console/shows/${show.id}/coupons`)
        .set(bearer(host.token))
        .send({ amountOffFen: 1000, minSpendFen: 0, quantity: 5, perViewerLimit: 1, validity: '24h' })
        .expect(201)
    ).body as { id: string };

    const buy = async (withCoupon: boolean) => {
      const b = await registerUser(t);
      if (withCoupon) await t.http.post(`/api/coupons/${coupon.id}/claim`).set(bearer(b.token)).send({}).expect(201);
      const placed = await t.http
        .post('/api/orders')
        .set(bearer(b.token))
        .send({ items: [{ productId: s.productId, quantity: 1 }], address: TEST_ADDRESS, showId: show.id })
        .expect(201);
      await t.http
        .post(`/api/payments/demo/${placed.body.checkout.paymentId}/confirm`)
        .set(bearer(b.token))
        .expect(200);
      return { orderId: placed.body.id as string, buyer: b, paidFen: placed.body.checkout.amountFen as number };
    };
    const withCoupon = await buy(true);
    const without = await buy(false);
    expect([withCoupon.paidFen, without.paidFen]).toEqual([4900, 5900]);

    const ledger = t.app.get(LedgerService);
    expect((await ledger.findByKey(undefined, `pay:order:${withCoupon.orderId}`))?.postings).toEqual([
      { account: 'platform:psp_receivable', amount: 4900, currency: 'CNY' },
      { account: accountCode.clearing(s.coopId), amount: -4900, currency: 'CNY' },
    ]);

    for (const o of [withCoupon, without]) await complete(t, s, o.orderId, o.buyer.token);
    const run = await settle(t, s);
    expect(run).toMatchObject({ status: 'done', done: 2, skipped: [], settledFen: 4900 + 5900 });

    const settlementOf = async (orderId: string) => {
      const tx = await ledger.findByKey(undefined, `settle:order:${orderId}`);
      const postings = tx?.postings ?? [];
      return {
        postings,
        reference: tx?.reference as { lines: { grossFen: number }[] },
        households: postings.filter((p) => householdOfAccount(p.account)).reduce((x, p) => x - p.amount, 0),
      };
    };
    const a = await settlementOf(withCoupon.orderId);
    const b = await settlementOf(without.orderId);
    // debits = credits; the coupon order splits the ¥49.00 paid (its line's gross), the other the ¥59.00
    expect(a.postings.reduce((x, p) => x + p.amount, 0)).toBe(0);
    expect(a.postings.find((p) => p.account === accountCode.clearing(s.coopId))?.amount).toBe(4900);
    expect(a.reference.lines.map((l) => l.grossFen)).toEqual([4900]);
    expect(b.reference.lines.map((l) => l.grossFen)).toEqual([5900]);
    // households get their share of what was paid: less on the coupon order, by about the policy's share of ¥10
    expect(a.households).toBeLessThan(b.households);
    expect(b.households - a.households).toBeGreaterThan(500);
    expect(b.households - a.households).toBeLessThan(700);
    // clearing is empty once both are settled
    const balances = await ledger.balances(undefined, `coop:${s.coopId}:`);
    expect(balances.get(accountCode.clearing(s.coopId)) ?? 0).toBe(0);

    // a refund after settlement reverses within what was paid
    await t.http
      .post(`/api/console/orders/${withCoupon.orderId}/refunds`)
      .set(bearer(s.admin.token))
      .send({ reason: '品质问题', amountFen: 1900 })
      .expect(201);
    await t.http
      .post(`/api/console/orders/${withCoupon.orderId}/refunds`)
      .set(bearer(s.admin.token))
      .send({ reason: '超过实付', amountFen: 3001 })
      .expect((r) => expect(r.status).toBeGreaterThanOrEqual(400));
    const impact = (
      await t.http.get(`/api/orders/${withCoupon.orderId}/impact`).set(bearer(withCoupon.buyer.token)).expect(200)
    ).body as { destinations: Record<string, number>; pendingFen: number; refundedFen: number };
    const receipt =
      Object.values(impact.destinations).reduce((x, v) => x + v, 0) + impact.pendingFen + impact.refundedFen;
    expect(receipt).toBe(4900);

    const text = await exportLedger(t, s.coopId, s.admin.token);
    expect(verifyExport(text.split('\n'))).toMatchObject({ ok: true, breaks: [] });
    const file = join(dir, 'coupons.jsonl');
    writeFileSync(file, text);
    const out = spawnSync('node', [cli, file], { encoding: 'utf8' });
    expect(out.stdout).toMatch(/^OK: \d+ transactions/);
    expect(out.status).toBe(0);
  }, 120_000);

  it('a coupon the platform carries: the platform pays the discount to retained, households on what was paid', async () => {
    const s = await scenario(t);
    // who carries coupons is the platform's to set, with its fee; a cooperative cannot choose it
    const platform = await userWithRoles(t, [{ role: 'platform_admin' }]);
    const set = await t.http
      .post(`/api/admin/cooperatives/${s.coopId}/platform-fee`)
      .set(bearer(platform.token))
      .send({ platformFeeBp: 300, couponCarrier: 'platform', note: '平台承担直播间优惠券' })
      .expect(201);
    expect(set.body.couponCarrier).toBe('platform');
    await t.http
      .post(`/api/admin/cooperatives/${s.coopId}/platform-fee`)
      .set(bearer(s.admin.token))
      .send({ platformFeeBp: 300, couponCarrier: 'cooperative' })
      .expect(403);
    // the cooperative's own next version keeps the platform's choice
    const own = await t.http
      .post(`/api/console/cooperatives/${s.coopId}/sharing-policies`)
      .set(bearer(s.admin.token))
      .send({
        purchase: { kind: 'percent', bp: 6500 },
        dividendBp: 800,
        wagesBp: 1000,
        dividendWeights: { registered: 150, monitored: 120, lifted: 100, none: 100 },
        note: '第三版',
      })
      .expect(201);
    expect(own.body.couponCarrier).toBe('platform');

    const host = await userWithRoles(t, [{ role: 'host', cooperativeId: s.coopId }]);
    const show = (
      await t.http
        .post(`/api/console/cooperatives/${s.coopId}/shows`)
        .set(bearer(host.token))
        .send({
          title: '平台补贴券',
          scheduledAt: new Date(Date.now() + 3600_000).toISOString(),
          productIds: [s.productId],
        })
        .expect(201)
    ).body as ConsoleShow;
    await t.http.post(`/api/console/shows/${show.id}/start`).set(bearer(host.token)).expect(200);
    const coupon = (
      await t.http
        .post(`/api/console/shows/${show.id}/coupons`)
        .set(bearer(host.token))
        .send({ amountOffFen: 1000, minSpendFen: 0, quantity: 5, perViewerLimit: 1, validity: '24h' })
        .expect(201)
    ).body as { id: string };
    const buyer = await registerUser(t);
    await t.http.post(`/api/coupons/${coupon.id}/claim`).set(bearer(buyer.token)).send({}).expect(201);
    const placed = await t.http
      .post('/api/orders')
      .set(bearer(buyer.token))
      .send({ items: [{ productId: s.productId, quantity: 1 }], address: TEST_ADDRESS })
      .expect(201);
    expect(placed.body.checkout.amountFen).toBe(4900);
    await t.http
      .post(`/api/payments/demo/${placed.body.checkout.paymentId}/confirm`)
      .set(bearer(buyer.token))
      .expect(200);
    await complete(t, s, placed.body.id, buyer.token);
    await settle(t, s);

    const ledger = t.app.get(LedgerService);
    const tx = await ledger.findByKey(undefined, `settle:order:${placed.body.id}`);
    const postings = new Map((tx?.postings ?? []).map((p) => [p.account, p.amount]));
    expect(tx?.reference).toMatchObject({ couponDiscountFen: 1000 });
    expect(postings.get(accountCode.clearing(s.coopId))).toBe(4900);
    expect(postings.get(accountCode.couponSubsidies())).toBe(1000);
    expect((tx?.postings ?? []).reduce((x, p) => x + p.amount, 0)).toBe(0);
    // households: the split of the ¥49.00 paid, as when the cooperative carries it
    const households = (tx?.postings ?? [])
      .filter((p) => householdOfAccount(p.account))
      .reduce((x, p) => x - p.amount, 0);
    const net = 4900 - Math.floor((4900 * 300) / 10000) - (postings.get(accountCode.paymentFees()) ?? 0) * -1;
    expect(households).toBe(Math.floor((net * 6500) / 10000));

    const text = await exportLedger(t, s.coopId, s.admin.token);
    expect(verifyExport(text.split('\n'))).toMatchObject({ ok: true, breaks: [] });
    const file = join(dir, 'platform-coupons.jsonl');
    writeFileSync(file, text);
    const out = spawnSync('node', [cli, file], { encoding: 'utf8' });
    expect(out.stdout).toMatch(/^OK: \d+ transactions/);
    expect(out.status).toBe(0);
  }, 120_000);
});
