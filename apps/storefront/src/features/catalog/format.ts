import { formatMoney, money } from '@xiangbo/domain';

/** "¥59.00" from fen, in the reader's locale; the digits never go through a float. */
export function formatPrice(priceFen: number, language: string): string {
  return formatMoney(money(priceFen), language.startsWith('en') ? 'en' : 'zh-CN');
}

/**
 * "2025-09-12" → "2025年9月12日" (zh) or "12 Sep 2025" (en), without time-zone drift. Chinese is written by hand
 * (what Intl writes): the page's first Intl call costs a phone ~25 ms (its locale data) while the product page
 * hydrates.
 */
export function formatDate(isoDate: string, language: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  if (!y || !m || !d) return isoDate;
  if (!language.startsWith('en')) return `${y}年${m}月${d}日`;
  return new Intl.DateTimeFormat('en-GB', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** "陕西省" → "陕西" for compact display on cards. */
export function shortProvince(name: string): string {
  return name.replace(/(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$/, '');
}
