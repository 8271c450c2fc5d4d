import { formatMoney, money } from '@xiangbo/domain';

const isEn = (language: string) => language.startsWith('en');

/** "¥1,259.00" from fen in the reader's locale; the digits never go through a float. */
export function formatFen(fen: number, language: string): string {
  return formatMoney(money(fen), isEn(language) ? 'en' : 'zh-CN');
}

/** Today's date in China (UTC+8), YYYY-MM-DD: the default payment date. */
export function chinaToday(now: number = Date.now()): string {
  return new Date(now + 8 * 3600_000).toISOString().slice(0, 10);
}

/** "2026年3月5日" / "5 Mar 2026" from YYYY-MM-DD. */
export function formatDate(date: string, language: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return date;
  return new Intl.DateTimeFormat(isEn(language) ? 'en-GB' : 'zh-CN', {
    year: 'numeric',
    month: isEn(language) ? 'short' : 'long',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(d);
}

/** A moment in Beijing time. */
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
    timeZone: 'Asia/Shanghai',
  }).format(d);
}

/** "2026年3月" / "Mar 2026" from YYYY-MM. */
export function formatMonth(month: string, language: string): string {
  const d = new Date(`${month}-01T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return month;
  return new Intl.DateTimeFormat(isEn(language) ? 'en-GB' : 'zh-CN', {
    year: 'numeric',
    month: isEn(language) ? 'short' : 'long',
    timeZone: 'UTC',
  }).format(d);
}
