import { formatMoney, money } from '@xiangbo/domain';

const isEn = (language: string) => language.startsWith('en');

/**
 * "¥1,259.00" from fen in the reader's locale; the digits never go through a float. Grouped by hand in
 * `formatMoney` (no Intl): a phone's first Intl number format costs ~20 ms while the page hydrates (issue #14).
 */
export function formatFen(fen: number, language: string): string {
  return formatMoney(money(fen), isEn(language) ? 'en' : 'zh-CN');
}

/** Yuan typed by a person ("29.9") → fen (2990); null when it is not a positive amount with at most 2 decimals. */
export function yuanToFen(input: string): number | null {
  const m = /^\s*(\d{1,6})(?:\.(\d{1,2}))?\s*$/.exec(input);
  if (!m) return null;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return fen > 0 ? fen : null;
}

/** A ratio as a percentage in the reader's locale: 0.125 → "12.5%". */
export function formatPercent(ratio: number, language: string): string {
  return new Intl.NumberFormat(isEn(language) ? 'en' : 'zh-CN', { style: 'percent', maximumFractionDigits: 1 }).format(
    ratio,
  );
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
