import type { GroupBuyOffer } from './group-buys';
import type { PresaleOffer } from './presale';
import { z } from 'zod';
import {
  PRODUCT_CATEGORIES,
  PRODUCT_UNITS,
  type ProductCategory,
  type ProductUnit,
  type RegistryStatus,
} from './registry';

/** Request and response shapes of the produce catalogue: products, photos, lots (批次) and the public trace. */

export const MAX_PRODUCT_PHOTOS = 8;
/** ¥100,000.00: a sanity limit on one unit's price. */
export const MAX_PRICE_FEN = 10_000_000;
export const MAX_STOCK = 1_000_000_000;
export const PRODUCT_SORTS = ['newest', 'price_asc', 'price_desc', 'sales'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

/** Chinese labels of the categories, for the search index (the storefront has its own translated labels). */
export const PRODUCT_CATEGORY_LABELS_ZH: Record<ProductCategory, string> = {
  fungi: '木耳菌菇',
  tea: '茶叶',
  fruit: '水果',
  grain_oil: '粮油',
  dried: '干货',
  poultry_meat: '禽蛋肉',
  handicraft: '手工艺',
  herbs: '中药材',
  vegetables: '蔬菜',
  other: '其他',
};

export const PRODUCT_UNIT_LABELS_ZH: Record<ProductUnit, string> = {
  jin: '斤',
  kg: '公斤',
  box: '盒',
  case: '箱',
  bag: '袋',
};

/** Mainland provinces, municipalities, autonomous regions and SARs: full name and the short name people type. */
export const PROVINCES = [
  ['北京市', '北京'],
  ['天津市', '天津'],
  ['河北省', '河北'],
  ['山西省', '山西'],
  ['内蒙古自治区', '内蒙古'],
  ['辽宁省', '辽宁'],
  ['吉林省', '吉林'],
  ['黑龙江省', '黑龙江'],
  ['上海市', '上海'],
  ['江苏省', '江苏'],
  ['浙江省', '浙江'],
  ['安徽省', '安徽'],
  ['福建省', '福建'],
  ['江西省', '江西'],
  ['山东省', '山东'],
  ['河南省', '河南'],
  ['湖北省', '湖北'],
  ['湖南省', '湖南'],
  ['广东省', '广东'],
  ['广西壮族自治区', '广西'],
  ['海南省', '海南'],
  ['重庆市', '重庆'],
  ['四川省', '四川'],
  ['贵州省', '贵州'],
  ['云南省', '云南'],
  ['西藏自治区', '西藏'],
  ['陕西省', '陕西'],
  ['甘肃省', '甘肃'],
  ['青海省', '青海'],
  ['宁夏回族自治区', '宁夏'],
  ['新疆维吾尔自治区', '新疆'],
  ['台湾省', '台湾'],
  ['香港特别行政区', '香港'],
  ['澳门特别行政区', '澳门'],
] as const;

/** "陕西" or "陕西省" → "陕西省"; an unknown name is returned trimmed, unchanged. */
export function fullProvinceName(name: string): string {
  const n = name.trim();
  const hit = PROVINCES.find(([full, short]) => n === full || n === short);
  return hit ? hit[0] : n;
}

/** Every spelling a province may be stored under ("陕西" → ["陕西省", "陕西"]). */
export function provinceSpellings(name: string): string[] {
  const n = name.trim();
  const hit = PROVINCES.find(([full, short]) => n === full || n === short);
  return hit ? [hit[0], hit[1]] : [n];
}

/** Query strings arrive as "" for an empty box: treat that as "not given". */
const optionalParam = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' || v === null ? undefined : v), schema.optional());

const categoryParam = z.preprocess((v) => {
  if (typeof v !== 'string') return v;
  const byLabel = (Object.entries(PRODUCT_CATEGORY_LABELS_ZH) as [ProductCategory, string][]).find(([, l]) => l === v);
  return byLabel ? byLabel[0] : v;
}, z.enum(PRODUCT_CATEGORIES));

export const productListQuerySchema = z.object({
  q: optionalParam(z.string().trim().max(100)),
  category: optionalParam(categoryParam),
  /** Province, "陕西" or "陕西省". */
  region: optionalParam(z.string().trim().max(20)),
  cooperativeId: optionalParam(z.uuid({ message: 'must be a UUID' })),
  /** Only products sold in this format: group for 拼团, presale for 预售. */
  kind: optionalParam(z.enum(['group', 'presale'])),
  /** Default: relevance when q is given, otherwise newest. */
  sort: optionalParam(z.enum(PRODUCT_SORTS)),
  page: optionalParam(z.coerce.number().int().min(1).max(10_000)).transform((v) => v ?? 1),
  pageSize: optionalParam(z.coerce.number().int().min(1).max(50)).transform((v) => v ?? 20),
});
export type ProductListQuery = z.infer<typeof productListQuerySchema>;

/** As-you-type suggestions in the search box: the best few matches of what has been typed so far. */
export const productSuggestQuerySchema = z.object({
  q: z.string().trim().min(1, { message: 'is required' }).max(100),
});
export type ProductSuggestQuery = z.infer<typeof productSuggestQuerySchema>;

export interface ProductSuggestion {
  id: string;
  nameZh: string;
  nameEn: string | null;
  priceFen: number;
  coverThumbUrl: string | null;
  /** [start, end) in characters (code points) of nameZh that matched what was typed, for the box to show in bold. */
  highlight: [number, number][];
}

export interface ProductSuggestResponse {
  items: ProductSuggestion[];
}

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { message: `must be at most ${max} characters` });
const requiredText = (max: number) => text(max).min(1, { message: 'is required' });

