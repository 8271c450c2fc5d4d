import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomInt, randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { DataSource, EntityManager } from 'typeorm';
import type { AddressInput, CheckoutDto, OrderDto } from '@xiangbo/contracts';
import { admitClaims, type CapContext, grantClaims } from '@xiangbo/domain';
import { DomainEvents } from '../common/domain-events';
import { APP_CONFIG, AppConfig } from '../config/config';
import { JobsService } from '../jobs/jobs.service';
import { PAYMENT_PROVIDER, type PaymentProvider } from '../payments/payment-provider';
import { OfferTerms, OrderHooks } from './order-hooks';
import { OrderErrorCode, OrderException } from './orders.exception';
import { ClaimRow, OrdersRepository, ProductForSale } from './orders.repository';

export const ORDER_EXPIRE_JOB = 'orders.expire';

/** One buyer's request for one product (optionally under an offer): an order of one line, if it wins. */
export interface ClaimInput {
  buyerId: string;
  productId: string;
  quantity: number;
  address: AddressInput;
  /** An offer registered with the orders' hooks (a flash deal): its price, its cap, its units. */
  offerId?: string;
  /** Remove the product from the buyer's cart once ordered. */
  fromCart?: boolean;
  /** The live show it is bought in (an offer's terms name theirs). */
  showId?: string;
  /** A live coupon (its claim id), null for none; left out, the best usable one (ordinary purchases only). */
  couponId?: string | null;
}

export interface PlacedClaim {
  order: OrderDto;
  checkout: CheckoutDto;
}

interface Pending {
  input: ClaimInput;
  resolve(p: PlacedClaim): void;
  reject(e: unknown): void;
}

interface Lane {
  queue: Pending[];
  running: boolean;
  /**
   * The next batch's reads (terms, product), started as the current batch's transaction begins, so a rush pays for
   * them while it waits for that COMMIT instead of after it. At most one transaction old when used; dropped with the
   * lane when no batch follows.
   */
  prefetch?: Promise<BatchReads>;
}

/** What a batch reads before its transaction: the offer's terms (if any) and the product. */
interface BatchReads {
  terms: OfferTerms | null;
  product: ProductForSale | undefined;
  productId: string;
}

/** Claims decided in one transaction at most (a rush's batches are what arrived while the previous one ran). */
const MAX_BATCH = Number(process.env.ORDERS_MAX_BATCH ?? 1000);
/** How long a lane answers SOLD_OUT from memory after it saw its stock gone (a release anywhere clears it). */
const soldOutMemoryMs = () => Number(process.env.ORDERS_SOLD_OUT_MEMORY_MS ?? 500);
/** SQLSTATEs a batch is tried again for once: deadlock, serialization, a unique order number taken. */
const RETRY = new Set(['40P01', '40001', '23505']);
/** Where processes tell each other a lane's stock is gone, or back (REDIS_URL set): SOLD_OUT from memory everywhere. */
const SOLD_OUT_CHANNEL = 'xb:claims:sold-out';

/** ORDERS_TRACE=1: one line per batch on stderr (size, reads, transaction, winners) — to see where a rush waits. */
const TRACE = process.env.ORDERS_TRACE === '1';

/**
 * Claims decided in batches (group commit), PostgreSQL the store of record. The claims of one product or one offer
 * queue in memory per process; while one batch's transaction runs, the next ones gather, and the next batch takes
 * them all — so the hot rows are taken once per batch, not once per buyer, and a lone buyer waits for nothing.
 *
 * One short transaction per batch: the buyers' keys locked (sorted) and what they hold read in one statement each;
 * the caps decided (`admitClaims`); ONE conditional UPDATE of the product takes the admitted total or what remains,
 * then the offer's hook takes its units likewise; `grantClaims` hands them out in arrival order; the winners'
 * payments, orders, lines, reservations and events are written by one statement. Every answer follows COMMIT.
 * Once a lane's stock is gone, later claims are answered SOLD_OUT from memory (until a release is seen here, or
 * briefly, since another process may release). A process killed mid-batch leaves nothing: its transaction never
 * committed. Reservations expire on their own (job, sweep) and give the units back.
 */
