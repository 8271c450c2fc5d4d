import { emptyProductForm, productRequestFrom } from './product-form-values';

describe('productRequestFrom', () => {
  it('converts the price typed in yuan to integer fen without floats', () => {
    const r = productRequestFrom({ ...emptyProductForm, nameZh: '木耳', price: '59.9', stock: '12' }, 'create');
    expect(r).toMatchObject({ ok: true, body: { priceFen: 5990, stock: 12 } });
    const r2 = productRequestFrom({ ...emptyProductForm, nameZh: '木耳', price: '0.29', stock: '0' }, 'create');
    expect(r2).toMatchObject({ ok: true, body: { priceFen: 29 } });
  });

  it('names each problem: missing name, bad or zero price, negative stock, odd shelf life', () => {
    const r = productRequestFrom({ ...emptyProductForm, price: '0', stock: '-1', shelfLifeDays: 'abc' }, 'create');
    expect(r).toEqual({
      ok: false,
      problems: { nameZh: 'required', price: 'price', stock: 'stock', shelfLifeDays: 'shelfLife' },
    });
    expect(productRequestFrom({ ...emptyProductForm, nameZh: 'x', price: '59.999' }, 'create').ok).toBe(false);
    expect(productRequestFrom({ ...emptyProductForm, nameZh: 'x', price: '100000.01' }, 'create').ok).toBe(false);
  });

  it('leaves a blank origin out on create (the cooperative’s location is used) and splits shipping regions', () => {
    const r = productRequestFrom(
      { ...emptyProductForm, nameZh: 'x', price: '1', shippingRegions: '陕西、四川, 甘肃' },
      'create',
    );
    expect(r.ok && r.body.originProvince).toBeUndefined();
    expect(r.ok && r.body.shippingRegions).toEqual(['陕西', '四川', '甘肃']);
    expect(productRequestFrom({ ...emptyProductForm, nameZh: 'x', price: '1' }, 'edit').ok).toBe(false);
  });
});
