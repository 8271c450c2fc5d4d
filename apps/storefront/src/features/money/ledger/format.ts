import { formatMoney, money } from '@xiangbo/domain';

const isEn = (language: string) => language.startsWith('en');

/** "¥1,259.00" from fen in the reader's locale; the digits never go through a float. */
export function yuan(fen: number, language: string): string {
  return formatMoney(money(fen), isEn(language) ? 'en' : 'zh-CN');
}

/** Basis points as a percentage string without float noise: 650 → "6.5", 6500 → "65", 5 → "0.05". */
export function bpToPercent(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const frac = String(Math.abs(bp % 100))
    .padStart(2, '0')
    .replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

/** "65", "6.5", "6.55" → basis points (whole number); null when it is not a percentage with at most 2 decimals. */
export function percentToBp(text: string): number | null {
  const m = /^\s*(\d{1,5})(?:\.(\d{1,2}))?\s*%?\s*$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
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

/** The previous calendar month in China, YYYY-MM (the usual dividend period). */
export function previousMonth(now: number = Date.now()): string {
  const d = new Date(now + 8 * 3600_000);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth(); // 0-based: the previous month's 1-based number
  return m === 0 ? `${y - 1}-12` : `${y}-${String(m).padStart(2, '0')}`;
}