@Injectable()
export class ClaimsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Claims');
  private readonly lanes = new Map<string, Lane>();
  /** lane key → until when it is known sold out, and its product (a release of the product clears it). */
  private readonly soldOut = new Map<string, { until: number; productId: string }>();
  /** Batches decided and claims in them, for benchmarks and tests. */
  readonly stats = { batches: 0, claims: 0, largest: 0, fromMemory: 0 };
  /** With Redis: [publisher, subscriber] of the sold-out news between processes. */
  private redis: [Redis, Redis] | null = null;
  private readonly processId = randomUUID();
  private readonly memoryMs = soldOutMemoryMs();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    private readonly repo: OrdersRepository,
    private readonly hooks: OrderHooks,
    private readonly jobs: JobsService,
    private readonly events: DomainEvents,
  ) {}

  onModuleInit() {
    // Units came back (expiry, cancellation) in this process: the lanes of that product may sell again at once —
    // here and, through Redis, in the other processes.
    this.events.on('stock.changed', ({ productId }) => {
      if (this.forget(productId)) this.share({ kind: 'back', productId });
    });
    if (this.config.REDIS_URL) {
      const pub = new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: 1 });
      const sub = pub.duplicate();
      for (const c of [pub, sub]) c.on('error', (e) => this.logger.warn({ err: e }, 'sold-out news: Redis error'));
      sub.on('message', (_channel: string, text: string) => this.heard(text));
      void sub.subscribe(SOLD_OUT_CHANNEL).catch((e) => this.logger.warn({ err: e }, 'sold-out news not heard'));
      this.redis = [pub, sub];
    }
  }

  async onApplicationShutdown() {
    const redis = this.redis;
    this.redis = null;
    if (redis) await Promise.allSettled(redis.map((r) => r.quit()));
  }

  /** Forgets that the lanes of a product are sold out; whether any was. */
  private forget(productId: string): boolean {
    let any = false;
    for (const [key, s] of this.soldOut)
      if (s.productId === productId) {
        this.soldOut.delete(key);
        any = true;
      }
    return any;
  }

  /** Tells the other processes (best effort: the database decides anyway; the memory only saves round trips). */
  private share(news: { kind: 'gone'; key: string; productId: string } | { kind: 'back'; productId: string }) {
    void this.redis?.[0]
      .publish(SOLD_OUT_CHANNEL, JSON.stringify({ ...news, from: this.processId }))
      .catch(() => undefined);
  }

  private heard(text: string) {
    let news: { kind?: string; key?: string; productId?: string; from?: string };
    try {
      news = JSON.parse(text);
    } catch {
      return;
    }
    if (news.from === this.processId || typeof news.productId !== 'string') return;
    if (news.kind === 'back') this.forget(news.productId);
    else if (news.kind === 'gone' && typeof news.key === 'string')
      this.soldOut.set(news.key, { until: Date.now() + this.memoryMs, productId: news.productId });
  }

  /**
   * Whether this process saw the offer's (or else the product's) stock gone a moment ago: a caller may answer
   * SOLD_OUT before doing any work of its own (a flash deal's pre-read). Counted as answered from memory.
   */
  knownSoldOut(target: { offerId?: string; productId?: string }): boolean {
    const key = target.offerId ? `offer:${target.offerId}` : `product:${target.productId}`;
    const gone = this.soldOut.get(key);
    if (!gone || gone.until <= Date.now()) return false;
    this.stats.fromMemory++;
    return true;
  }

  /** Queues a claim with the others of its product or offer; resolves after the COMMIT that decided it. */
  claim(input: ClaimInput): Promise<PlacedClaim> {
    const key = input.offerId ? `offer:${input.offerId}` : `product:${input.productId}`;
    if (this.knownSoldOut(input)) return Promise.reject(this.soldOutRefusal(input));
    return new Promise<PlacedClaim>((resolve, reject) => {
      let lane = this.lanes.get(key);
      if (!lane) this.lanes.set(key, (lane = { queue: [], running: false }));
      lane.queue.push({ input, resolve, reject });
      if (!lane.running) {
        lane.running = true;
        // The claims that arrive in the same turn of the event loop go together even when nothing is running.
        setImmediate(() => void this.drain(key, lane as Lane));
      }
    });
  }

  private async drain(key: string, lane: Lane): Promise<void> {
    try {
      while (lane.queue.length) {
        const batch = lane.queue.splice(0, MAX_BATCH);
        const gone = this.soldOut.get(key);
        if (gone && gone.until > Date.now()) {
          this.stats.fromMemory += batch.length;
          for (const p of batch) p.reject(this.soldOutRefusal(p.input));
          continue;
        }
        const reads = lane.prefetch ?? this.read(batch[0].input);
        lane.prefetch = undefined;
        try {
          await this.decide(key, batch, reads, () => {
            // issued now, awaited by the next batch (if any): a rejection is handled there, not left unhandled
            const next = this.read(batch[0].input);
            next.catch(() => undefined);
            lane.prefetch = next;
          });
        } catch (e) {
          for (const p of batch) p.reject(e);
        }
      }
    } finally {
      lane.running = false;
      if (!lane.queue.length) this.lanes.delete(key);
      else {
        lane.running = true;
        setImmediate(() => void this.drain(key, lane));
      }
    }
  }

  /**
   * Price a line — the offer's terms (a refusal, e.g. closed, answers the whole batch) and the product — read
   * before the transaction and side by side (two pooled connections, one round trip's wait): nothing is locked,
   * and the decisive checks (on sale, the price, the offer open) are the conditional UPDATEs' own conditions.
   */
  private async read(first: ClaimInput): Promise<BatchReads> {
    const offerId = first.offerId ?? null;
    const [terms, read] = await Promise.all([
      offerId ? this.hooks.offerHooks().terms(this.db.manager, offerId) : null,
      this.repo.readProducts(this.db.manager, [first.productId]),
    ]);
    const productId = terms?.productId ?? first.productId;
    const product =
      productId === first.productId
        ? read.get(productId)
        : (await this.repo.readProducts(this.db.manager, [productId])).get(productId);
    return { terms, product, productId };
  }

  /** Decides the batch in one transaction (tried again once on a deadlock); answers right after COMMIT. */
  private async decide(key: string, batch: Pending[], reads: Promise<BatchReads>, readNext: () => void): Promise<void> {
    const offerId = batch[0].input.offerId ?? null;
    const t0 = TRACE ? performance.now() : 0;
    const { terms, product, productId } = await reads;
    const t1 = TRACE ? performance.now() : 0;
    readNext();
    let outcome: BatchOutcome | undefined;
    if (!product || !product.onSale) {
      const e = new OrderException(OrderErrorCode.PRODUCT_UNAVAILABLE, 'this product is not on sale', { productId });
      outcome = { rows: batch.map(() => e), expiresAt: new Date(), now: new Date(), soldOut: false };
    }
    for (let attempt = 0; !outcome; attempt++) {
      try {
        outcome = await this.db.transaction((m) => this.decideIn(m, batch, product as ProductForSale, terms, offerId));
        break;
      } catch (e) {
        const code =
          (e as { code?: string; driverError?: { code?: string } }).driverError?.code ?? (e as { code?: string }).code;
        if (attempt === 0 && code && RETRY.has(code)) continue;
        throw e;
      }
    }
    if (!outcome) throw new Error('unreachable: a batch ended without an outcome');
    this.stats.batches++;
    this.stats.claims += batch.length;
    this.stats.largest = Math.max(this.stats.largest, batch.length);
    if (outcome.soldOut && product) {
      this.soldOut.set(key, { until: Date.now() + this.memoryMs, productId: product.id });
      this.share({ kind: 'gone', key, productId: product.id });
    } else this.soldOut.delete(key);
    if (TRACE) {
      const t2 = performance.now();
      const won = outcome.rows.filter((r) => !(r instanceof Error)).length;
      process.stderr.write(
        `[claims] ${key} batch ${batch.length} won ${won} reads ${(t1 - t0).toFixed(1)} ms tx ${(t2 - t1).toFixed(1)} ms\n`,
      );
    }
    // The answers go out right after the COMMIT, while the next batch's transaction already runs.
    this.answer(batch, outcome, product);
  }

  /** The batch's transaction. Returns, per claim, its order (a winner) or its refusal. */
  private async decideIn(
    m: EntityManager,
    batch: Pending[],
    product: ProductForSale,
    terms: OfferTerms | null,
    offerId: string | null,
  ): Promise<BatchOutcome> {
    const claims = batch.map((p) => ({ buyerId: p.input.buyerId, quantity: p.input.quantity }));
    const buyers = [...new Set(claims.map((c) => c.buyerId))];
    // 1. The caps: each buyer's claims of this product (and offer) one batch at a time, over every process.
    const caps: CapContext[] = [];
    const keys: string[] = [];
    const offerCap =
      terms?.perBuyerCap != null && offerId ? caps.length + (product.perBuyerLimit !== null ? 1 : 0) : -1;
    if (product.perBuyerLimit !== null) keys.push(...buyers.map((b) => `${b}:${product.id}`));
    if (terms?.perBuyerCap != null && offerId) keys.push(...buyers.map((b) => `offer:${offerId}:${b}`));
    await this.repo.lockBuyerKeys(m, keys);
    if (product.perBuyerLimit !== null)
      caps.push({ cap: product.perBuyerLimit, held: await this.repo.unitsHeld(m, buyers, { productId: product.id }) });
    if (terms?.perBuyerCap != null && offerId)
      caps.push({ cap: terms.perBuyerCap, held: await this.repo.unitsHeld(m, buyers, { offerId }) });
    const { demand } = admitClaims(claims, caps);

    // 2. ONE conditional UPDATE of the product for the admitted total (or what remains), then the offer's units.
    let available = 0;
    let everyone: Error | null = null;
    let soldOut = false;
    if (demand > 0) {
      const took = await this.repo.takeUpTo(m, product.id, demand, product.priceFen);
      if ('reason' in took) {
        everyone =
          took.reason === 'UNAVAILABLE'
            ? new OrderException(OrderErrorCode.PRODUCT_UNAVAILABLE, 'this product is not on sale', {
                productId: product.id,
              })
            : took.reason === 'PRICE_CHANGED'
              ? new OrderException(
                  OrderErrorCode.PRICE_CHANGED,
                  'the price has just changed; please check and order again',
                  { productId: product.id },
                )
              : null;
        soldOut = took.reason === 'EMPTY';
      } else {
        available = took.taken;
        soldOut = took.left === 0;
        if (offerId) {
          const offer = await this.hooks.offerHooks().reserve(m, offerId, took.taken);
          if ('refusal' in offer) everyone = offer.refusal;
          else soldOut = soldOut || offer.left === 0;
          available = offer.taken;
          await this.repo.returnStock(m, product.id, took.taken - offer.taken);
        }
      }
    }

    // 3. Hand out in arrival order; what a large last claim could not use goes back now.
    const { decisions, unused } = grantClaims(claims, caps, available);
    if (unused > 0) {
      await this.repo.returnStock(m, product.id, unused);
      if (offerId) await this.hooks.offerHooks().release(m, offerId, unused);
    }

    // 4. The winners' rows, one statement; the facts go out after COMMIT.
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.config.RESERVATION_SECONDS * 1000);
    const unitPriceFen = terms?.unitPriceFen ?? product.priceFen;
    const rows: (ClaimRow | Error)[] = decisions.map((d, i) => {
      const input = batch[i].input;
      if (!d.granted) {
        if (d.refusal === 'SOLD_OUT') return everyone ?? this.soldOutRefusal(input, d.available);
        if (d.cap === offerCap)
          return this.hooks.offerHooks().refusal('CAP_REACHED', { cap: terms?.perBuyerCap ?? null, available });
        const limit = product.perBuyerLimit as number;
        return new OrderException(OrderErrorCode.LIMIT_REACHED, `you can buy at most ${limit} of this product`, {
          productId: product.id,
          limit,
          alreadyHeld: caps[d.cap]?.held.get(input.buyerId) ?? 0,
        });
      }
      return {
        paymentId: randomUUID(),
        orderId: randomUUID(),
        lineId: randomUUID(),
        number: orderNumber(now),
        buyerId: input.buyerId,
        cooperativeId: product.cooperativeId,
        productId: product.id,
        productName: product.nameZh,
        unit: product.unit,
        unitPriceFen,
        quantity: input.quantity,
        address: input.address,
        showId: terms?.showId ?? input.showId ?? null,
        offerId,
        // an offer's price is its own: no coupon on top of a flash deal or a group price
        couponId: offerId ? null : input.couponId,
      };
    });
    const winners = rows.filter((r): r is ClaimRow => !(r instanceof Error));
    if (LOCAL_PROVIDERS.has(this.provider.name)) {
      // A local provider's intent is a name made up here (no I/O): written with the payment, so the buyer may pay
      // the moment the answer arrives. A remote provider's (Stripe) is created when the buyer opens the payment.
      const made = await Promise.all(winners.map((w) => this.provider.createIntent(intentInput(w))));
      winners.forEach((w, i) => {
        w.providerRef = made[i].providerRef;
        w.clientSecret = made[i].clientSecret;
      });
    }
    await this.repo.insertClaims(m, winners, this.provider.name, expiresAt, now);
    // A live coupon (the discount hook): taken by compare-and-set in this transaction; the totals lowered with it.
    const discount = this.hooks.discount();
    const candidates = winners.filter((w) => w.couponId !== null);
    if (discount && candidates.length) {
      const off = await discount.apply(
        m,
        candidates.map((w) => ({
          orderId: w.orderId,
          buyerId: w.buyerId,
          cooperativeId: w.cooperativeId,
          showId: w.showId,
          amountFen: w.unitPriceFen * w.quantity,
          choice: w.couponId,
        })),
      );
      await this.repo.applyDiscounts(m, off);
      for (const w of candidates) w.discountFen = off.get(w.orderId) ?? 0;
    }
    await this.repo.clearCarts(
      m,
      rows.flatMap((r, i) => (r instanceof Error || !batch[i].input.fromCart ? [] : [r])),
    );
    if (available > 0 || unused > 0) this.events.publish(m, 'stock.changed', { productId: product.id });
    return { rows, expiresAt, now, soldOut };
  }

  /**
   * After COMMIT, at once: the answers — nothing else is needed to decide a claim. A remote provider's payment
   * intent is not awaited here (a Stripe call takes hundreds of ms): the pay page and the live checkout sheet create
   * it when the buyer opens the payment (`POST /api/payments/:id/intent`, idempotent at Stripe by payment id).
   * Then the expiry jobs (the sweep catches any not sent).
   */
  private answer(batch: Pending[], outcome: BatchOutcome, product: ProductForSale | undefined): void {
    const { rows, expiresAt, now } = outcome;
    rows.forEach((r, i) => {
      if (r instanceof Error) return batch[i].reject(r);
      batch[i].resolve(placed(r, product as ProductForSale, expiresAt, now, this.provider.name));
    });
    const winners = rows.filter((r): r is ClaimRow => !(r instanceof Error));
    if (winners.length)
      void this.jobs
        .sendManyAt(
          ORDER_EXPIRE_JOB,
          winners.map((w) => ({ data: { paymentId: w.paymentId }, singletonKey: `expire:${w.paymentId}` })),
          expiresAt,
        )
        .catch((e) => this.logger.warn({ err: e }, 'expiry jobs not sent; the sweep expires these orders'));
  }

  private soldOutRefusal(input: ClaimInput, available = 0): Error {
    if (input.offerId) return this.hooks.offerHooks().refusal('SOLD_OUT', { cap: null, available });
    return new OrderException(OrderErrorCode.SOLD_OUT, available > 0 ? `only ${available} left` : 'sold out', {
      productId: input.productId,
      available,
    });
  }
}

