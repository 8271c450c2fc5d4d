import { Injectable } from '@nestjs/common';
import {
  PRESALE_UNPAID_BALANCE_RULE,
  provinceSpellings,
  type MaskedSupplier,
  type PresaleOffer,
  type ProductCategory,
  type ProductDetail,
  type ProductFacets,
  type ProductListQuery,
  type ProductListResponse,
  type ProductSuggestResponse,
  type ProductSummary,
  type ProductUnit,
  type RegistryStatus,
} from '@xiangbo/contracts';
import { buildTsQuery, maskName } from '@xiangbo/domain';
import { StorageService } from '../storage/storage.service';
import { CatalogErrorCode, CatalogException } from './catalog.exception';
import { isUuid } from './catalog-access';
import { CatalogCache } from './catalog-cache';
import { pinyinOf } from './pinyin';
import { PreparedReads } from './prepared-reads';
import { highlightName } from './suggest-highlight';

/**
 * Whitelisted ORDER BY clauses over the page's output columns; the sort parameter only ever selects one of these.
 * Each matches a partial index on published products (see Product), scanned backwards for the descending ones.
 */
const ORDER_BY: Record<string, string> = {
  newest: 'created_at DESC, id DESC',
  price_asc: 'price_fen ASC, id ASC',
  price_desc: 'price_fen DESC, id DESC',
  sales: 'sold_count DESC, created_at DESC, id DESC',
  /** Only with a search (the rank column exists only then). */
  relevance: 'rank DESC, sold_count DESC, id DESC',
};

interface SummaryRow {
  id: string;
  name_zh: string;
  name_en: string | null;
  category: ProductCategory;
  unit: ProductUnit;
  price_fen: string;
  currency: 'CNY';
  stock: number;
  sold_count: number;
  origin_province: string;
  origin_county: string;
  origin_village: string;
  cooperative_id: string;
  cooperative_name: string;
  total: string;
}

/** How many suggestions the search box shows under what is typed. */
const SUGGESTIONS = 8;

/** Only these products exist for the public: published, of an approved cooperative. */
const VISIBLE = `p.published AND c.status = 'approved'`;

/**
 * The public catalogue: listing with Chinese search, product page with its trace. Read-only. Answers are kept for
 * a couple of seconds in CatalogCache, keyed by the normalised query (see there for how stale they may be).
 */
@Injectable()
export class ProductsService {
  constructor(
    private readonly db: PreparedReads,
    private readonly storage: StorageService,
    private readonly cache: CatalogCache,
  ) {}

  list(q: ProductListQuery): Promise<ProductListResponse> {
    const tsQuery = q.q ? buildTsQuery(q.q, pinyinOf) : null;
    if (q.q && !tsQuery) {
      // Nothing searchable in the query (only punctuation or operators): it matches nothing rather than everything.
      return Promise.resolve({ items: [], total: 0, page: q.page, pageSize: q.pageSize });
    }
    // Everything the answer depends on, normalised: two spellings of one search or one province share an entry.
    const region = q.region ? provinceSpellings(q.region) : null;
    const sort = q.sort ?? (tsQuery ? 'relevance' : 'newest');
    const key = JSON.stringify([
      tsQuery,
      q.category ?? null,
      region,
      q.cooperativeId ?? null,
      q.kind ?? null,
      sort,
      q.page,
      q.pageSize,
    ]);
    return this.cache.lists.get(key, () => this.readList(q, tsQuery, region, sort));
  }

  /** The first few results of the same search, best first (the list's cache serves repeated keystrokes). */
  async suggest(q: string): Promise<ProductSuggestResponse> {
    const page = await this.list({ q, page: 1, pageSize: SUGGESTIONS }); // with q, sorted by relevance
    return {
      items: page.items.map((p) => ({
        id: p.id,
        nameZh: p.nameZh,
        nameEn: p.nameEn,
        priceFen: p.priceFen,
        coverThumbUrl: p.coverThumbUrl,
        highlight: highlightName(p.nameZh, q, pinyinOf),
      })),
    };
  }

