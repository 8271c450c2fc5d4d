import { bpToPercent, formatFen, percentToBp } from './money';

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

describe('basis points (moved here from the ledger, issue #19)', () => {
  it('writes basis points as a percentage without float noise, and reads one back', () => {
    expect(bpToPercent(650)).toBe('6.5');
    expect(bpToPercent(6500)).toBe('65');
    expect(bpToPercent(5)).toBe('0.05');
    expect(bpToPercent(0)).toBe('0');
    expect(percentToBp('6.55')).toBe(655);
    expect(percentToBp(' 7 %')).toBe(700);
    expect(percentToBp('6.555')).toBeNull();
    expect(percentToBp('')).toBeNull();
  });
});