/** Providers whose intent is made without I/O (the demo provider names it after the payment). */
const LOCAL_PROVIDERS = new Set<PaymentProvider['name']>(['demo']);

function intentInput(w: ClaimRow) {
  return {
    paymentId: w.paymentId,
    amountFen: w.unitPriceFen * w.quantity,
    currency: 'CNY' as const,
    buyerId: w.buyerId,
    description: `乡播订单 ${w.number}`,
    metadata: { paymentId: w.paymentId, orderNumbers: w.number },
  };
}

interface BatchOutcome {
  rows: (ClaimRow | Error)[];
  expiresAt: Date;
  now: Date;
  soldOut: boolean;
}

/** The winner's order and checkout as written (the same values the database holds), without reading them back. */
function placed(
  w: ClaimRow,
  product: ProductForSale,
  expiresAt: Date,
  now: Date,
  provider: PaymentProvider['name'],
): PlacedClaim {
  const subtotal = w.unitPriceFen * w.quantity;
  const discountFen = w.discountFen ?? 0;
  const total = subtotal - discountFen;
  const order: OrderDto = {
    id: w.orderId,
    number: w.number,
    status: 'pending_payment',
    cooperative: { id: product.cooperativeId, name: product.cooperativeName },
    lines: [
      {
        id: w.lineId,
        productId: w.productId,
        productName: w.productName,
        unit: w.unit,
        unitPriceFen: w.unitPriceFen,
        quantity: w.quantity,
        lineTotalFen: subtotal,
      },
    ],
    subtotalFen: subtotal,
    shippingFen: 0,
    totalFen: total,
    discountFen,
    refundedFen: 0,
    currency: 'CNY',
    address: w.address,
    carrier: null,
    trackingNumber: null,
    expiresAt: expiresAt.toISOString(),
    paidAt: null,
    createdAt: now.toISOString(),
    paymentId: w.paymentId,
    events: [{ fromStatus: null, toStatus: 'pending_payment', actorKind: 'buyer', note: '', at: now.toISOString() }],
    refunds: [],
  };
  return {
    order,
    checkout: {
      paymentId: w.paymentId,
      provider,
      clientSecret: w.clientSecret ?? null,
      amountFen: total,
      orderIds: [w.orderId],
      paymentStatus: 'pending',
    },
  };
}

/** XB + yymmdd + 8 random digits: readable on a phone call, unique by index (collision odds ~1e-8 per day-pair). */
export function orderNumber(d = new Date()): string {
  const ymd = `${String(d.getUTCFullYear()).slice(2)}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
  return `XB${ymd}${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
}
