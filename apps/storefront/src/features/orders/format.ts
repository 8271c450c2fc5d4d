import { PRODUCT_UNITS, type ProductUnit } from '@xiangbo/contracts';
import { formatMoney, money } from '@xiangbo/domain';

/** "¥1,259.00" from fen in the reader's locale; the digits never go through a float. */
export function formatFen(fen: number, language: string): string {
  return formatMoney(money(fen), language.startsWith('en') ? 'en' : 'zh-CN');
}

const isEn = (language: string) => language.startsWith('en');

/** A moment in Beijing time: "2026/3/5 14:07" (zh) or "5 Mar 2026, 14:07" (en). */
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

/** "mm:ss" for a countdown; never negative. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

export function isProductUnit(u: string): u is ProductUnit {
  return (PRODUCT_UNITS as readonly string[]).includes(u);
}
