import { PRODUCT_UNITS, type ProductUnit } from '@xiangbo/contracts';

/** Whether a stored unit is one of the product units (斤 / 公斤 / 盒 / 箱 / 袋) the locales have words for. */
export function isProductUnit(u: string): u is ProductUnit {
  return (PRODUCT_UNITS as readonly string[]).includes(u);
}

/** "陕西省" → "陕西" for compact display on cards. */
export function shortProvince(name: string): string {
  return name.replace(/(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$/, '');
}
