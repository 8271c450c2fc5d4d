import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { LIVE_LIMITS, type DealLaunch, type DealReservation, type DealState } from '@xiangbo/contracts';
import { dealLaunchProblems, dealRefusal } from '@xiangbo/domain';
import { DomainEvents } from '../common/domain-events';
import { GroupedReads } from '../common/grouped-reads';
import { JobsService } from '../jobs/jobs.service';
import { ClaimsService } from '../orders/claims.service';
import { type OfferHooks, OrderHooks } from '../orders/order-hooks';
import { type BuyerForDeal, DealsRepository, type DealTermsRow } from './deals.repository';
import { LiveException } from './live.exception';
import { LiveHub } from './live-hub';
import { LiveReader } from './live-reader';
import { RoomService, SocketIdentity } from './room.service';

export const CLOSE_DEAL_JOB = 'live.close-deal';
export const CLOSE_DUE_DEALS_JOB = 'live.close-due-deals';

const PROBLEM_MESSAGES: Record<string, string> = {
  NOT_PINNED: 'pin the product before launching its deal',
  PRICE_NOT_BELOW_LIST: 'the deal price must be below the normal price',
  QUANTITY_ABOVE_STOCK: 'the deal quantity is more than the stock',
  CAP_ABOVE_QUANTITY: 'the per-buyer limit is more than the deal quantity',
  BAD_DURATION: `a deal lasts ${LIVE_LIMITS.minDealSeconds} s to ${LIVE_LIMITS.maxDealSeconds / 60} min`,
};

/**
 * Flash deals (秒杀): the host launches one on the pinned product; buyers' claims are decided in batches by orders,
 * the host, through the offer hooks this feature registers (price, reserve, release: the deal's `remaining` and the
 * product's stock in the same transaction); it closes at its end time on the server (pg-boss job, a local timer,
 * and the conditional UPDATE at buy time — whichever first).
 */
/** Buyers in one pre-read at most; deals whose pre-readers are kept. */
const MAX_PRE_READ = 1000;
const KEPT_PRE_READERS = 256;

