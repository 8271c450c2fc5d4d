import {
  createLotSchema,
  createProductSchema,
  fullProvinceName,
  lotSupplyProblem,
  productListQuerySchema,
  provinceSpellings,
  updateProductSchema,
} from './catalog';

describe('catalogue contracts', () => {
  it('treats empty query parameters as not given and applies the defaults', () => {
    expect(productListQuerySchema.parse({ q: '', category: '', region: '', page: '' })).toEqual({
      page: 1,
      pageSize: 20,
    });
  });

  it('accepts a category by its Chinese label and caps the page size at 50', () => {
    expect(productListQuerySchema.parse({ category: '木耳菌菇', pageSize: '50' })).toMatchObject({
      category: 'fungi',
      pageSize: 50,
    });
    expect(productListQuerySchema.safeParse({ pageSize: '51' }).success).toBe(false);
  });

  it('strips fields a product body does not accept (cooperativeId, soldCount, id)', () => {
    expect(updateProductSchema.parse({ priceFen: 100, cooperativeId: 'x', soldCount: 3, id: 'y' })).toEqual({
      priceFen: 100,
    });
  });

  it('refuses prices that are not whole fen in (0, 10,000,000]', () => {
    const base = { nameZh: '木耳', category: 'fungi', unit: 'jin' } as const;
    expect(createProductSchema.safeParse({ ...base, priceFen: 0 }).success).toBe(false);
    expect(createProductSchema.safeParse({ ...base, priceFen: 12.5 }).success).toBe(false);
    expect(createProductSchema.safeParse({ ...base, priceFen: 10_000_001 }).success).toBe(false);
    expect(createProductSchema.parse({ ...base, priceFen: 10_000_000 })).toMatchObject({
      stock: 0,
      published: true, // on sale once saved unless kept as a draft
      photoIds: [],
    });
  });

  it('refuses impossible harvest dates', () => {
    const lot = {
      code: 'A-1',
      quantity: 1,
      supplies: [{ householdId: '9b2f1c3e-3f4e-4a53-9f0a-0c1d2e3f4a5b', quantity: 1 }],
    };
    expect(createLotSchema.safeParse({ ...lot, harvestDate: '2025-02-30' }).success).toBe(false);
    expect(createLotSchema.safeParse({ ...lot, harvestDate: '2999-01-01' }).success).toBe(false);
    expect(createLotSchema.safeParse({ ...lot, harvestDate: '2025-09-01' }).success).toBe(true);
  });

  it('checks that lot supplies add up and name each household once', () => {
    expect(
      lotSupplyProblem(10, [
        { householdId: 'a', quantity: 4 },
        { householdId: 'b', quantity: 6 },
      ]),
    ).toBeNull();
    expect(lotSupplyProblem(10, [{ householdId: 'a', quantity: 4 }])).toEqual({
      kind: 'mismatch',
      total: 4,
      quantity: 10,
    });
    expect(
      lotSupplyProblem(8, [
        { householdId: 'a', quantity: 4 },
        { householdId: 'a', quantity: 4 },
      ]),
    ).toMatchObject({
      kind: 'duplicate',
      index: 1,
    });
  });

  it('knows both spellings of a province', () => {
    expect(fullProvinceName('陕西')).toBe('陕西省');
    expect(provinceSpellings('陕西省')).toEqual(['陕西省', '陕西']);
    expect(provinceSpellings('火星')).toEqual(['火星']);
  });
});
