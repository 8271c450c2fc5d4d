import type { TransparencyDto } from '@xiangbo/contracts';
import { createTestApp, insertProduct, TestApp } from '../../test/test-app';
import { complete, insertLot, placeAndPay, scenario, settle } from './testing/ledger-fixtures';

/** The public page's under-3 rule (docs/ledger.md): the headline follows the month rows. */
describe('the transparency page with fewer than 3 households reached', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('hides the amount reaching households everywhere, headline included; sales and fees stay public', async () => {
    const s = await scenario(t);
    // a product whose only lot was supplied by one household: its sale reaches 1 household
    const product = await insertProduct(t, s.coopId, { stock: 100, price_fen: 5900 });
    await insertLot(t, product.id, '2025-09-01', { [s.households[0]]: 10 });
    const o = await placeAndPay(t, product.id, 1);
    await complete(t, s, o.orderId, o.buyer.token);
    const run = await settle(t, s);
    expect(run).toMatchObject({ status: 'done' });

    const page = (await t.http.get(`/api/cooperatives/${s.coopId}/transparency`).expect(200)).body as TransparencyDto;
    expect(page.totals.salesFen).toBe(5900);
    expect(page.totals.processingFeesFen + page.totals.platformFeesFen).toBeGreaterThan(0);
    // was "¥36.97 / 1 户" in the headline beside "不足 3 户" in the month row
    expect(page.totals).toMatchObject({ toHouseholdsFen: null, householdsReached: null });
    expect(page.months).toHaveLength(1);
    expect(page.months[0].toHouseholds).toEqual({ registered: null, monitored: null, all: null });
    expect(page.months[0].payouts).toBeNull();
    expect(page.households).toEqual([]);
    expect(JSON.stringify(page)).not.toContain(s.households[0]);
  });
});
