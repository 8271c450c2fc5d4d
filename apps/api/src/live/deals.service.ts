import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  LIVE_LIMITS,
  type AddressInput,
  type DealLaunch,
  type DealReservation,
  type DealState,
} from '@xiangbo/contracts';
import { dealLaunchProblems, dealRefusal } from '@xiangbo/domain';
import { DomainEvents } from '../common/domain-events';
import { JobsService } from '../jobs/jobs.service';
import { OrdersService } from '../orders/orders.service';
import { LiveException } from './live.exception';
import { LiveHub, rowsOf } from './live-hub';
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
 * Flash deals (秒杀): the host launches one on the pinned product; buyers take it through the orders' one atomic
 * reservation path (the deal's `remaining` and the product's stock in the same transaction); it closes at its
 * end time on the server (pg-boss job, a local timer, and the conditional UPDATE at buy time — whichever first).
 */
@Injectable()
export class DealsService implements OnModuleInit {
  private readonly logger = new Logger('FlashDeals');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly gates = new Map<string, Gate>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly orders: OrdersService,
    private readonly reader: LiveReader,
    private readonly hub: LiveHub,
    private readonly room: RoomService,
    private readonly jobs: JobsService,
    private readonly events: DomainEvents,
  ) {}

  onModuleInit() {
    this.jobs.register(CLOSE_DEAL_JOB, (d) => this.closeIfDue(String(d.dealId)).then(() => undefined));
    this.jobs.register(CLOSE_DUE_DEALS_JOB, () => this.closeDue().then(() => undefined), '* * * * *');
  }

  async launch(id: SocketIdentity, body: DealLaunch): Promise<DealState> {
    if (!id.userId) throw new LiveException('NOT_SIGNED_IN', 'sign in to take part');
    if (!id.showId) throw new LiveException('NOT_JOINED', 'join a show first');
    const { userId, showId } = { userId: id.userId, showId: id.showId };
    const { deal, replaced } = await this.db.transaction(async (m) => {
      await this.room.lockForHost(m, userId, showId);
      const [product] = await m.query(
        `SELECT p.price_fen, p.stock, (pn.id IS NOT NULL) AS pinned FROM products p
           JOIN show_products sp ON sp.product_id = p.id AND sp.show_id = $1
           LEFT JOIN pins pn ON pn.show_id = $1 AND pn.product_id = p.id AND pn.unpinned_at IS NULL
          WHERE p.id = $2`,
        [showId, body.productId],
      );
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
      const replaced = await m
        .query(
          `UPDATE flash_deals SET status = 'closed', closed_at = now() WHERE show_id = $1 AND status = 'open' RETURNING id`,
          [showId],
        )
        .then(rowsOf);
      const [row] = await m
        .query(
          `INSERT INTO flash_deals (show_id, product_id, price_fen, list_price_fen, quantity, remaining, per_buyer_cap, starts_at, ends_at, status, created_by)
           VALUES ($1, $2, $3, $4, $5, $5, $6, now(), now() + make_interval(secs => $7), 'open', $8) RETURNING id`,
          [
            showId,
            body.productId,
            body.priceFen,
            Number(product.price_fen),
            body.quantity,
            body.perBuyerCap,
            body.durationSeconds,
            userId,
          ],
        )
        .then(rowsOf);
      const [deal] = await this.reader.deals([String(row.id)], m);
      return { deal, replaced: replaced.map((r) => String(r.id)) };
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
      const [found] = await m.query(`SELECT 1 FROM flash_deals WHERE id = $1 AND show_id = $2`, [dealId, showId]);
      if (!found) throw new LiveException('NOT_FOUND', 'no such deal in this show');
      await m.query(`UPDATE flash_deals SET status = 'closed', closed_at = now() WHERE id = $1 AND status = 'open'`, [
        dealId,
      ]);
    });
    return this.broadcastDeal(dealId);
  }

  /** Closes a deal whose end time has come (job, timer); harmless when it is already closed. */
  async closeIfDue(dealId: string): Promise<boolean> {
    this.clearTimer(dealId);
    const rows = await this.db
      .query(
        `UPDATE flash_deals SET status = 'closed', closed_at = now() WHERE id = $1 AND status = 'open' AND ends_at <= now() RETURNING id`,
        [dealId],
      )
      .then(rowsOf);
    if (rows.length) await this.broadcastDeal(dealId);
    return rows.length > 0;
  }

  /** Safety net (every minute): every open deal past its end time. */
  async closeDue(): Promise<number> {
    const rows = await this.db
      .query(
        `UPDATE flash_deals SET status = 'closed', closed_at = now() WHERE status = 'open' AND ends_at <= now() RETURNING id`,
      )
      .then(rowsOf);
    for (const r of rows) await this.broadcastDeal(String(r.id));
    return rows.length;
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
   * 立即抢购: a reservation of `quantity` units of the deal at the deal price, or a typed refusal. The deal's
   * quantity is taken by ONE conditional UPDATE inside the order's transaction (before the product's stock),
   * so concurrent buyers on any number of processes can never take more than the deal holds.
   */
  async buy(id: SocketIdentity, dealId: string, quantity: number): Promise<DealReservation> {
    const buyerId = id.userId;
    if (!buyerId) throw new LiveException('NOT_SIGNED_IN', 'sign in to buy');
    // One round trip for everything checked before queueing: the deal, a ban, the default address.
    const [deal] = await this.db.query(
      `SELECT d.show_id, d.product_id, d.price_fen, d.per_buyer_cap, d.remaining, d.status, d.starts_at, d.ends_at,
              EXISTS (SELECT 1 FROM show_moderation b WHERE b.show_id = d.show_id AND b.user_id = $2 AND b.kind = 'ban') AS banned,
              (SELECT row_to_json(a) FROM (SELECT recipient, mobile, province, city, district, detail FROM addresses
                 WHERE user_id = $2 ORDER BY is_default DESC, created_at DESC LIMIT 1) a) AS address
         FROM flash_deals d WHERE d.id = $1`,
      [dealId, buyerId],
    );
    if (!deal) throw new LiveException('NOT_FOUND', 'no such deal');
    const snapshot = {
      status: deal.status,
      startsAt: +new Date(deal.starts_at),
      endsAt: +new Date(deal.ends_at),
      remaining: deal.remaining,
    };
    // Quick refusals without any lock (the decisive check is the conditional UPDATE below).
    const quick = dealRefusal(snapshot, Date.now(), quantity, 0, deal.per_buyer_cap);
    if (quick) throw refusal(quick, deal.per_buyer_cap);
    if (deal.banned) throw new LiveException('BANNED', 'you were removed from this show by the host');
    const address = deal.address as AddressInput | null;
    if (!address) throw new LiveException('NO_ADDRESS', 'add a shipping address first, then buy again');

    const placed = await this.gate(dealId).run(async () => {
      // Queued behind earlier buyers of this deal: once it is gone, answer without opening a transaction.
      const [now] = await this.db.query(`SELECT remaining, status, ends_at FROM flash_deals WHERE id = $1`, [dealId]);
      if (now.status !== 'open' || new Date(now.ends_at).getTime() <= Date.now())
        throw refusal('DEAL_CLOSED', deal.per_buyer_cap);
      if (now.remaining < quantity) throw refusal('SOLD_OUT', deal.per_buyer_cap);
      return this.orders.place(
        buyerId,
        {
          items: [{ productId: deal.product_id, quantity }],
          address,
        },
        {
          showId: deal.show_id,
          dealId,
          unitPriceFen: Number(deal.price_fen),
          inTransaction: (m) => this.takeDeal(m, buyerId, dealId, deal.product_id, quantity, deal.per_buyer_cap),
        },
      );
    });
    return {
      orderId: placed.id,
      paymentId: placed.checkout.paymentId,
      quantity,
      amountFen: placed.checkout.amountFen,
      expiresAt: placed.expiresAt,
      payUrl: `/pay/${placed.checkout.paymentId}`,
    };
  }

  /**
   * Buyers of one deal enter the order transaction a few at a time per process. The row locks decide anyway;
   * this only keeps a crowd of buyers from parking every pooled connection on a lock wait (which starves the
   * winners' own follow-up queries): the rest wait in memory and, once the deal is gone, get SOLD_OUT at once.
   */
  private gate(dealId: string): Gate {
    let g = this.gates.get(dealId);
    if (!g) {
      g = new Gate(DEAL_CONCURRENCY, () => this.gates.delete(dealId));
      this.gates.set(dealId, g);
    }
    return g;
  }

  private async takeDeal(
    m: EntityManager,
    buyerId: string,
    dealId: string,
    productId: string,
    quantity: number,
    cap: number,
  ): Promise<void> {
    // Losers of a race fail here at once instead of queueing for the row locks (a plain read: the UPDATE decides).
    const [now] = await m.query(`SELECT remaining FROM flash_deals WHERE id = $1`, [dealId]);
    if (now && now.remaining < quantity) throw refusal('SOLD_OUT', cap);
    // The per-buyer cap: this buyer's buys of this deal one at a time (the lock is only theirs), counted before
    // the contended row locks so the locked section stays short.
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`deal:${dealId}:${buyerId}`]);
    // Orders written by THIS transaction (orders may write the lines before calling us) are not "held before".
    const [held] = await m.query(
      `SELECT COALESCE(SUM(l.quantity), 0)::int AS n FROM order_lines l JOIN orders o ON o.id = l.order_id
        WHERE o.buyer_id = $1 AND l.deal_id = $2 AND o.status NOT IN ('cancelled', 'refunded')
          AND o.xmin::text::bigint <> txid_current() % 4294967296`,
      [buyerId, dealId],
    );
    if (held.n + quantity > cap) throw refusal('CAP_REACHED', cap);
    // Lock order product → deal, the same as orders' releaseReservation (stock back, then the deal): no deadlock.
    await m.query(`SELECT 1 FROM products WHERE id = $1 FOR NO KEY UPDATE`, [productId]);
    const taken = await m
      .query(
        `UPDATE flash_deals SET remaining = remaining - $2
          WHERE id = $1 AND status = 'open' AND starts_at <= now() AND ends_at > now() AND remaining >= $2 RETURNING remaining`,
        [dealId, quantity],
      )
      .then(rowsOf);
    if (!taken.length) {
      const [d] = await m.query(`SELECT status, ends_at, remaining FROM flash_deals WHERE id = $1`, [dealId]);
      const closed = !d || d.status !== 'open' || new Date(d.ends_at).getTime() <= Date.now();
      throw refusal(closed ? 'DEAL_CLOSED' : 'SOLD_OUT', cap);
    }
    this.events.publish(m, 'deal.changed', { dealId });
  }

  onApplicationShutdown() {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}

/** Buys of one deal in flight at once per process (one in the locked section, the others finishing up). */
const DEAL_CONCURRENCY = Number(process.env.LIVE_DEAL_CONCURRENCY ?? 3);

/** A small counting semaphore; `onIdle` when nothing runs or waits. */
class Gate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(
    private readonly limit: number,
    private readonly onIdle: () => void,
  ) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      const next = this.waiting.shift();
      if (next) next();
      else if (this.active === 0) this.onIdle();
    }
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
