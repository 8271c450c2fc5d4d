import { chinaDateTime, chinaDay } from './china-time';

describe('China time', () => {
  it('is UTC+8: late evening UTC is the next morning in China', () => {
    const at = new Date('2026-12-07T17:30:00Z');
    expect(chinaDay(at)).toBe('2026-12-08');
    expect(chinaDateTime(at)).toBe('2026-12-08 01:30');
  });

  it('agrees with Intl for Asia/Shanghai on any instant', () => {
    const intl = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    for (const ms of [0, 1_796_000_000_000, 1_800_000_000_000 + 123_456, Date.UTC(2027, 5, 30, 16, 0)]) {
      const at = new Date(ms);
      expect(chinaDateTime(at)).toBe(intl.format(at));
      expect(chinaDay(at)).toBe(intl.format(at).slice(0, 10));
    }
  });
});
