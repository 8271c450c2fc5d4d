/** Moments, always shown in China time (orders, shows and messages are all dated in Beijing time). */

export { formatShowTime } from './show-time';

const SHANGHAI = 'Asia/Shanghai';
const isEn = (language: string) => language.startsWith('en');

/** A moment: "2026/3/5 14:07" (zh) or "5 Mar 2026, 14:07" (en). */
export function formatDateTime(iso: string, language: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(isEn(language) ? 'en-GB' : 'zh-CN', {
    year: 'numeric',
    month: isEn(language) ? 'short' : 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: SHANGHAI,
  }).format(d);
}

/** The time of day of a moment: "14:07". */
export function formatClock(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: SHANGHAI,
  }).format(new Date(iso));
}

const chinaDay = (d: Date) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: SHANGHAI, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);

/**
 * A message's time as chat apps show it: "14:07" today, "昨天 14:07" / "Yesterday 14:07", else the full date and
 * time.
 */
export function formatChatTime(iso: string, language: string, now = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const time = formatClock(iso);
  if (chinaDay(d) === chinaDay(now)) return time;
  if (chinaDay(d) === chinaDay(new Date(now.getTime() - 86_400_000)))
    return isEn(language) ? `Yesterday ${time}` : `昨天 ${time}`;
  return formatDateTime(iso, language);
}

/** "mm:ss" for a countdown; never negative. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}
