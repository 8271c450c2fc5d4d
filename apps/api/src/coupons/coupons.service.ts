import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type {
  ClaimCouponResponse,
  ConsoleCoupon,
  CouponQuote,
  CouponQuoteRequest,
  DropCouponRequest,
  LiveCoupon,
  MyCoupon,
  RoomCoupon,
} from '@xiangbo/contracts';
import { admitClaims, grantClaims, rankCoupons } from '@xiangbo/domain';
import type { Principal } from '../auth/principal';
import { isUuid } from '../common/cooperative-scope';
import { LiveHub } from '../live/live-hub';
import { showAccess } from '../live/show-access';
import { DiscountCandidate, OrderHooks } from '../orders/order-hooks';
import { CouponErrorCode, CouponException } from './coupons.exception';
import { CouponRow, CouponsRepository, UsableRow } from './coupons.repository';

/** Claims of one coupon decided in one transaction at most. */
const MAX_BATCH = 1000;
/** The room hears a coupon's claimed count at most this often (the claim answers do not wait for it). */
const COUNT_EVERY_MS = 250;

interface Pending {
  userId: string;
  resolve(r: ClaimCouponResponse): void;
  reject(e: unknown): void;
}

const notFound = () => new CouponException(CouponErrorCode.COUPON_NOT_FOUND, 'coupon not found');

/**
 * 直播间专享券. The host drops coupons in a live show (REST, the console); the room hears it over socket.io
 * (`coupon:changed`, after COMMIT). Viewers claim through the flash deals' exact claim path: the claims of one
 * coupon that arrive together are decided in ONE short transaction — each viewer's key locked (sorted) and what
 * they hold counted, the per-viewer limit decided (`admitClaims`), ONE guarded UPDATE of the coupon's row takes the
 * admitted total or what remains (never above quantity; a CHECK too), `grantClaims` hands them out in arrival order
 * and the winners' rows go in with one statement, under a unique (coupon, user, n) key. Every answer follows COMMIT.
 *
 * Orders use them through orders' discount hook: in the order's transaction the best valid coupon of the buyer (or
 * the one chosen) moves claimed → used by compare-and-set, the discount capped so at least one fen is paid; an order
 * cancelled or expired unpaid gives it back once. The cooperative carries the discount: the order's total is what
 * the buyer paid, and settlement splits that (households' shares are computed on what the buyer actually paid).
 */
