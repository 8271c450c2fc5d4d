import { formatDate } from './date';

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

describe('formatDate styles and instants', () => {
  it('writes the numeric Chinese day as Intl does, and takes an instant as its day in China', () => {
    const numeric = new Intl.DateTimeFormat('zh-CN', {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      timeZone: 'UTC',
    });
    for (const iso of ['2025-03-01', '2026-12-31', '2024-02-29']) {
      const [y, m, d] = iso.split('-').map(Number);
      expect(formatDate(iso, 'zh-CN', 'numeric')).toBe(numeric.format(new Date(Date.UTC(y, m - 1, d))));
    }
    // 16:30 UTC on 6 Dec is already 7 Dec in Beijing.
    expect(formatDate('2026-12-06T16:30:00.000Z', 'zh-CN')).toBe('2026年12月7日');
    expect(formatDate('2026-12-06T15:30:00.000Z', 'zh-CN')).toBe('2026年12月6日');
    expect(formatDate('2025-03-01', 'en', 'long')).toBe('1 March 2025');
    expect(formatDate('2025-03-01', 'en', 'numeric')).toBe('01/03/2025');
    expect(formatDate(null, 'zh-CN')).toBe('');
  });
});
