import { formatFen } from './money';

describe('money formatting (integer fen, never floats)', () => {
  it('formats fen as yuan with two decimals and grouping', () => {
    expect(formatFen(5900, 'zh-CN')).toBe('¥59.00');
    expect(formatFen(1, 'zh-CN')).toBe('¥0.01');
    expect(formatFen(123456789, 'zh-CN')).toBe('¥1,234,567.89');
    expect(formatFen(123456789, 'en')).toBe('¥1,234,567.89');
    expect(formatFen(0, 'zh-CN')).toBe('¥0.00');
  });
});

describe('money written by hand (no Intl on first load)', () => {
  it('writes yuan as Intl does', () => {
    const intl = new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY' });
    for (const fen of [0, 1, 99, 5900, 123456, 123456789]) expect(formatFen(fen, 'zh-CN')).toBe(intl.format(fen / 100));
  });
});
