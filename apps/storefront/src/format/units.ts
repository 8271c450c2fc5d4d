import { PRODUCT_UNITS, type ProductUnit } from '@xiangbo/contracts';

/** Whether a stored unit is one of the product units (斤 / 公斤 / 盒 / 箱 / 袋) the locales have words for. */
export function isProductUnit(u: string): u is ProductUnit {
  return (PRODUCT_UNITS as readonly string[]).includes(u);
}