@Injectable()
export class CouponsService implements OnModuleInit {
  private readonly logger = new Logger('Coupons');
  private readonly lanes = new Map<string, Pending[]>();
  private readonly running = new Set<string>();
  /** Coupons this process saw all claimed (claims are never given back to the pool: for good). */
  private readonly gone = new Set<string>();
  private readonly countTimers = new Map<string, NodeJS.Timeout>();
  readonly stats = { batches: 0, claims: 0, largest: 0, fromMemory: 0 };

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repo: CouponsRepository,
    private readonly hooks: OrderHooks,
    private readonly hub: LiveHub,
  ) {}

  onModuleInit() {
    this.hooks.registerDiscount({
      apply: (m, orders) => this.apply(m, orders),
      precheck: (buyerId, choice, items) => this.precheck(buyerId, choice, items),
      release: async (m, orderId) => {
        await this.repo.release(m, orderId);
      },
    });
    this.hooks.registerDetail('coupon', async (orderId) => {
      const used = await this.repo.ofOrder(this.db.manager, orderId);
      return { coupon: used, discountFen: used?.discountFen ?? 0 };
    });
  }

  // ---- the host ------------------------------------------------------------------------------------------

  /** The show's host (or its cooperative's admin) drops a coupon in the live show; the room hears it. */
  async drop(p: Principal, showId: string, body: DropCouponRequest): Promise<ConsoleCoupon> {
    const show = await this.managed(p, showId);
    if (show.status !== 'live')
      throw new CouponException(CouponErrorCode.COUPON_SHOW_OVER, 'coupons are dropped while the show is live', {
        status: show.status,
      });
    const id = await this.db.transaction((m) =>
      this.repo.insertCoupon(m, {
        showId,
        cooperativeId: show.cooperativeId,
        amountOffFen: body.amountOffFen,
        minSpendFen: body.minSpendFen,
        quantity: body.quantity,
        perViewerLimit: body.perViewerLimit,
        validity: body.validity,
        createdBy: p.userId,
      }),
    );
    const coupon = (await this.repo.coupon(this.db.manager, id)) as CouponRow;
    this.broadcast(coupon);
    return { ...live(coupon), used: 0, paid: 0 };
  }

  /** Stops a drop: no more claims (coupons already claimed stay usable). */
  async stop(p: Principal, showId: string, couponId: string): Promise<ConsoleCoupon> {
    await this.managed(p, showId);
    const coupon = isUuid(couponId) ? await this.repo.coupon(this.db.manager, couponId) : null;
    if (!coupon || coupon.showId !== showId) throw notFound();
    await this.repo.stop(this.db.manager, couponId);
    const now = (await this.repo.coupon(this.db.manager, couponId)) as CouponRow;
    this.broadcast(now);
    return (await this.console(p, showId)).find((c) => c.id === couponId) as ConsoleCoupon;
  }

  /** The console's list: each coupon with claimed, used and paid counts. */
  async console(p: Principal, showId: string): Promise<ConsoleCoupon[]> {
    await this.managed(p, showId, 'read');
    const list = await this.repo.forShow(this.db.manager, showId, null);
    return list.map((c) => ({ ...live(c), used: c.used, paid: c.paid }));
  }

  /** 'manage' (host of the show, coop admin) or, for reading, the cooperative's other hosts; else 404 / 403. */
  private async managed(p: Principal, showId: string, need: 'manage' | 'read' = 'manage') {
    const show = isUuid(showId) ? await this.repo.show(this.db.manager, showId) : null;
    if (!show) throw new CouponException(CouponErrorCode.COUPON_NOT_FOUND, 'show not found');
    const access = showAccess(p.userId, p.roles, show);
    if (access === 'none') throw new CouponException(CouponErrorCode.COUPON_NOT_FOUND, 'show not found');
    if (need === 'manage' && access !== 'manage')
      throw new CouponException(
        CouponErrorCode.COUPON_FORBIDDEN,
        'only the show’s host or its cooperative’s admin drops coupons',
      );
    return show;
  }

  // ---- the room ------------------------------------------------------------------------------------------

  /** The show's coupons as the room shows them, with how many the viewer holds. */
  async room(showId: string, userId: string | null): Promise<RoomCoupon[]> {
    if (!isUuid(showId)) return [];
    const list = await this.repo.forShow(this.db.manager, showId, userId);
    return list.map((c) => ({ ...live(c), mine: c.mine }));
  }

  /** One tap: queued with the other claims of the coupon; answered after the COMMIT that decided it. */
  claim(userId: string, couponId: string): Promise<ClaimCouponResponse> {
    if (!isUuid(couponId)) return Promise.reject(notFound());
    if (this.gone.has(couponId)) {
      this.stats.fromMemory++;
      return Promise.reject(goneRefusal());
    }
    return new Promise<ClaimCouponResponse>((resolve, reject) => {
      let queue = this.lanes.get(couponId);
      if (!queue) this.lanes.set(couponId, (queue = []));
      queue.push({ userId, resolve, reject });
      if (!this.running.has(couponId)) {
        this.running.add(couponId);
        setImmediate(() => void this.drain(couponId));
      }
    });
  }

  private async drain(couponId: string): Promise<void> {
    try {
      for (;;) {
        const queue = this.lanes.get(couponId);
        if (!queue?.length) break;
        const batch = queue.splice(0, MAX_BATCH);
        if (this.gone.has(couponId)) {
          this.stats.fromMemory += batch.length;
          for (const p of batch) p.reject(goneRefusal());
          continue;
        }
        try {
          await this.decide(couponId, batch);
        } catch (e) {
          for (const p of batch) p.reject(e);
        }
      }
    } finally {
      this.running.delete(couponId);
      if (this.lanes.get(couponId)?.length) {
        this.running.add(couponId);
        setImmediate(() => void this.drain(couponId));
      } else this.lanes.delete(couponId);
    }
  }

  private async decide(couponId: string, batch: Pending[]): Promise<void> {
    const coupon = await this.repo.coupon(this.db.manager, couponId);
    if (!coupon) {
      for (const p of batch) p.reject(notFound());
      return;
    }
    if (coupon.status !== 'live' || coupon.showStatus !== 'live') {
      for (const p of batch) p.reject(closedRefusal());
      return;
    }
    const claims = batch.map((p) => ({ buyerId: p.userId, quantity: 1 }));
    const users = [...new Set(claims.map((c) => c.buyerId))];
    let outcome: { answers: (ClaimCouponResponse['claim'] | Error)[]; left: number | null } | undefined;
    for (let attempt = 0; !outcome; attempt++) {
      try {
        outcome = await this.db.transaction(async (m) => {
          // 1. Each viewer's limit, one batch at a time per viewer over every process.
          await this.repo.lockViewers(m, couponId, users);
          const held = await this.repo.held(m, couponId, users);
          const caps = { cap: coupon.perViewerLimit, held };
          const { demand } = admitClaims(claims, caps);
          // 2. ONE guarded UPDATE for the admitted total (or what remains).
          let available = 0;
          let everyone: Error | null = null;
          let left: number | null = null;
          if (demand > 0) {
            const took = await this.repo.takeUpTo(m, couponId, demand);
            if ('reason' in took) everyone = took.reason === 'CLOSED' ? closedRefusal() : null;
            else {
              available = took.taken;
              left = took.left;
            }
          }
          // 3. Handed out in arrival order; each winner's row is its n-th of this coupon.
          const { decisions, unused } = grantClaims(claims, caps, available);
          await this.repo.giveBack(m, couponId, unused);
          const now = new Date();
          const validUntil = coupon.validity === '24h' ? new Date(now.getTime() + 24 * 3600_000) : null;
          const nth = new Map(held);
          const rows: { id: string; userId: string; n: number; validUntil: Date | null }[] = [];
          const answers = decisions.map((d, i) => {
            const userId = claims[i].buyerId;
            if (!d.granted)
              return d.refusal === 'CAP_REACHED'
                ? new CouponException(
                    CouponErrorCode.COUPON_LIMIT_REACHED,
                    `each viewer may claim ${coupon.perViewerLimit} of this coupon`,
                    { limit: coupon.perViewerLimit },
                  )
                : (everyone ?? goneRefusal());
            const n = (nth.get(userId) ?? 0) + 1;
            nth.set(userId, n);
            const row = { id: randomUUID(), userId, n, validUntil };
            rows.push(row);
            return myCoupon(coupon, row, now);
          });
          await this.repo.insertClaims(m, couponId, rows, now);
          return { answers, left };
        });
      } catch (e) {
        const code =
          (e as { code?: string; driverError?: { code?: string } }).driverError?.code ?? (e as { code?: string }).code;
        if (attempt === 0 && code && ['40P01', '40001'].includes(code)) continue;
        throw e;
      }
    }
    this.stats.batches++;
    this.stats.claims += batch.length;
    this.stats.largest = Math.max(this.stats.largest, batch.length);
    const won = outcome.answers.filter((a) => !(a instanceof Error)).length;
    const claimed = coupon.quantity - (outcome.left ?? coupon.quantity - coupon.claimed);
    if (outcome.left === 0 || (outcome.left === null && won === 0 && coupon.claimed >= coupon.quantity))
      this.gone.add(couponId);
    const after: LiveCoupon = { ...live(coupon), claimed };
    outcome.answers.forEach((a, i) =>
      a instanceof Error ? batch[i].reject(a) : batch[i].resolve({ claim: a, coupon: after }),
    );
    if (won) this.broadcastSoon(couponId);
  }

  /** Every coupon the buyer holds (我的优惠券). */
  mine(userId: string): Promise<MyCoupon[]> {
    return this.repo.mine(this.db.manager, userId);
  }

  /** Which of the buyer's coupons a checkout can use (per cooperative's order), best first. */
  async quote(userId: string, req: CouponQuoteRequest): Promise<CouponQuote> {
    const amounts = await this.amounts(req.items);
    const held = await this.repo.usable(this.db.manager, [userId]);
    const usable = [...amounts]
      .flatMap(([coop, amount]) => rankCoupons(held, coop, amount))
      .sort((a, b) => b.discountFen - a.discountFen)
      .map((c) => ({ ...asMine(c), discountFen: c.discountFen }));
    return { usable, best: usable[0] ?? null };
  }

  /** What a checkout costs per cooperative before discounts, at today's prices. */
  private async amounts(items: { productId: string; quantity: number }[]): Promise<Map<string, number>> {
    const ids = [...new Set(items.map((i) => i.productId))].filter(isUuid);
    const products: { id: string; cooperative_id: string; price_fen: string }[] = ids.length
      ? await this.db.query(`SELECT id, cooperative_id, price_fen::text FROM products WHERE id = ANY($1::uuid[])`, [
          ids,
        ])
      : [];
    const byId = new Map(products.map((p) => [p.id, p]));
    const amounts = new Map<string, number>();
    for (const it of items) {
      const p = byId.get(it.productId);
      if (p) amounts.set(p.cooperative_id, (amounts.get(p.cooperative_id) ?? 0) + Number(p.price_fen) * it.quantity);
    }
    return amounts;
  }

  // ---- orders' discount hook -------------------------------------------------------------------------------

  /**
   * Before an order is placed: a coupon the buyer chose must be theirs, usable now, for a cooperative the checkout
   * buys from, and reach its threshold — else the checkout is refused (409 COUPON_NOT_USABLE) before anything is
   * written.
   */
  async precheck(buyerId: string, choice: string, items: { productId: string; quantity: number }[]): Promise<void> {
    const amounts = await this.amounts(items);
    const held = await this.repo.usable(this.db.manager, [buyerId]);
    const h = held.find((x) => x.id === choice);
    const amount = h ? amounts.get(h.cooperativeId) : undefined;
    if (!h || amount === undefined || !rankCoupons([h], h.cooperativeId, amount).length)
      throw new CouponException(
        CouponErrorCode.COUPON_NOT_USABLE,
        h && amount !== undefined
          ? `this coupon needs an order of at least ${h.minSpendFen} fen`
          : 'this coupon cannot be used on this order (used, expired, or for another cooperative)',
        { couponId: choice },
      );
  }

  /**
   * In the order's transaction: for each order, the buyer's chosen coupon (checked before by `precheck`) or the best
   * usable one, moved claimed → used by compare-and-set; a coupon lost meanwhile to another order of the same buyer
   * is passed over for the next best (never refused here: a batch of other buyers' claims shares the transaction).
   * Answers the discount per order.
   */
  private async apply(m: EntityManager, orders: DiscountCandidate[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const wanting = orders.filter((o) => o.choice !== null && o.amountFen > 1);
    if (!wanting.length) return out;
    const held = await this.repo.usable(m, [...new Set(wanting.map((o) => o.buyerId))]);
    if (!held.length) return out;
    const taken = new Set<string>();
    for (const o of wanting) {
      const mine = held.filter((h) => h.userId === o.buyerId && !taken.has(h.id));
      let ranked = rankCoupons(mine, o.cooperativeId, o.amountFen);
      if (typeof o.choice === 'string') ranked = ranked.filter((c) => c.id === o.choice);
      for (const c of ranked) {
        if (await this.repo.use(m, c.id, o.buyerId, o.orderId, c.discountFen)) {
          taken.add(c.id);
          out.set(o.orderId, c.discountFen);
          break;
        }
      }
    }
    return out;
  }

  // ---- the room's news -------------------------------------------------------------------------------------

  private broadcast(c: LiveCoupon) {
    const nsp = this.hub.namespace;
    if (!nsp) return;
    nsp.to(this.hub.viewerRooms(c.showId)).emit('coupon:changed', live(c));
  }

  /** The claimed count goes to the room at most every COUNT_EVERY_MS per coupon (read when it goes). */
  private broadcastSoon(couponId: string) {
    if (this.countTimers.has(couponId)) return;
    const t = setTimeout(() => {
      this.countTimers.delete(couponId);
      this.repo
        .coupon(this.db.manager, couponId)
        .then((c) => c && this.broadcast(c))
        .catch((e) => this.logger.warn({ err: e, couponId }, 'coupon count not broadcast'));
    }, COUNT_EVERY_MS);
    t.unref();
    this.countTimers.set(couponId, t);
  }
}

