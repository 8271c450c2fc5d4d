import { chinaToday, formatDate, formatMonth, previousMonth } from './date';

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

describe('months and China days (moved here from the ledger and payouts, issue #19)', () => {
  it('writes a month in both languages and gives back what is not one', () => {
    expect(formatMonth('2026-03', 'zh-CN')).toBe('2026年3月');
    expect(formatMonth('2026-03', 'en')).toMatch(/^Mar 2026$/);
    expect(formatMonth('2026-13', 'zh-CN')).toBe('2026-13');
  });

  it('counts today and the previous month in China time (UTC+8)', () => {
    // 15:59 UTC on 31 Dec 2025 is still 31 Dec in Beijing; 16:00 UTC is already 1 Jan 2026.
    expect(chinaToday(Date.UTC(2025, 11, 31, 15, 59))).toBe('2025-12-31');
    expect(chinaToday(Date.UTC(2025, 11, 31, 16, 0))).toBe('2026-01-01');
    expect(previousMonth(Date.UTC(2025, 11, 31, 15, 59))).toBe('2025-11');
    expect(previousMonth(Date.UTC(2025, 11, 31, 16, 0))).toBe('2025-12');
    expect(previousMonth(Date.UTC(2026, 2, 5, 12))).toBe('2026-02');
  });
});
