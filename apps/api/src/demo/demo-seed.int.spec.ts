import { createTestApp, TestApp } from '../../test/test-app';
import { DEMO_COOPERATIVES } from './demo-catalog';
import { seedDemo } from './demo-seed';

describe('demo data (npm start seeds it on every start)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('creates the five cooperatives with members, products, photos and lots, and a second run changes nothing', async () => {
    await seedDemo(t.app);
    const count = async (table: string) => (await t.db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;
    const before = {
      coops: await count('cooperatives'),
      households: await count('households'),
      products: await count('products'),
      photos: await count('product_photos'),
      lots: await count('lots'),
    };
    expect(before.coops).toBe(DEMO_COOPERATIVES.length);
    expect(before.households).toBe(DEMO_COOPERATIVES.reduce((s, c) => s + c.households.length, 0));
    expect(before.photos).toBe(before.products * 2);
    await seedDemo(t.app);
    expect({
      coops: await count('cooperatives'),
      households: await count('households'),
      products: await count('products'),
      photos: await count('product_photos'),
      lots: await count('lots'),
    }).toEqual(before);

    const list = await t.http.get('/api/cooperatives').expect(200);
    expect(list.body.total).toBe(5);
    const fungi = await t.http.get(`/api/products?q=${encodeURIComponent('木耳')}`).expect(200);
    // the two 木耳 products rank first (other fungi match through the category 木耳菌菇, below them)
    expect(
      fungi.body.items
        .slice(0, 2)
        .map((p: { nameZh: string }) => p.nameZh)
        .every((n: string) => n.includes('木耳')),
    ).toBe(true);
    expect(fungi.body.items.map((p: { nameZh: string }) => p.nameZh)).not.toContain('阜南朝天椒 干辣椒');
    const chili = await t.http.get(`/api/products?q=${encodeURIComponent('辣椒')}`).expect(200);
    expect(chili.body.items.map((p: { nameZh: string }) => p.nameZh)).toEqual(['阜南朝天椒 干辣椒']);
    const product = await t.http.get(`/api/products/${fungi.body.items[0].id}`).expect(200);
    expect(product.body.trace.households.total).toBeGreaterThanOrEqual(3);
    expect(product.body.trace.households.registeredOrMonitored).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(product.body)).not.toMatch(/王建明|李秀梅|\d{17}[\dX]/);

    // Payout confirmation: the registry keeps most households' phones (encrypted), some have none (attested by
    // the demo's village supervisor, an auditor of 金米村).
    const phones: { with: number; without: number; clear: number }[] = await t.db.query(
      `SELECT count(*) FILTER (WHERE phone_encrypted IS NOT NULL)::int AS with,
              count(*) FILTER (WHERE phone_encrypted IS NULL)::int AS without,
              count(*) FILTER (WHERE phone_encrypted ~ '1[3-9][0-9]{9}')::int AS clear FROM households`,
    );
    expect(phones[0].with).toBeGreaterThan(phones[0].without);
    expect(phones[0].without).toBeGreaterThan(0);
    expect(phones[0].clear).toBe(0);
    const [auditor] = await t.db.query(
      `SELECT c.name FROM role_assignments r JOIN users u ON u.id = r.user_id JOIN cooperatives c ON c.id = r.cooperative_id
        WHERE u.email = 'auditor@xiangbo.demo' AND r.role = 'auditor'`,
    );
    expect(auditor.name).toContain('金米村');
  });
});
