import { validateAddress, type AddressValues } from './address-form';

const good: AddressValues = {
  recipient: ' 李梅 ',
  mobile: '13800138000',
  province: '贵州省',
  city: '黔东南苗族侗族自治州',
  district: '雷山县',
  detail: '西江镇羊排村 12 号',
};

describe('checkout address validation (the API’s addressSchema)', () => {
  it('accepts a complete Chinese address and trims it', () => {
    const r = validateAddress(good);
    expect(r).toEqual({ ok: true, address: { ...good, recipient: '李梅' } });
  });

  it('names every empty field as required', () => {
    const r = validateAddress({ recipient: '', mobile: '', province: ' ', city: '', district: '', detail: '' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.recipient?.key).toBe('required');
    expect(r.problems.province?.key).toBe('required');
    expect(r.problems.city?.key).toBe('required');
    expect(r.problems.district?.key).toBe('required');
    expect(r.problems.detail?.key).toBe('required');
    expect(r.problems.mobile?.key).toBe('mobile');
  });

  it('refuses a mobile number that is not an 11-digit mainland number', () => {
    for (const mobile of ['1380013800', '23800138000', '1380013800a', '+8613800138000']) {
      const r = validateAddress({ ...good, mobile });
      expect(r.ok ? null : r.problems.mobile?.key).toBe('mobile');
    }
  });

  it('refuses an over-long street address with its limit', () => {
    const r = validateAddress({ ...good, detail: '村'.repeat(201) });
    expect(r.ok ? null : r.problems.detail).toEqual({ key: 'tooLong', values: { max: 200 } });
  });
});
