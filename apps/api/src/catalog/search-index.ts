import type { EntityManager } from 'typeorm';
import { PRODUCT_CATEGORY_LABELS_ZH, type ProductCategory } from '@xiangbo/contracts';
import { searchTokens } from '@xiangbo/domain';
import { pinyinOf } from './pinyin';

/**
 * Recomputes products.search_vector from the product's names, description, category label, origin and the
 * cooperative's name (CJK bigrams, see libs/domain/src/search.ts; to_tsvector('simple', tokens) per weight class).
 * Call it inside the transaction of every product write, after the write.
 */
export async function reindexProduct(m: EntityManager, productId: string): Promise<void> {
  const rows: {
    name_zh: string;
    name_en: string | null;
    description_zh: string;
    category: ProductCategory;
    origin_village: string;
    origin_county: string;
    cooperative_name: string;
  }[] = await m.query(
    `SELECT p.name_zh, p.name_en, p.description_zh, p.category, p.origin_village, p.origin_county,
            c.name AS cooperative_name
       FROM products p JOIN cooperatives c ON c.id = p.cooperative_id
      WHERE p.id = $1`,
    [productId],
  );
  const r = rows[0];
  if (!r) return;
  const tokens = (...parts: (string | null)[]) => searchTokens(parts.filter(Boolean).join('\n')).join(' ');
  // Names and places also by their pinyin (muer, heimuer, hme; zuoshui): buyers type pinyin on a phone.
  const withPinyin = (...parts: (string | null)[]) =>
    searchTokens(parts.filter(Boolean).join('\n'), pinyinOf).join(' ');
  // Weighted so that ts_rank puts a match in the name (A) before one in the category (B), the description (C)
  // or only the origin and cooperative name (D).
  await m.query(
    `UPDATE products SET search_vector =
        setweight(to_tsvector('simple', $2), 'A') || setweight(to_tsvector('simple', $3), 'B') ||
        setweight(to_tsvector('simple', $4), 'C') || setweight(to_tsvector('simple', $5), 'D')
      WHERE id = $1`,
    [
      productId,
      withPinyin(r.name_zh, r.name_en),
      withPinyin(PRODUCT_CATEGORY_LABELS_ZH[r.category] ?? ''),
      tokens(r.description_zh),
      withPinyin(r.origin_village, r.origin_county, r.cooperative_name),
    ],
  );
}

/** Reindexes every product of a cooperative (e.g. after the cooperative is renamed). */
export async function reindexCooperativeProducts(m: EntityManager, cooperativeId: string): Promise<void> {
  const ids: { id: string }[] = await m.query(`SELECT id FROM products WHERE cooperative_id = $1`, [cooperativeId]);
  for (const { id } of ids) await reindexProduct(m, id);
}
