import { formatDate } from './format';

describe('formatDate', () => {
  it('writes Chinese dates as Intl does, and English ones through Intl', () => {
    const intl = new Intl.DateTimeFormat('zh-CN', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
    for (const iso of ['2025-09-12', '2026-01-01', '2024-12-31', '2025-02-28']) {
      const [y, m, d] = iso.split('-').map(Number);
      expect(formatDate(iso, 'zh-CN')).toBe(intl.format(new Date(Date.UTC(y, m - 1, d))));
    }
    expect(formatDate('2025-09-12', 'zh-CN')).toBe('2025年9月12日');
    // English through Intl ("12 Sep 2025"; newer ICU writes "Sept").
    expect(formatDate('2025-09-12', 'en')).toMatch(/^12 Sept? 2025$/);
    expect(formatDate('not a date', 'zh-CN')).toBe('not a date');
  });
});
