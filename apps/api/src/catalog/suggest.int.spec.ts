import type { ConsoleProduct, ProductSuggestResponse } from '@xiangbo/contracts';
import { createTestApp, insertCooperative, TestApp, userWithRoles } from '../../test/test-app';

/**
 * GET /api/products/suggest as the buyer types into the home search box, through the real app on real PostgreSQL:
 * public, at most 8, pinyin in full, as a prefix and by initials like the search, with what matched marked; only
 * what the public may see; bad input named with 400, never 500.
 */
describe('search suggestions (real app, real PostgreSQL)', () => {
  let t: TestApp;
  const made: Record<string, ConsoleProduct> = {};

  beforeAll(async () => {
    t = await createTestApp();
    const coop = await insertCooperative(t, { name: '金米村木耳专业合作社' });
    const admin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: coop.id }]);
    const create = async (nameZh: string, published = true, category = 'fungi') =>
      (
        await t.http
          .post(`/api/console/cooperatives/${coop.id}/products`)
          .set({ Authorization: `Bearer ${admin.token}` })
          .send({
            nameZh,
            category,
            unit: 'jin',
            priceFen: 5900,
            stock: 100,
            descriptionZh: '秦岭深处椴木栽培。',
            published,
          })
          .expect(201)
      ).body as ConsoleProduct;
    made.heimuer = await create('柞水黑木耳');
    made.hidden = await create('未上架的白木耳', false);
    made.lajiao = await create('阜南朝天椒', true, 'vegetables');
    for (let i = 1; i <= 10; i++) await create(`秦岭木耳 ${i} 号`);
  });
  afterAll(async () => {
    await t.close();
  });

  const suggest = async (q: string) =>
    ((await t.http.get('/api/products/suggest').query({ q }).expect(200)).body as ProductSuggestResponse).items;
  const bold = (name: string, ranges: [number, number][]) => ranges.map(([a, b]) => [...name].slice(a, b).join(''));

  it('finds by pinyin in full, a prefix, initials and Chinese, marks what matched, at most 8', async () => {
    for (const q of ['heimuer', 'heim', 'hme', '黑木', 'zuoshui']) {
      const items = await suggest(q);
      const hit = items.find((x) => x.id === made.heimuer.id);
      expect({ q, found: !!hit }).toEqual({ q, found: true });
    }
    const initials = (await suggest('hme')).find((x) => x.id === made.heimuer.id);
    expect(bold('柞水黑木耳', initials?.highlight ?? [])).toEqual(['黑木耳']);
    const prefix = (await suggest('heim')).find((x) => x.id === made.heimuer.id);
    expect(bold('柞水黑木耳', prefix?.highlight ?? [])).toEqual(['黑木']);

    const muer = await suggest('muer');
    expect(muer).toHaveLength(8);
    for (const x of muer) expect(bold(x.nameZh, x.highlight)).toEqual(['木耳']);
    expect(muer[0]).toMatchObject({ priceFen: 5900, coverThumbUrl: null });
    expect((await suggest('chaotianjiao')).map((x) => x.id)).toEqual([made.lajiao.id]);
  });

  it('suggests only what the public may see; nothing for a query that matches nothing', async () => {
    expect((await suggest('baimuer')).map((x) => x.id)).not.toContain(made.hidden.id);
    expect(await suggest('未上架')).toEqual([]);
    expect(await suggest('xyzzy')).toEqual([]);
    expect(await suggest('&|!')).toEqual([]);
  });

  it('names bad input with 400: no q, an empty or blank q, a NUL, a q too long', async () => {
    for (const query of [{}, { q: '' }, { q: '   ' }, { q: 'mu\u0000er' }, { q: '木'.repeat(101) }]) {
      const res = await t.http.get('/api/products/suggest').query(query);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(JSON.stringify(res.body)).toMatch(/q|CONTROL_CHARACTERS/);
    }
    const nul = await t.http.get('/api/products/suggest').query({ q: 'mu\u0000er' }).expect(400);
    expect(nul.body.code).toBe('CONTROL_CHARACTERS');
  });
});