const productFields = {
  nameZh: requiredText(80),
  nameEn: text(120).nullable(),
  descriptionZh: text(5000),
  descriptionEn: text(5000).nullable(),
  category: z.enum(PRODUCT_CATEGORIES),
  unit: z.enum(PRODUCT_UNITS),
  priceFen: z
    .number()
    .int({ message: 'must be a whole number of fen' })
    .min(1, { message: 'must be more than 0' })
    .max(MAX_PRICE_FEN, { message: `must be at most ${MAX_PRICE_FEN} fen` }),
  stock: z.number().int({ message: 'must be a whole number' }).min(0).max(MAX_STOCK),
  originProvince: requiredText(20),
  originCounty: requiredText(30),
  originVillage: requiredText(30),
  shelfLifeDays: z.number().int().min(1).max(3650).nullable(),
  storage: text(100),
  /** Provinces shipped to; empty = all of mainland China. */
  shippingRegions: z.array(requiredText(20)).max(40),
  published: z.boolean(),
};

/** Creating a product. Origin defaults to the cooperative's own region when left out. */
export const createProductSchema = z.object({
  nameZh: productFields.nameZh,
  nameEn: productFields.nameEn.optional().default(null),
  descriptionZh: productFields.descriptionZh.optional().default(''),
  descriptionEn: productFields.descriptionEn.optional().default(null),
  category: productFields.category,
  unit: productFields.unit,
  priceFen: productFields.priceFen,
  stock: productFields.stock.optional().default(0),
  originProvince: productFields.originProvince.optional(),
  originCounty: productFields.originCounty.optional(),
  originVillage: productFields.originVillage.optional(),
  shelfLifeDays: productFields.shelfLifeDays.optional().default(null),
  storage: productFields.storage.optional().default(''),
  shippingRegions: productFields.shippingRegions.optional().default([]),
  /** A new product is on sale once saved (上架); a draft (存为草稿) says false. */
  published: productFields.published.optional().default(true),
  /**
   * Photos uploaded before the first save (POST /api/console/cooperatives/:coopId/pending-photos), in order;
   * they become the product's photos in the same transaction that creates it.
   */
  photoIds: z
    .array(z.uuid({ message: 'must be a photo id' }))
    .max(MAX_PRODUCT_PHOTOS, { message: `at most ${MAX_PRODUCT_PHOTOS} photos` })
    .refine((ids) => new Set(ids).size === ids.length, { message: 'a photo may be listed only once' })
    .optional()
    .default([]),
});
export type CreateProductRequest = z.input<typeof createProductSchema>;
export type CreateProductInput = z.output<typeof createProductSchema>;

/** Changing a product: any subset of the fields; id, cooperativeId and soldCount are not accepted (stripped). */
export const updateProductSchema = z.object({
  nameZh: productFields.nameZh.optional(),
  nameEn: productFields.nameEn.optional(),
  descriptionZh: productFields.descriptionZh.optional(),
  descriptionEn: productFields.descriptionEn.optional(),
  category: productFields.category.optional(),
  unit: productFields.unit.optional(),
  priceFen: productFields.priceFen.optional(),
  stock: productFields.stock.optional(),
  originProvince: productFields.originProvince.optional(),
  originCounty: productFields.originCounty.optional(),
  originVillage: productFields.originVillage.optional(),
  shelfLifeDays: productFields.shelfLifeDays.optional(),
  storage: productFields.storage.optional(),
  shippingRegions: productFields.shippingRegions.optional(),
  published: productFields.published.optional(),
});
export type UpdateProductRequest = z.input<typeof updateProductSchema>;
export type UpdateProductInput = z.output<typeof updateProductSchema>;

export const reorderPhotosSchema = z.object({
  photoIds: z
    .array(z.uuid({ message: 'must be a UUID' }))
    .min(1)
    .max(MAX_PRODUCT_PHOTOS),
});
export type ReorderPhotosRequest = z.infer<typeof reorderPhotosSchema>;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' })
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v && d.getUTCFullYear() >= 2000;
  }, 'must be a real date')
  .refine((v) => new Date(`${v}T00:00:00Z`).getTime() <= Date.now() + 86_400_000, 'must not be in the future');

export const lotSupplySchema = z.object({
  householdId: z.uuid({ message: 'must be a UUID' }),
  quantity: z
    .number()
    .int({ message: 'must be a whole number' })
    .min(1, { message: 'must be at least 1' })
    .max(MAX_STOCK),
});

