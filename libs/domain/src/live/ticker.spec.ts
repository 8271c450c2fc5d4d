import { shortProvince, tickerText } from './ticker';

describe('purchase ticker', () => {
  it('names the province only', () => {
    expect(tickerText('陕西省', 2, '盒')).toBe('陕西的买家刚买了 2 盒');
    expect(shortProvince('广西壮族自治区')).toBe('广西');
    expect(shortProvince('新疆维吾尔自治区')).toBe('新疆');
    expect(shortProvince('内蒙古自治区')).toBe('内蒙古');
    expect(shortProvince('北京市')).toBe('北京');
    expect(shortProvince('香港特别行政区')).toBe('香港');
    expect(shortProvince('陕西')).toBe('陕西');
    expect(tickerText('', 1, '斤')).toBe('某地的买家刚买了 1 斤');
  });
});