@Injectable()
export class DealsService implements OnModuleInit {
  private readonly logger = new Logger('FlashDeals');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Per deal: its buyers' pre-reads, grouped while one is in flight (see preRead). */
  private readonly preReads = new Map<
    string,
    GroupedReads<string, { deal: DealTermsRow | null; buyer: BuyerForDeal | null }>
  >();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly claims: ClaimsService,
    private readonly orderHooks: OrderHooks,
    private readonly deals: DealsRepository,
    private readonly reader: LiveReader,
    private readonly hub: LiveHub,
    private readonly room: RoomService,
    private readonly jobs: JobsService,
    private readonly events: DomainEvents,
  ) {}

  onModuleInit() {
    this.orderHooks.registerOffer('flash-deal', this.offerHooks());
    this.jobs.register(CLOSE_DEAL_JOB, (d) => this.closeIfDue(String(d.dealId)).then(() => undefined));
    this.jobs.register(CLOSE_DUE_DEALS_JOB, () => this.closeDue().then(() => undefined), '* * * * *');
  }

  async launch(id: SocketIdentity, body: DealLaunch): Promise<DealState> {
    if (!id.userId) throw new LiveException('NOT_SIGNED_IN', 'sign in to take part');
    if (!id.showId) throw new LiveException('NOT_JOINED', 'join a show first');
    const { userId, showId } = { userId: id.userId, showId: id.showId };
    const { deal, replaced } = await this.db.transaction(async (m) => {
      await this.room.lockForHost(m, userId, showId);
      const product = await this.deals.productForLaunch(m, showId, body.productId);
      if (!product)
        throw new LiveException('NOT_FOUND', 'this product is not part of the show', { field: 'productId' });
      const problems = dealLaunchProblems(
        body,
        { listPriceFen: Number(product.price_fen), stock: product.stock, pinned: product.pinned },
        {
          minSeconds: LIVE_LIMITS.minDealSeconds,
          maxSeconds: LIVE_LIMITS.maxDealSeconds,
        },
      );
      if (problems.length) throw new LiveException('INVALID', problems.map((p) => PROBLEM_MESSAGES[p]).join('; '));
      // One deal at a time per show: launching closes the previous one.
      const replaced = await this.deals.closeOpenOfShow(m, showId);
      const dealId = await this.deals.insert(m, {
        showId,
        productId: body.productId,
        priceFen: body.priceFen,
        listPriceFen: Number(product.price_fen),
        quantity: body.quantity,
        perBuyerCap: body.perBuyerCap,
        durationSeconds: body.durationSeconds,
        createdBy: userId,
      });
      const [deal] = await this.reader.deals([dealId], m);
      return { deal, replaced };
    });
    for (const r of replaced) this.clearTimer(r);
    this.hub.change(showId, { deal });
    await this.scheduleClose(deal.id, new Date(deal.endsAt));
    return deal;
  }

  /** The host ends a deal early. */
  async closeByHost(id: SocketIdentity, dealId: string): Promise<DealState> {
    if (!id.userId || !id.showId) throw new LiveException('NOT_SIGNED_IN', 'sign in to take part');
    const { userId, showId } = { userId: id.userId, showId: id.showId };
    await this.db.transaction(async (m) => {
      await this.room.lockForHost(m, userId, showId, false);
      if (!(await this.deals.isOfShow(m, dealId, showId)))
        throw new LiveException('NOT_FOUND', 'no such deal in this show');
      await this.deals.close(m, dealId);
    });
    return this.broadcastDeal(dealId);
  }

  /** Closes a deal whose end time has come (job, timer); harmless when it is already closed. */
  async closeIfDue(dealId: string): Promise<boolean> {
    this.clearTimer(dealId);
    const closed = await this.deals.closeIfDue(this.db.manager, dealId);
    if (closed) await this.broadcastDeal(dealId);
    return closed;
  }

  /** Safety net (every minute): every open deal past its end time. */
  async closeDue(): Promise<number> {
    const closed = await this.deals.closeDue(this.db.manager);
    for (const id of closed) await this.broadcastDeal(id);
    return closed.length;
  }

  private async broadcastDeal(dealId: string): Promise<DealState> {
    const [deal] = await this.reader.deals([dealId]);
    if (!deal) throw new LiveException('NOT_FOUND', 'no such deal');
    const { showId, ...state } = deal;
    this.hub.change(showId, { deal: state });
    return state;
  }

  private async scheduleClose(dealId: string, endsAt: Date) {
    // The durable job closes it even if this process dies; the timer just makes the close instant here.
    await this.jobs.sendAt(CLOSE_DEAL_JOB, { dealId }, endsAt, `close-deal:${dealId}`);
    const t = setTimeout(
      () => void this.closeIfDue(dealId).catch((e) => this.logger.warn({ err: e, dealId }, 'closing a deal failed')),
      Math.max(0, endsAt.getTime() - Date.now()) + 20,
    );
    t.unref();
    this.timers.set(dealId, t);
  }

  private clearTimer(dealId: string) {
    const t = this.timers.get(dealId);
    if (t) clearTimeout(t);
    this.timers.delete(dealId);
  }

  /**
   * 立即抢购: a reservation of `quantity` units of the deal at the deal price, or a typed refusal. The claim joins
   * the other buyers' claims of this deal arriving at the same time (orders' batched claims): one short transaction
   * per batch takes the product's stock and, through this feature's reserve hook, the deal's units — each with ONE
   * conditional UPDATE — so buyers on any number of processes never take more than the deal holds.
   */
  async buy(id: SocketIdentity, dealId: string, quantity: number): Promise<DealReservation> {
    const buyerId = id.userId;
    if (!buyerId) throw new LiveException('NOT_SIGNED_IN', 'sign in to buy');
    // This process saw the deal's units gone a moment ago (a batch found none): SOLD_OUT without a round trip.
    if (this.claims.knownSoldOut({ offerId: dealId })) throw refusal('SOLD_OUT', 0);
    // What is checked before queueing — the deal, a ban, the default address — read for the crowd of this deal
    // arriving together in one round trip (a rush is thousands of buys in a second).
    const { deal, buyer } = await this.preRead(dealId, buyerId);
    if (!deal) throw new LiveException('NOT_FOUND', 'no such deal');
    const snapshot = {
      status: deal.status,
      startsAt: +deal.startsAt,
      endsAt: +deal.endsAt,
      remaining: deal.remaining,
    };
    // Quick refusals without any lock (the decisive check is the batch's conditional UPDATE).
    const quick = dealRefusal(snapshot, Date.now(), quantity, 0, deal.perBuyerCap);
    if (quick) throw refusal(quick, deal.perBuyerCap);
    if (buyer?.banned) throw new LiveException('BANNED', 'you were removed from this show by the host');
    if (!buyer?.address) throw new LiveException('NO_ADDRESS', 'add a shipping address first, then buy again');

    const { order, checkout } = await this.claims.claim({
      buyerId,
      productId: deal.productId,
      quantity,
      address: buyer.address,
      offerId: dealId,
    });
    return {
      orderId: order.id,
      paymentId: checkout.paymentId,
      quantity,
      amountFen: checkout.amountFen,
      expiresAt: order.expiresAt,
      payUrl: `/pay/${checkout.paymentId}`,
    };
  }

  /**
   * The deal and a buyer's ban and address, read together with the other buyers of the same deal: those of the same
   * turn of the event loop, and those arriving while a read is in flight in the next one (a rush of thousands of
   * buys is a few queries, not one per turn racing the batches' transactions for the pool).
   */
  private preRead(dealId: string, buyerId: string): Promise<{ deal: DealTermsRow | null; buyer: BuyerForDeal | null }> {
    let reads = this.preReads.get(dealId);
    if (!reads) {
      reads = new GroupedReads(
        async (buyerIds) => {
          const { deal, buyers } = await this.deals.forBuyers(this.db.manager, dealId, buyerIds);
          return new Map(buyerIds.map((id) => [id, { deal, buyer: buyers.get(id) ?? null }]));
        },
        () => ({ deal: null, buyer: null }),
        MAX_PRE_READ,
      );
      this.preReads.set(dealId, reads);
      // deals come and go: the readers of the oldest are dropped (a new one is made if it is bought again)
      if (this.preReads.size > KEPT_PRE_READERS) this.preReads.delete(this.preReads.keys().next().value as string);
    }
    return reads.load(buyerId);
  }

  /** The flash deal's part in an order (orders is the host; see OrderHooks): price, reserve, release, refusals. */
  private offerHooks(): OfferHooks {
    return {
      terms: async (m, dealId) => {
        const d = await this.deals.terms(m, dealId);
        if (!d) throw new LiveException('NOT_FOUND', 'no such deal');
        const quick = dealRefusal(
          { status: d.status, startsAt: +d.startsAt, endsAt: +d.endsAt, remaining: d.remaining },
          Date.now(),
          1,
          0,
          d.perBuyerCap,
        );
        if (quick) throw refusal(quick, d.perBuyerCap);
        return { productId: d.productId, unitPriceFen: d.priceFen, perBuyerCap: d.perBuyerCap, showId: d.showId };
      },
      reserve: async (m, dealId, want) => {
        const took = await this.deals.takeUpTo(m, dealId, want);
        if (took) {
          this.events.publish(m, 'deal.changed', { dealId });
          return took;
        }
        const open = await this.deals.isOpen(m, dealId);
        return { taken: 0, refusal: open ? refusal('SOLD_OUT', 0) : refusal('DEAL_CLOSED', 0) };
      },
      release: async (m, dealId, quantity) => {
        await this.deals.giveBack(m, dealId, quantity);
        this.events.publish(m, 'deal.changed', { dealId });
      },
      refusal: (code, { cap }) => refusal(code, cap ?? 0),
    };
  }

  onApplicationShutdown() {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}

function refusal(code: 'DEAL_CLOSED' | 'SOLD_OUT' | 'CAP_REACHED', cap: number): LiveException {
  const message = {
    DEAL_CLOSED: 'this deal has ended',
    SOLD_OUT: 'sold out',
    CAP_REACHED: `at most ${cap} per buyer in this deal`,
  }[code];
  return new LiveException(code, message);
}