function goneRefusal() {
  return new CouponException(CouponErrorCode.COUPONS_GONE, 'every coupon of this drop has been claimed');
}

function closedRefusal() {
  return new CouponException(CouponErrorCode.COUPON_CLOSED, 'this coupon drop is closed');
}

function live(c: LiveCoupon): LiveCoupon {
  return {
    id: c.id,
    showId: c.showId,
    cooperativeId: c.cooperativeId,
    cooperativeName: c.cooperativeName,
    amountOffFen: c.amountOffFen,
    minSpendFen: c.minSpendFen,
    quantity: c.quantity,
    claimed: c.claimed,
    perViewerLimit: c.perViewerLimit,
    validity: c.validity,
    status: c.status,
    createdAt: c.createdAt,
  };
}

function myCoupon(c: CouponRow, row: { id: string; validUntil: Date | null }, now: Date): MyCoupon {
  return {
    id: row.id,
    couponId: c.id,
    showId: c.showId,
    showTitle: c.showTitle,
    cooperativeId: c.cooperativeId,
    cooperativeName: c.cooperativeName,
    amountOffFen: c.amountOffFen,
    minSpendFen: c.minSpendFen,
    status: 'usable',
    validUntil: row.validUntil?.toISOString() ?? null,
    claimedAt: now.toISOString(),
    orderId: null,
    discountFen: null,
  };
}

function asMine(c: UsableRow): MyCoupon {
  return {
    id: c.id,
    couponId: c.couponId,
    showId: c.showId,
    showTitle: c.showTitle,
    cooperativeId: c.cooperativeId,
    cooperativeName: c.cooperativeName,
    amountOffFen: c.amountOffFen,
    minSpendFen: c.minSpendFen,
    status: 'usable',
    validUntil: c.validUntil,
    claimedAt: c.claimedAt,
    orderId: null,
    discountFen: null,
  };
}
