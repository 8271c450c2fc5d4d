import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * Orders is the host; other features take part in an order through the hooks they register here, never by writing
 * orders' tables or by orders writing theirs (as Vendure's OrderInterceptor, StockAllocationStrategy and
 * OrderItemPriceCalculationStrategy). An offer (a flash deal today; later a coupon, a group price, a pre-sale
 * deposit) is named on the line and its reservation by id; orders knows only these hooks.
 *
 * Every hook runs inside the order's transaction on the EntityManager it is given, so what it writes commits or
 * rolls back with the order, and the events it publishes go out after COMMIT.
 */

/** The terms of an offer for one product, as a line is priced (read without locks, once per batch). */
export interface OfferTerms {
  productId: string;
  /** Price a line: the unit price of a line bought under this offer (fen). */
  unitPriceFen: number;
  /** Most units one buyer may hold under this offer (decided by orders with the buyer's lock), or null. */
  perBuyerCap: number | null;
  /** The live show the order is placed in, if any (its purchase ticker, its summary). */
  showId: string | null;
}

export interface OfferHooks {
  /**
   * Price a line: the offer's terms, or a throw of the offer's own typed refusal (not found, closed, not started).
   * Called once per batch of claims, outside the transaction.
   */
  terms(m: EntityManager, offerId: string): Promise<OfferTerms>;
  /**
   * Reserve: takes up to `want` of the offer's units with ONE conditional statement, called after orders took the
   * product's stock (lock order: product, then the offer — the same as release). Returns how many it took (≤ want)
   * and what is left; or none and the refusal every claim of the batch gets (sold out, closed).
   */
  reserve(
    m: EntityManager,
    offerId: string,
    want: number,
  ): Promise<{ taken: number; left: number } | { taken: 0; refusal: Error }>;
  /** Release: gives `quantity` units back (a reservation expired or was cancelled; units a batch could not use). */
  release(m: EntityManager, offerId: string, quantity: number): Promise<void>;
  /** After payment: an order holding `quantity` of the offer's units was paid. */
  afterPayment?(m: EntityManager, offerId: string, quantity: number, orderId: string): Promise<void>;
  /** The offer's own words for a claim orders refused: out of units, or over the offer's per-buyer cap. */
  refusal(code: 'SOLD_OUT' | 'CAP_REACHED', detail: { cap: number | null; available: number }): Error;
  /**
   * Whether an offer id is one of this kind's. Every kind but one (the default, which may omit it) says so, since
   * lines and reservations name the offer by id only; the answer for an id never changes (it is remembered).
   */
  owns?(m: EntityManager, offerId: string): Promise<boolean>;
  /** Before the cooperative ships an order holding the offer's units: the offer's refusal (e.g. a group not formed yet), or null. */
  mayShip?(m: EntityManager, offerId: string, orderId: string): Promise<Error | null>;
}

/** An order just written (pending payment), as a discount sees it. */
export interface DiscountCandidate {
  orderId: string;
  buyerId: string;
  cooperativeId: string;
  showId: string | null;
  /** What the order costs before any discount (lines + shipping), fen. */
  amountFen: number;
  /** The buyer's choice: a coupon (its claim id), null for none, undefined for the best usable one. */
  choice: string | null | undefined;
}

/**
 * A discount taking part in an order (a live coupon): `apply` runs in the order's transaction right after its rows
 * are written and takes what it uses with a compare-and-set (so one coupon is never on two orders), answering the
 * discount per order id (0 < d < amountFen; orders lowers the order's total and its payment); `release` gives back,
 * once, what an unpaid order held when it is cancelled or expires.
 */
export interface DiscountHooks {
  /** Before anything is written: refuses (throws its typed refusal) a discount the buyer chose that cannot apply. */
  precheck(buyerId: string, choice: string, items: { productId: string; quantity: number }[]): Promise<void>;
  apply(m: EntityManager, orders: DiscountCandidate[]): Promise<Map<string, number>>;
  release(m: EntityManager, orderId: string): Promise<void>;
}

/**
 * A feature that sells some products only under its own offer (a pre-sale: the deposit is the price): the offer a
 * product is bought under when it is ordered without one (POST /api/orders), or null; and its refusal when such a
 * product is ordered together with others (it is paid and shipped on its own).
 */
export interface ProductOfferHooks {
  offerFor(m: EntityManager, productId: string): Promise<string | null>;
  notWithOthers(productId: string): Error;
}

/**
 * A part of an order's detail another feature owns (parcel tracking …): given the order id, the fields it adds to
 * GET /api/orders/:id. Read-only, outside any transaction.
 */
export type OrderDetailPart = (orderId: string) => Promise<Record<string, unknown>>;

/** How many offer ids' kinds are remembered (an id's kind never changes; the oldest are forgotten first). */
const KNOWN_OFFERS = 10_000;

/** May the cooperative decide this buyer refund request now? A refusal (an Error to throw), or null. */
export type RefundGuard = (m: EntityManager, refundId: string) => Promise<Error | null>;

/**
 * The registry of offer hooks. Lines and reservations name an offer by id (the `deal_id` columns); with one kind
 * registered its hooks answer for every id, with several each id goes to the kind that `owns` it (asked once per id,
 * remembered), else to the default kind (the one registered without `owns`, the flash deal).
 */
