import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { ProductDetail, ProductFacets, ProductListResponse } from '@xiangbo/contracts';
import { DomainEvents } from '../common/domain-events';

/**
 * How long (ms) a public catalogue answer (a list or search page, the facets, a product page) may be served from
 * memory: config CATALOG_CACHE_TTL_MS (default 2000), 0 turns the cache off. Products change rarely and every write of this process
 * drops what it touches at once (see CatalogCache), so this only bounds how stale an answer can be after a change
 * made elsewhere: another API process, a cooperative's approval or rename, or SQL by hand.
 */
export const CATALOG_CACHE_TTL_MS = Symbol('CATALOG_CACHE_TTL_MS');

interface Entry<V> {
  /** Set while the answer is being read; every caller of the same key meanwhile shares this one read. */
  pending?: Promise<V>;
  value?: V;
  /** Read before this time (ms); the answer is served until then. */
  expires: number;
  /** The products the answer shows (to drop it when one of them changes). */
  productIds?: ReadonlySet<string>;
}

export interface ResponseCacheOptions<V> {
  ttlMs: number;
  /** Past this many keys the oldest are dropped (search terms are unbounded). */
  maxEntries: number;
  /** The products an answer shows. */
  productIdsOf: (value: V) => Iterable<string>;
  now?: () => number;
}

/**
 * A small in-process cache of read-only answers, keyed by a normalised query: one read per key and TTL however
 * many callers ask at once (a miss is shared, not repeated), bounded in size, and dropped on invalidation.
 * An answer whose read was under way when an invalidation came is handed to the callers already waiting on it
 * (they asked before the change was announced) but is not kept.
 */
export class ResponseCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly now: () => number;

  constructor(private readonly options: ResponseCacheOptions<V>) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string, read: () => Promise<V>): Promise<V> {
    const { ttlMs } = this.options;
    if (ttlMs <= 0) return read();
    const startedAt = this.now();
    const hit = this.entries.get(key);
    if (hit) {
      if (hit.pending) return hit.pending;
      if (hit.expires > startedAt) return Promise.resolve(hit.value as V);
      this.entries.delete(key);
    }
    const entry: Entry<V> = { expires: 0 };
    entry.pending = read().then(
      (value) => {
        if (this.entries.get(key) === entry) {
          entry.value = value;
          entry.productIds = new Set(this.options.productIdsOf(value));
          // Counted from the start of the read: an answer is never older than the TTL.
          entry.expires = startedAt + ttlMs;
          entry.pending = undefined;
        }
        return value;
      },
      (err: unknown) => {
        if (this.entries.get(key) === entry) this.entries.delete(key); // errors are not cached
        throw err;
      },
    );
    this.entries.set(key, entry);
    if (this.entries.size > this.options.maxEntries) {
      // Maps iterate in insertion order: the first key is the oldest.
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return entry.pending;
  }

  /** Drops every answer that shows this product, and every read under way (it may predate the change). */
  invalidateProduct(productId: string): void {
    for (const [key, e] of this.entries) {
      if (e.pending || e.productIds?.has(productId)) this.entries.delete(key);
    }
  }

  invalidateAll(): void {
    this.entries.clear();
  }
}

/**
 * The public catalogue's answer cache. Staleness, for the record:
 * - a write through this process (the console's product, photo and lot writes, an order's stock change announced
 *   by the 'stock.changed' domain event after its commit) drops the answers it affects at once;
 * - anything else (another process's orders or writes, a cooperative approved, suspended or renamed) shows within
 *   CATALOG_CACHE_TTL_MS (2 s by default). Stock shown may lag by that much; orders never rely on it (the stock
 *   check at checkout is the atomic UPDATE in orders/stock.ts).
 */
@Injectable()
export class CatalogCache implements OnModuleInit, OnModuleDestroy {
  readonly lists: ResponseCache<ProductListResponse>;
  readonly pages: ResponseCache<ProductDetail>;
  readonly facets: ResponseCache<ProductFacets>;
  private unsubscribe?: () => void;

  constructor(
    @Inject(CATALOG_CACHE_TTL_MS) ttlMs: number,
    private readonly events: DomainEvents,
  ) {
    this.lists = new ResponseCache({ ttlMs, maxEntries: 500, productIdsOf: (r) => r.items.map((x) => x.id) });
    this.pages = new ResponseCache({ ttlMs, maxEntries: 2000, productIdsOf: (p) => [p.id] });
    this.facets = new ResponseCache({ ttlMs, maxEntries: 1, productIdsOf: () => [] });
  }

  onModuleInit() {
    this.unsubscribe = this.events.on('stock.changed', ({ productId }) => this.productChanged(productId));
  }

  onModuleDestroy() {
    this.unsubscribe?.();
  }

  /** A product's stock, photos or lots changed: drop the answers that show it. */
  productChanged(productId: string): void {
    this.lists.invalidateProduct(productId);
    this.pages.invalidateProduct(productId);
  }

  /** A change that can move products in or out of any list, reorder them or change the facets. */
  catalogueChanged(): void {
    this.lists.invalidateAll();
    this.pages.invalidateAll();
    this.facets.invalidateAll();
  }
}