export const createLotSchema = z.object({
  code: requiredText(40).regex(/^[\p{L}\p{N}._\-/]+$/u, { message: 'letters, digits and . _ - / only' }),
  harvestDate: isoDate,
  quantity: z
    .number()
    .int({ message: 'must be a whole number' })
    .min(1, { message: 'must be at least 1' })
    .max(MAX_STOCK),
  note: text(300).optional().default(''),
  supplies: z.array(lotSupplySchema).min(1, { message: 'at least one household must supply the lot' }).max(500),
});
export type CreateLotRequest = z.input<typeof createLotSchema>;
export type CreateLotInput = z.output<typeof createLotSchema>;

export type LotSupplyProblem =
  { kind: 'duplicate'; householdId: string; index: number } | { kind: 'mismatch'; total: number; quantity: number };

/** The sum of what the households supplied. */
export function lotSupplyTotal(supplies: readonly { quantity: number }[]): number {
  return supplies.reduce((acc, s) => acc + (Number.isFinite(s.quantity) ? s.quantity : 0), 0);
}

/**
 * What is wrong with a lot's supplies, or null: each household at most once, and the quantities adding up
 * exactly to the lot. Used by the API (which refuses) and by the console form (which shows it live).
 */
export function lotSupplyProblem(
  quantity: number,
  supplies: readonly { householdId: string; quantity: number }[],
): LotSupplyProblem | null {
  const seen = new Set<string>();
  for (const [index, s] of supplies.entries()) {
    if (seen.has(s.householdId)) return { kind: 'duplicate', householdId: s.householdId, index };
    seen.add(s.householdId);
  }
  const total = lotSupplyTotal(supplies);
  return total === quantity ? null : { kind: 'mismatch', total, quantity };
}

// ---------- responses ----------

export interface CooperativeRef {
  id: string;
  name: string;
}

/** One card of the catalogue. */
export interface ProductSummary {
  id: string;
  nameZh: string;
  nameEn: string | null;
  category: ProductCategory;
  unit: ProductUnit;
  priceFen: number;
  currency: 'CNY';
  stock: number;
  soldCount: number;
  originProvince: string;
  originCounty: string;
  originVillage: string;
  cooperative: CooperativeRef;
  coverThumbUrl: string | null;
}

export interface ProductListResponse {
  items: ProductSummary[];
  total: number;
  page: number;
  pageSize: number;
}

export interface ProductFacets {
  provinces: { province: string; count: number }[];
  categories: { category: ProductCategory; count: number }[];
}

export interface ProductPhotoView {
  url: string;
  thumbUrl: string;
  width: number;
  height: number;
}

export interface ConsoleProductPhoto extends ProductPhotoView {
  id: string;
  position: number;
}

/** A photo uploaded by a cooperative for a product not saved yet; unattached ones are removed after a day. */
export interface PendingPhoto {
  id: string;
  url: string;
  thumbUrl: string;
  width: number;
  height: number;
  /** When it is removed unless a product takes it. */
  expiresAt: string;
}

/** A supplying household as the public sees it: masked name, registry status, how much it supplied. */
export interface MaskedSupplier {
  name: string;
  status: RegistryStatus;
  quantity: number;
}

export interface ProductTrace {
  origin: { province: string; county: string; village: string };
  lots: { code: string; harvestDate: string; quantity: number }[];
  households: {
    total: number;
    /** Of them, registered (建档立卡) or monitored (防返贫监测). */
    registeredOrMonitored: number;
    masked: MaskedSupplier[];
  };
}

export interface ProductFields {
  nameZh: string;
  nameEn: string | null;
  descriptionZh: string;
  descriptionEn: string | null;
  category: ProductCategory;
  unit: ProductUnit;
  priceFen: number;
  currency: 'CNY';
  stock: number;
  soldCount: number;
  originProvince: string;
  originCounty: string;
  originVillage: string;
  shelfLifeDays: number | null;
  storage: string;
  shippingRegions: string[];
}

export interface ProductDetail extends ProductFields {
  id: string;
  photos: ProductPhotoView[];
  cooperative: CooperativeRef & { province: string; county: string; village: string };
  trace: ProductTrace;
  createdAt: string;
  updatedAt: string;
  /** The group offer (拼团) when the product has an active one. */
  groupBuy: GroupBuyOffer | null;
  /** The pre-sale (预售) when the product has one open or harvested (not cancelled). */
  presale: PresaleOffer | null;
}

/** A product in the cooperative console (published or not). */
export interface ConsoleProduct extends ProductFields {
  id: string;
  cooperativeId: string;
  published: boolean;
  photos: ConsoleProductPhoto[];
  coverThumbUrl: string | null;
  lotCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface ConsoleLotSupply {
  householdId: string;
  maskedName: string;
  status: RegistryStatus;
  quantity: number;
}

export interface ConsoleLot {
  id: string;
  code: string;
  harvestDate: string;
  quantity: number;
  note: string;
  createdAt: string;
  supplies: ConsoleLotSupply[];
}

/** A member household a cooperative admin can pick as a lot supplier. */
export interface MemberHousehold {
  id: string;
  maskedName: string;
  status: RegistryStatus;
  village: string;
}