  private async readList(
    q: ProductListQuery,
    tsQuery: string | null,
    region: string[] | null,
    sort: string,
  ): Promise<ProductListResponse> {
    const params: unknown[] = [];
    const where = [VISIBLE];
    if (tsQuery) {
      params.push(tsQuery); // always $1, see ORDER_BY.relevance
      where.push(`p.search_vector @@ to_tsquery('simple', $1)`);
    }
    if (q.category) {
      params.push(q.category);
      where.push(`p.category = $${params.length}`);
    }
    if (region) {
      params.push(region);
      where.push(`p.origin_province = ANY($${params.length}::text[])`);
    }
    if (q.cooperativeId) {
      params.push(q.cooperativeId);
      where.push(`p.cooperative_id = $${params.length}`);
    }
    // Selling formats: a group offer (group-buys feature); a pre-sale that is not cancelled (presale feature).
    if (q.kind === 'group')
      where.push(`EXISTS (SELECT 1 FROM group_buy_offers g WHERE g.product_id = p.id AND g.active)`);
    if (q.kind === 'presale')
      where.push(`EXISTS (SELECT 1 FROM presales s WHERE s.product_id = p.id AND s.status <> 'cancelled')`);
    const filter = where.join(' AND ');
    params.push(q.pageSize, (q.page - 1) * q.pageSize);
    // One round trip: the page (read through the sort's index, stopping after pageSize rows), each row's cover
    // thumbnail, and the total counted from an index-only scan.
    const rows: (SummaryRow & { cover_key: string | null })[] = await this.db.query(
      `WITH page AS (
         SELECT p.id, p.name_zh, p.name_en, p.category, p.unit, p.price_fen, p.currency, p.stock, p.sold_count,
                p.origin_province, p.origin_county, p.origin_village, p.created_at,
                c.id AS cooperative_id, c.name AS cooperative_name
                ${tsQuery ? ", ts_rank(p.search_vector, to_tsquery('simple', $1)) AS rank" : ''}
           FROM products p JOIN cooperatives c ON c.id = p.cooperative_id
          WHERE ${filter}
          ORDER BY ${ORDER_BY[sort]}
          LIMIT $${params.length - 1} OFFSET $${params.length}
       )
       SELECT page.id, page.name_zh, page.name_en, page.category, page.unit, page.price_fen, page.currency,
              page.stock, page.sold_count, page.origin_province, page.origin_county, page.origin_village,
              page.cooperative_id, page.cooperative_name,
              (SELECT ph.thumb_key FROM product_photos ph WHERE ph.product_id = page.id
                ORDER BY ph.position LIMIT 1) AS cover_key,
              (SELECT count(*) FROM products p JOIN cooperatives c ON c.id = p.cooperative_id WHERE ${filter}) AS total
         FROM page
        ORDER BY ${ORDER_BY[sort]}`,
      params,
    );
    let total = rows.length ? Number(rows[0].total) : 0;
    if (!rows.length && q.page > 1) {
      // Past the last page: there is no row to carry the count.
      const counted: { n: number }[] = await this.db.query(
        `SELECT count(*)::int AS n FROM products p JOIN cooperatives c ON c.id = p.cooperative_id WHERE ${filter}`,
        params.slice(0, -2),
      );
      total = counted[0]?.n ?? 0;
    }
    return {
      items: rows.map((r) => this.toSummary(r, r.cover_key ? this.storage.url(r.cover_key) : null)),
      total,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  /** Cover thumbnail URL (the first photo) of each product, in one query. */
  async coverThumbs(productIds: string[]): Promise<Map<string, string>> {
    if (!productIds.length) return new Map();
    const rows: { product_id: string; thumb_key: string }[] = await this.db.query(
      `SELECT DISTINCT ON (product_id) product_id, thumb_key
         FROM product_photos WHERE product_id = ANY($1::uuid[])
        ORDER BY product_id, position`,
      [productIds],
    );
    return new Map(rows.map((r) => [r.product_id, this.storage.url(r.thumb_key)]));
  }

  facets(): Promise<ProductFacets> {
    return this.cache.facets.get('facets', () => this.readFacets());
  }

  private async readFacets(): Promise<ProductFacets> {
    const [provinces, categories] = await Promise.all([
      this.db.query(
        `SELECT p.origin_province AS province, count(*)::int AS count
           FROM products p JOIN cooperatives c ON c.id = p.cooperative_id
          WHERE ${VISIBLE} GROUP BY 1 ORDER BY 2 DESC, 1`,
      ) as Promise<{ province: string; count: number }[]>,
      this.db.query(
        `SELECT p.category, count(*)::int AS count
           FROM products p JOIN cooperatives c ON c.id = p.cooperative_id
          WHERE ${VISIBLE} GROUP BY 1 ORDER BY 2 DESC, 1`,
      ) as Promise<{ category: ProductCategory; count: number }[]>,
    ]);
    return { provinces, categories };
  }

  /** The public product page: 404 unless published and its cooperative approved. Never a clear name or ID number. */
  async detail(id: string): Promise<ProductDetail> {
    if (!isUuid(id)) throw new CatalogException(CatalogErrorCode.PRODUCT_NOT_FOUND, 'product not found');
    return this.cache.pages.get(id.toLowerCase(), () => this.readDetail(id));
  }

  private async readDetail(id: string): Promise<ProductDetail> {
    const notFound = () => new CatalogException(CatalogErrorCode.PRODUCT_NOT_FOUND, 'product not found');
    // One round trip: the product (only if visible) with its photos, lots and supplying households as JSON arrays.
    const rows: (SummaryRow & {
      description_zh: string;
      description_en: string | null;
      shelf_life_days: number | null;
      storage: string;
      shipping_regions: string[];
      created_at: Date;
      updated_at: Date;
      coop_province: string;
      coop_county: string;
      coop_village: string;
      photos: { storage_key: string; thumb_key: string; width: number; height: number }[];
      lots: { code: string; harvest_date: string; quantity: number }[];
      suppliers: { head_name: string; status: RegistryStatus; quantity: number }[];
      group_buy: { size: number; group_price_fen: number; window_hours: number } | null;
      presale: PresaleJson | null;
    })[] = await this.db.query(
      `SELECT p.id, p.name_zh, p.name_en, p.description_zh, p.description_en, p.category, p.unit, p.price_fen,
              p.currency, p.stock, p.sold_count, p.origin_province, p.origin_county, p.origin_village,
              p.shelf_life_days, p.storage, p.shipping_regions, p.created_at, p.updated_at,
              c.id AS cooperative_id, c.name AS cooperative_name, c.province AS coop_province,
              c.county AS coop_county, c.village AS coop_village,
              (SELECT coalesce(json_agg(json_build_object('storage_key', ph.storage_key, 'thumb_key', ph.thumb_key,
                                                          'width', ph.width, 'height', ph.height)
                                        ORDER BY ph.position), '[]')
                 FROM product_photos ph WHERE ph.product_id = p.id) AS photos,
              (SELECT coalesce(json_agg(json_build_object('code', l.code,
                                                          'harvest_date', to_char(l.harvest_date, 'YYYY-MM-DD'),
                                                          'quantity', l.quantity)
                                        ORDER BY l.harvest_date DESC, l.created_at DESC), '[]')
                 FROM lots l WHERE l.product_id = p.id) AS lots,
              -- Names are read only to be masked below; ID numbers are never selected.
              (SELECT coalesce(json_agg(json_build_object('head_name', sup.head_name, 'status', sup.status,
                                                          'quantity', sup.quantity)
                                        ORDER BY sup.quantity DESC, sup.id), '[]')
                 FROM (SELECT h.id, h.head_name, h.status, sum(s.quantity)::int AS quantity
                         FROM lots l JOIN lot_supplies s ON s.lot_id = l.id JOIN households h ON h.id = s.household_id
                        WHERE l.product_id = p.id
                        GROUP BY h.id, h.head_name, h.status) sup) AS suppliers,
              (SELECT json_build_object('size', g.size, 'group_price_fen', g.group_price_fen,
                                        'window_hours', g.window_hours)
                 FROM group_buy_offers g WHERE g.product_id = p.id AND g.active) AS group_buy,
              (SELECT json_build_object('id', s.id, 'status', s.status, 'deposit_fen', s.deposit_fen,
                                        'balance_fen', s.balance_fen, 'guaranteed_fen', s.guaranteed_fen,
                                        'ship_from', to_char(s.ship_from, 'YYYY-MM-DD'),
                                        'ship_to', to_char(s.ship_to, 'YYYY-MM-DD'), 'balance_days', s.balance_days,
                                        'balance_due_at', s.balance_due_at, 'cap', s.cap, 'taken', s.taken,
                                        'promises', (SELECT coalesce(json_agg(json_build_object('head_name', h.head_name,
                                                                                                'quantity', pp.quantity)
                                                                              ORDER BY pp.quantity DESC, pp.household_id), '[]')
                                                       FROM presale_promises pp JOIN households h ON h.id = pp.household_id
                                                      WHERE pp.presale_id = s.id))
                 FROM presales s WHERE s.product_id = p.id AND s.status <> 'cancelled') AS presale
         FROM products p JOIN cooperatives c ON c.id = p.cooperative_id
        WHERE p.id = $1 AND ${VISIBLE}`,
      [id],
    );
    const p = rows[0];
    if (!p) throw notFound();
    const { photos, lots, suppliers } = p;

    const masked: MaskedSupplier[] = suppliers.map((s) => ({
      name: maskName(s.head_name),
      status: s.status,
      quantity: s.quantity,
    }));
    return {
      id: p.id,
      nameZh: p.name_zh,
      nameEn: p.name_en,
      descriptionZh: p.description_zh,
      descriptionEn: p.description_en,
      category: p.category,
      unit: p.unit,
      priceFen: Number(p.price_fen),
      currency: p.currency,
      stock: p.stock,
      soldCount: p.sold_count,
      originProvince: p.origin_province,
      originCounty: p.origin_county,
      originVillage: p.origin_village,
      shelfLifeDays: p.shelf_life_days,
      storage: p.storage,
      shippingRegions: p.shipping_regions,
      createdAt: p.created_at.toISOString(),
      updatedAt: p.updated_at.toISOString(),
      photos: photos.map((ph) => ({
        url: this.storage.url(ph.storage_key),
        thumbUrl: this.storage.url(ph.thumb_key),
        width: ph.width,
        height: ph.height,
      })),
      cooperative: {
        id: p.cooperative_id,
        name: p.cooperative_name,
        province: p.coop_province,
        county: p.coop_county,
        village: p.coop_village,
      },
      trace: {
        origin: { province: p.origin_province, county: p.origin_county, village: p.origin_village },
        lots: lots.map((l) => ({ code: l.code, harvestDate: l.harvest_date, quantity: l.quantity })),
        households: {
          total: masked.length,
          registeredOrMonitored: masked.filter((s) => s.status === 'registered' || s.status === 'monitored').length,
          masked,
        },
      },
      groupBuy: p.group_buy
        ? {
            size: p.group_buy.size,
            groupPriceFen: Number(p.group_buy.group_price_fen),
            windowHours: p.group_buy.window_hours,
            active: true,
          }
        : null,
      presale: p.presale ? presaleOffer(p.presale) : null,
    };
  }

  private toSummary(r: SummaryRow, coverThumbUrl: string | null): ProductSummary {
    return {
      id: r.id,
      nameZh: r.name_zh,
      nameEn: r.name_en,
      category: r.category,
      unit: r.unit,
      priceFen: Number(r.price_fen),
      currency: r.currency,
      stock: r.stock,
      soldCount: r.sold_count,
      originProvince: r.origin_province,
      originCounty: r.origin_county,
      originVillage: r.origin_village,
      cooperative: { id: r.cooperative_id, name: r.cooperative_name },
      coverThumbUrl,
    };
  }
}

/** The product's pre-sale as read with the product page (presale feature's table; names masked here). */
interface PresaleJson {
  id: string;
  status: 'open' | 'harvested' | 'cancelled';
  deposit_fen: number | string;
  balance_fen: number | string;
  guaranteed_fen: number | string;
  ship_from: string;
  ship_to: string;
  balance_days: number;
  balance_due_at: string | null;
  cap: number;
  taken: number;
  promises: { head_name: string; quantity: number }[];
}

function presaleOffer(s: PresaleJson): PresaleOffer {
  const depositFen = Number(s.deposit_fen);
  const balanceFen = Number(s.balance_fen);
  return {
    id: s.id,
    status: s.status,
    depositFen,
    balanceFen,
    totalFen: depositFen + balanceFen,
    shipFrom: s.ship_from,
    shipTo: s.ship_to,
    balanceDays: s.balance_days,
    balanceDueAt: s.balance_due_at ? new Date(s.balance_due_at).toISOString() : null,
    promisedUnits: s.cap,
    remainingUnits: Math.max(0, s.cap - s.taken),
    unpaidBalanceRule: PRESALE_UNPAID_BALANCE_RULE,
    guaranteedFen: Number(s.guaranteed_fen),
    promises: s.promises.map((x) => ({ name: maskName(x.head_name), quantity: x.quantity })),
  };
}
