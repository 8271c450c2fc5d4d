/**
 * Money is an integer number of minor units (fen for CNY) with its currency.
 * No floats anywhere: amounts are safe integers, arithmetic refuses to mix currencies.
 */
export type Currency = 'CNY';
export const CURRENCIES: readonly Currency[] = ['CNY'] as const;

export interface Money {
  readonly amount: number;
  readonly currency: Currency;
}

export class MoneyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MoneyError';
  }
}

export function assertMinorUnits(amount: number, what = 'amount'): number {
  if (!Number.isSafeInteger(amount)) {
    throw new MoneyError(`${what} must be a whole number of minor units (fen), got ${amount}`);
  }
  return amount;
}

export function money(amount: number, currency: Currency = 'CNY'): Money {
  assertMinorUnits(amount);
  return { amount, currency };
}

export const zero = (currency: Currency = 'CNY'): Money => money(0, currency);

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new MoneyError(`cannot combine ${a.currency} with ${b.currency}`);
  }
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amount + b.amount, a.currency);
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amount - b.amount, a.currency);
}

export function multiply(a: Money, factor: number): Money {
  if (!Number.isSafeInteger(factor)) throw new MoneyError(`factor must be a whole number, got ${factor}`);
  return money(a.amount * factor, a.currency);
}

export function sum(items: readonly Money[], currency: Currency = 'CNY'): Money {
  return items.reduce((acc, m) => add(acc, m), zero(currency));
}

/**
 * Parses a yuan string a person typed ("59", "59.0", "59.00") into fen without going through a float.
 * Returns null when it is not a non-negative amount with at most two decimals.
 */
export function parseYuan(text: string): number | null {
  const m = /^\s*(\d{1,13})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(fen) ? fen : null;
}

/** "59.00" from 5900: exact, no float division. */
export function fenToYuanString(amount: number): string {
  assertMinorUnits(amount);
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const yuan = Math.floor(abs / 100);
  const fen = abs % 100;
  return `${sign}${yuan}.${fen.toString().padStart(2, '0')}`;
}

/** Chinese and English both group thousands with commas: no Intl needed (or paid for) for these. */
const COMMA_GROUPED = /^(zh|en)(-|$)/;

/**
 * Locale formatting for display ("¥59.00"); the digits come from fenToYuanString, never from a float. zh-CN and
 * en are grouped by hand: a phone's first Intl number format costs ~20 ms of main thread (its locale data), paid
 * while the page hydrates; other locales still go through toLocaleString.
 */
export function formatMoney(m: Money, locale = 'zh-CN'): string {
  const [whole, frac] = fenToYuanString(Math.abs(m.amount)).split('.');
  const grouped = COMMA_GROUPED.test(locale)
    ? whole.replace(/\B(?=(\d{3})+$)/g, ',')
    : Number(whole).toLocaleString(locale, { useGrouping: true });
  const symbol = m.currency === 'CNY' ? '¥' : `${m.currency} `;
  return `${m.amount < 0 ? '-' : ''}${symbol}${grouped}.${frac}`;
}
