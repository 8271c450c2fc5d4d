import { formatCountdown, formatDateTime } from './time';

describe('time', () => {
  it('shows times in Beijing time', () => {
    expect(formatDateTime('2026-03-05T06:07:00.000Z', 'zh-CN')).toBe('2026/3/5 14:07');
  });
  it('counts down as mm:ss', () => {
    expect(formatCountdown(15 * 60 * 1000)).toBe('15:00');
    expect(formatCountdown(61_500)).toBe('01:02');
    expect(formatCountdown(-5)).toBe('00:00');
  });
});