@Injectable()
export class OrderHooks {
  private readonly kinds: { kind: string; hooks: OfferHooks }[] = [];
  private readonly kindOf = new Map<string, OfferHooks>();
  private readonly detailParts = new Map<string, OrderDetailPart>();
  private readonly productOffers: ProductOfferHooks[] = [];
  private discountHooks: DiscountHooks | null = null;
  private readonly refundGuardList: RefundGuard[] = [];
  private readonly dispatcher: OfferHooks = {
    terms: async (m, id) => (await this.forOffer(m, id)).terms(m, id),
    reserve: async (m, id, want) => (await this.forOffer(m, id)).reserve(m, id, want),
    release: async (m, id, q) => (await this.forOffer(m, id)).release(m, id, q),
    afterPayment: async (m, id, q, orderId) => (await this.forOffer(m, id)).afterPayment?.(m, id, q, orderId),
    mayShip: async (m, id, orderId) => (await this.forOffer(m, id)).mayShip?.(m, id, orderId) ?? null,
    // A refusal names no offer: the default kind's words (other kinds translate refusals of their own claims).
    refusal: (code, detail) => (this.defaultKind() ?? this.kinds[0].hooks).refusal(code, detail),
  };

  /** A feature registers its offer hooks once, at start-up (e.g. the flash deal in DealsService.onModuleInit). */
  registerOffer(kind: string, hooks: OfferHooks): void {
    if (this.kinds.some((k) => k.kind === kind)) throw new Error(`offer kind ${kind} is already registered`);
    if (!hooks.owns && this.defaultKind())
      throw new Error(`offer kind ${kind} must say which offers are its own (owns): a default kind is registered`);
    this.kinds.push({ kind, hooks });
  }

  /** The hooks of the offer a line or reservation names; an offer nobody registered is a programming error. */
  offerHooks(): OfferHooks {
    if (!this.kinds.length) throw new Error('a line names an offer but no offer hooks are registered');
    return this.kinds.length === 1 ? this.kinds[0].hooks : this.dispatcher;
  }

  hasOffers(): boolean {
    return this.kinds.length > 0;
  }

  /** The discount feature (live coupons) registers once, at start-up. */
  registerDiscount(hooks: DiscountHooks): void {
    if (this.discountHooks) throw new Error('a discount is already registered');
    this.discountHooks = hooks;
  }

  /** The registered discount, if any. */
  discount(): DiscountHooks | null {
    return this.discountHooks;
  }

  /** A feature whose products are sold only under its offer (a pre-sale) registers once, at start-up. */
  registerProductOffer(hooks: ProductOfferHooks): void {
    this.productOffers.push(hooks);
  }

  /** The offer a product is sold under when ordered without one (null: its own price), and who owns it. */
  async productOffer(
    m: EntityManager,
    productId: string,
  ): Promise<{ offerId: string; hooks: ProductOfferHooks } | null> {
    for (const hooks of this.productOffers) {
      const offerId = await hooks.offerFor(m, productId);
      if (offerId) return { offerId, hooks };
    }
    return null;
  }

  /**
   * A feature that can hand a buyer's refund request to someone else's decision registers a guard once (after-sales:
   * a request the buyer took to the platform is the platform's to decide, not the cooperative's). A guard runs in
   * the transaction that holds the refund's row locked and returns the refusal, or null.
   */
  registerRefundGuard(guard: RefundGuard): void {
    this.refundGuardList.push(guard);
  }

  /** The first refusal of a registered guard for the cooperative deciding this refund now, or null. */
  async refundRefusal(m: EntityManager, refundId: string): Promise<Error | null> {
    for (const guard of this.refundGuardList) {
      const refusal = await guard(m, refundId);
      if (refusal) return refusal;
    }
    return null;
  }

  /** A feature adds its fields to the order's detail (registered once, at start-up). */
  registerDetail(feature: string, part: OrderDetailPart): void {
    if (this.detailParts.has(feature)) throw new Error(`order detail part ${feature} is already registered`);
    this.detailParts.set(feature, part);
  }

  /** The fields every registered feature adds to an order's detail, merged. */
  async detail(orderId: string): Promise<Record<string, unknown>> {
    const parts = await Promise.all([...this.detailParts.values()].map((part) => part(orderId)));
    return Object.assign({}, ...parts) as Record<string, unknown>;
  }

  private defaultKind(): OfferHooks | undefined {
    return this.kinds.find((k) => !k.hooks.owns)?.hooks;
  }

  private async forOffer(m: EntityManager, offerId: string): Promise<OfferHooks> {
    const known = this.kindOf.get(offerId);
    if (known) return known;
    let found: OfferHooks | undefined;
    for (const k of this.kinds) if (k.hooks.owns && (await k.hooks.owns(m, offerId))) found = k.hooks;
    found ??= this.defaultKind();
    if (!found) throw new Error(`no offer kind owns offer ${offerId}`);
    if (this.kindOf.size >= KNOWN_OFFERS) this.kindOf.delete(this.kindOf.keys().next().value as string);
    this.kindOf.set(offerId, found);
    return found;
  }
}
