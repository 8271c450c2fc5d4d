import { fenToYuanString, parseYuan } from '@xiangbo/domain';
import {
  MAX_PRICE_FEN,
  MAX_STOCK,
  type ConsoleProduct,
  type CreateProductRequest,
  type ProductCategory,
  type ProductUnit,
} from '@xiangbo/contracts';

/** What the product form holds: strings as typed (price in yuan), converted once on submit. */
export interface ProductFormValues {
  nameZh: string;
  nameEn: string;
  category: ProductCategory;
  unit: ProductUnit;
  price: string;
  stock: string;
  originProvince: string;
  originCounty: string;
  originVillage: string;
  shelfLifeDays: string;
  storage: string;
  shippingRegions: string;
  descriptionZh: string;
  published: boolean;
}

export type ProductFormField = keyof ProductFormValues;
export type ProductFormProblem = 'required' | 'price' | 'stock' | 'shelfLife';

export const emptyProductForm: ProductFormValues = {
  nameZh: '',
  nameEn: '',
  category: 'fungi',
  unit: 'jin',
  price: '',
  stock: '0',
  originProvince: '',
  originCounty: '',
  originVillage: '',
  shelfLifeDays: '',
  storage: '',
  shippingRegions: '',
  descriptionZh: '',
  /** A new product goes on sale when saved; 存为草稿 keeps it back. */
  published: true,
};

export function formFromProduct(p: ConsoleProduct): ProductFormValues {
  return {
    nameZh: p.nameZh,
    nameEn: p.nameEn ?? '',
    category: p.category,
    unit: p.unit,
    price: fenToYuanString(p.priceFen),
    stock: String(p.stock),
    originProvince: p.originProvince,
    originCounty: p.originCounty,
    originVillage: p.originVillage,
    shelfLifeDays: p.shelfLifeDays === null ? '' : String(p.shelfLifeDays),
    storage: p.storage,
    shippingRegions: p.shippingRegions.join('、'),
    descriptionZh: p.descriptionZh,
    published: p.published,
  };
}

const wholeNumber = (s: string): number | null => (/^\s*\d{1,10}\s*$/.test(s) ? Number(s) : null);

/**
 * Checks the form and builds the request body: price typed in yuan → integer fen with parseYuan (no float),
 * blank optional fields left out (so the server uses the cooperative's location for a blank origin).
 */
export function productRequestFrom(
  v: ProductFormValues,
  mode: 'create' | 'edit',
):
  | { ok: true; body: CreateProductRequest }
  | { ok: false; problems: Partial<Record<ProductFormField, ProductFormProblem>> } {
  const problems: Partial<Record<ProductFormField, ProductFormProblem>> = {};
  if (!v.nameZh.trim()) problems.nameZh = 'required';
  const priceFen = parseYuan(v.price);
  if (priceFen === null || priceFen <= 0 || priceFen > MAX_PRICE_FEN) problems.price = 'price';
  const stock = wholeNumber(v.stock);
  if (stock === null || stock > MAX_STOCK) problems.stock = 'stock';
  const shelf = v.shelfLifeDays.trim() === '' ? null : wholeNumber(v.shelfLifeDays);
  if (v.shelfLifeDays.trim() !== '' && (shelf === null || shelf < 1 || shelf > 3650))
    problems.shelfLifeDays = 'shelfLife';
  if (mode === 'edit') {
    for (const f of ['originProvince', 'originCounty', 'originVillage'] as const)
      if (!v[f].trim()) problems[f] = 'required';
  }
  if (Object.keys(problems).length) return { ok: false, problems };
  const optional = (s: string) => (s.trim() === '' ? undefined : s.trim());
  return {
    ok: true,
    body: {
      nameZh: v.nameZh.trim(),
      nameEn: v.nameEn.trim() || null,
      category: v.category,
      unit: v.unit,
      priceFen: priceFen as number,
      stock: stock as number,
      originProvince: optional(v.originProvince),
      originCounty: optional(v.originCounty),
      originVillage: optional(v.originVillage),
      shelfLifeDays: shelf,
      storage: v.storage.trim(),
      shippingRegions: v.shippingRegions
        .split(/[,，、;；\s]+/)
        .map((s) => s.trim())
        .filter(Boolean),
      descriptionZh: v.descriptionZh.trim(),
      published: v.published,
    },
  };
}
