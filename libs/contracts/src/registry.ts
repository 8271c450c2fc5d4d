/** Shared vocabulary of cooperatives, the household registry and the catalogue (labels live in the storefront's i18n). */

export const COOPERATIVE_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type CooperativeStatus = (typeof COOPERATIVE_STATUSES)[number];

export const REGISTRY_STATUSES = ['registered', 'monitored', 'lifted', 'none'] as const;
/** registered 建档立卡 · monitored 防返贫监测 · lifted 已脱贫 · none */
export type RegistryStatus = (typeof REGISTRY_STATUSES)[number];

export const POVERTY_CAUSES = [
  'illness',
  'disability',
  'schooling',
  'disaster',
  'lack_of_labour',
  'lack_of_skills',
  'other',
] as const;
/** 因病 · 因残 · 因学 · 因灾 · 缺劳力 · 缺技术 · 其他 */
export type PovertyCause = (typeof POVERTY_CAUSES)[number];

export const PRODUCT_CATEGORIES = [
  'fungi',
  'tea',
  'fruit',
  'grain_oil',
  'dried',
  'poultry_meat',
  'handicraft',
  'herbs',
  'vegetables',
  'other',
] as const;
/** 木耳菌菇 · 茶叶 · 水果 · 粮油 · 干货 · 禽蛋肉 · 手工艺 · 中药材 · 蔬菜 · 其他 */
export type ProductCategory = (typeof PRODUCT_CATEGORIES)[number];

export const PRODUCT_UNITS = ['jin', 'kg', 'box', 'case', 'bag'] as const;
/** 斤 · kg · 盒 · 箱 · 袋 */
export type ProductUnit = (typeof PRODUCT_UNITS)[number];

export const STAFF_ROLES = ['host', 'coop_admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const LABOUR_ROLES = ['grower', 'worker', 'manager', 'none'] as const;
export type LabourRole = (typeof LABOUR_ROLES)[number];

export interface Region {
  province: string;
  city: string;
  county: string;
  township: string;
  village: string;
}
