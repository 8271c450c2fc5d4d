import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type {
  AddressInput,
  ConsoleGroupOffer,
  GroupBuyView,
  GroupOfferRequest,
  GroupSeatResponse,
  MyGroupOrder,
  OpenGroupSummary,
} from '@xiangbo/contracts';
import { maskName } from '@xiangbo/domain';
import { AppException } from '../common/app.exception';
import { cooperativeScope, isUuid } from '../common/cooperative-scope';
import type { Principal } from '../auth/principal';
import { CatalogCache } from '../catalog/catalog-cache';
import { JobsService } from '../jobs/jobs.service';
import { ClaimsService } from '../orders/claims.service';
import { LifecycleService } from '../orders/lifecycle.service';
import { OrderHooks, type OfferHooks } from '../orders/order-hooks';
import { StorageService } from '../storage/storage.service';
import { GroupBuyErrorCode, GroupBuyException } from './group-buys.exception';
import { GroupBuysRepository, type GroupRow } from './group-buys.repository';
import { DomainEvents } from '../common/domain-events';

export const GROUP_SETTLE_JOB = 'group-buys.settle';
export const GROUP_SWEEP_JOB = 'group-buys.sweep';
export const GROUP_OFFER_KIND = 'group-buy';

/** A seat still holding after this long never got its order (a claim is decided in well under a second). */
const ORPHAN_SEAT_MS = 120_000;

/**
 * A member whose order was placed within the window but whose payment is still on its way when the window ends (a
 * bank app, a Stripe webhook a few seconds late) is waited for this long: the group is decided once no seat is
 * pending payment, or at the window's end plus this, whichever first; a payment confirmed in that time counts.
 * No seat can be taken after the window, and a pending order expires on its own within RESERVATION_SECONDS.
 */
export const GROUP_PAYMENT_GRACE_MS = 20 * 60_000;

const REFUND_REASON = '拼团未成团，系统自动全额退款 (the group did not form in time: automatic full refund)';

const notFound = () => new GroupBuyException(GroupBuyErrorCode.GROUP_NOT_FOUND, 'group not found');

/**
 * 拼团. A group is opened by a buyer under a product's offer; each member's order is an ordinary order of one line
 * at the group price, placed through orders' claims with the member's seat as its offer (orders' hooks below): the
 * seat is taken under the group's row lock (never more than `size` live seats, one per buyer), becomes pending when
 * the order is written, paid when the order is paid — and when `size` seats are paid within the window the group
 * is formed in that same payment transaction. A group whose window ends short fails (job at its end, and a sweep
 * every minute), and each paid member's order is refunded in full through orders' refund path: the refund is opened
 * in the same transaction that marks the seat refunding (so once per seat), then sent to the provider with the key
 * refund:<id> (so a re-run after a crash sends it again, and the provider applies it once).
 */
@Injectable()
export class GroupBuysService implements OnModuleInit {
  private readonly logger = new Logger('GroupBuys');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repo: GroupBuysRepository,
    private readonly claims: ClaimsService,
    private readonly lifecycle: LifecycleService,
    private readonly hooks: OrderHooks,
    private readonly jobs: JobsService,
    private readonly storage: StorageService,
    private readonly catalog: CatalogCache,
    private readonly events: DomainEvents,
  ) {}

  onModuleInit() {
    this.hooks.registerOffer(GROUP_OFFER_KIND, this.offerHooks());
    this.jobs.register(GROUP_SETTLE_JOB, (d) => this.settle(String(d.groupId)).then(() => undefined));
    this.jobs.register(GROUP_SWEEP_JOB, () => this.settleDue().then(() => undefined), '* * * * *');
  }

  // ---- the cooperative's offer ----------------------------------------------------------------------------

  private async managedProduct(m: EntityManager, p: Principal, productId: string) {
    const product = isUuid(productId) ? await this.repo.productWithOffer(m, productId) : null;
    const scope = product ? cooperativeScope(p, product.cooperative_id, 'manage') : 'not_found';
    if (!product || scope === 'not_found')
      throw new GroupBuyException(GroupBuyErrorCode.PRODUCT_NOT_FOUND, 'product not found');
    if (scope === 'forbidden')
      throw new GroupBuyException(GroupBuyErrorCode.NOT_COOPERATIVE_ADMIN, "only the cooperative's admins can do this");
    return product;
  }

  async consoleOffer(p: Principal, productId: string): Promise<ConsoleGroupOffer> {
    const m = this.db.manager;
    const product = await this.managedProduct(m, p, productId);
    const groups = await this.repo.groupsOfProduct(m, productId);
    return {
      productId,
      priceFen: Number(product.price_fen),
      offer: product.offer
        ? {
            size: product.offer.size,
            groupPriceFen: Number(product.offer.group_price_fen),
            windowHours: product.offer.window_hours,
            active: product.offer.active,
          }
        : null,
      groups: groups.map((g) => ({
        id: g.id,
        status: g.status,
        size: g.size,
        joined: g.paid,
        expiresAt: g.expires_at.toISOString(),
        createdAt: g.created_at.toISOString(),
      })),
    };
  }

  /** Sets the product's group offer; groups already open keep the size and price they opened with. */
  async setOffer(p: Principal, productId: string, body: GroupOfferRequest): Promise<ConsoleGroupOffer> {
    await this.db.transaction(async (m) => {
      const product = await this.managedProduct(m, p, productId);
      // The product row is locked so the price compared is the price in force.
      const [{ price_fen }] = await m.query(`SELECT price_fen FROM products WHERE id = $1 FOR UPDATE`, [productId]);
      if (body.groupPriceFen >= Number(price_fen))
        throw new GroupBuyException(
          GroupBuyErrorCode.GROUP_PRICE_NOT_BELOW,
          'the group price must be below the normal price',
          {
            field: 'groupPriceFen',
            priceFen: Number(price_fen),
          },
        );
      await this.repo.saveOffer(m, {
        productId,
        cooperativeId: product.cooperative_id,
        size: body.size,
        groupPriceFen: body.groupPriceFen,
        windowHours: body.windowHours,
        active: body.active ?? true,
        by: p.userId,
      });
    });
    // The product page and the ?kind=group list show the offer: drop this process's cached answers.
    this.catalog.productChanged(productId);
    this.catalog.lists.invalidateAll();
    return this.consoleOffer(p, productId);
  }

  // ---- the buyers -----------------------------------------------------------------------------------------

  /** Opens a group: the group and the opener's seat in one transaction, then the opener's order at the group price. */
  async open(buyerId: string, productId: string, quantity: number, address: AddressInput): Promise<GroupSeatResponse> {
    const { groupId, memberId, expiresAt } = await this.db.transaction(async (m) => {
      const offer = await this.repo.offer(m, productId, true);
      if (!offer || !offer.on_sale)
        throw new GroupBuyException(GroupBuyErrorCode.PRODUCT_NOT_FOUND, 'product not found', { productId });
      if (!offer.active)
        throw new GroupBuyException(GroupBuyErrorCode.NO_GROUP_OFFER, 'this product has no group price', { productId });
      const g = await this.repo.insertGroup(m, {
        productId,
        cooperativeId: offer.cooperative_id,
        leaderId: buyerId,
        size: offer.size,
        groupPriceFen: Number(offer.group_price_fen),
        windowHours: offer.window_hours,
      });
      const memberId = await this.repo.insertMember(m, { groupId: g.id, buyerId, leader: true, quantity });
      return { groupId: g.id, memberId, expiresAt: g.expires_at };
    });
    await this.jobs.sendAt(GROUP_SETTLE_JOB, { groupId }, expiresAt, `group-settle:${groupId}`);
    return this.order(groupId, memberId, buyerId, productId, quantity, address);
  }

  /**
   * Joins a group: the seat is decided under the group's row lock (open, window not over, a seat free, not already
   * a member), then the member's order. Concurrent joins to the last seat queue on the lock; one gets it.
   */
  async join(buyerId: string, groupId: string, quantity: number, address: AddressInput): Promise<GroupSeatResponse> {
    if (!isUuid(groupId)) throw notFound();
    const { memberId, productId } = await this.db.transaction(async (m) => {
      const g = await this.repo.lockGroup(m, groupId);
      if (!g) throw notFound();
      this.assertJoinable(g);
      const seats = await this.repo.seats(m, groupId, buyerId);
      if (seats.mine)
        throw new GroupBuyException(GroupBuyErrorCode.ALREADY_JOINED, 'you are already in this group', { groupId });
      if (seats.taken >= g.size)
        throw new GroupBuyException(GroupBuyErrorCode.GROUP_FULL, 'every seat of this group is taken', { groupId });
      const memberId = await this.repo.insertMember(m, { groupId, buyerId, leader: false, quantity });
      return { memberId, productId: g.product_id };
    });
    return this.order(groupId, memberId, buyerId, productId, quantity, address);
  }

  private assertJoinable(g: GroupRow, now = new Date()) {
    if (g.status === 'formed')
      throw new GroupBuyException(GroupBuyErrorCode.GROUP_FORMED, 'this group is already formed', { groupId: g.id });
    if (g.status === 'failed')
      throw new GroupBuyException(GroupBuyErrorCode.GROUP_FAILED, 'this group did not form in time', { groupId: g.id });
    if (g.expires_at <= now)
      throw new GroupBuyException(GroupBuyErrorCode.GROUP_EXPIRED, 'the time to join this group is over', {
        groupId: g.id,
      });
  }

  /** The seat's order through orders' claims (the seat is its offer); the seat is given up if no order is placed. */
  private async order(
    groupId: string,
    memberId: string,
    buyerId: string,
    productId: string,
    quantity: number,
    address: AddressInput,
  ): Promise<GroupSeatResponse> {
    let placed;
    try {
      placed = await this.claims.claim({ buyerId, productId, quantity, address, offerId: memberId });
    } catch (e) {
      await this.db.transaction((m) => this.repo.leave(m, memberId, ['holding'])).catch(() => undefined);
      throw this.translate(e);
    }
    await this.db.transaction((m) => this.repo.setOrder(m, memberId, placed.order.id, placed.checkout.paymentId));
    return {
      groupId,
      orderId: placed.order.id,
      paymentId: placed.checkout.paymentId,
      amountFen: placed.checkout.amountFen,
    };
  }

  /** Orders' refusals in the group's words (a refusal orders hands out names no offer, so it may be a deal's). */
  private translate(e: unknown): unknown {
    if (e instanceof AppException && /SOLD_OUT/.test(e.code) && !(e instanceof GroupBuyException))
      return new GroupBuyException(GroupBuyErrorCode.SOLD_OUT, 'not enough stock left for this group', e.details);
    return e;
  }

  /** The shared page: public (the link opens signed out); `mine` for the signed-in viewer. */
  async view(groupId: string, viewerId: string | null): Promise<GroupBuyView> {
    if (!isUuid(groupId)) throw notFound();
    const g = await this.repo.view(this.db.manager, groupId);
    if (!g) throw notFound();
    const live = g.members;
    const paid = live.filter((s) => s.status === 'paid' || s.status === 'refunding');
    const me = viewerId ? live.find((s) => s.buyer_id === viewerId) : undefined;
    return {
      id: g.id,
      status: g.status,
      size: g.size,
      joined: paid.length,
      holding: live.length - paid.length,
      expiresAt: g.expires_at.toISOString(),
      createdAt: g.created_at.toISOString(),
      formedAt: g.formed_at?.toISOString() ?? null,
      groupPriceFen: Number(g.group_price_fen),
      product: {
        id: g.product_id,
        nameZh: g.name_zh,
        nameEn: g.name_en,
        unit: g.unit,
        priceFen: Number(g.price_fen),
        coverThumbUrl: g.thumb_key ? this.storage.url(g.thumb_key) : null,
      },
      members: live.map((s) => ({
        name: maskName(s.name),
        leader: s.leader,
        paid: s.status === 'paid' || s.status === 'refunding',
      })),
      mine: me ? { orderId: me.order_id, paid: me.status === 'paid' || me.status === 'refunding' } : null,
    };
  }

  async openGroups(productId: string): Promise<OpenGroupSummary[]> {
    if (!isUuid(productId)) return [];
    const rows = await this.repo.openGroups(this.db.manager, productId, new Date());
    return rows.map((r) => ({
      id: r.id,
      size: r.size,
      joined: r.paid,
      expiresAt: r.expires_at.toISOString(),
      leaderName: maskName(r.leader_name),
    }));
  }

  async mine(buyerId: string): Promise<MyGroupOrder[]> {
    const rows = await this.repo.seatsOfBuyer(this.db.manager, buyerId);
    return rows.map((r) => ({ orderId: r.order_id, groupId: r.group_id, status: r.status, refunded: r.refunded }));
  }

  /** The cooperative's group orders (staff who may read its orders; 404 for everyone else). */
  async cooperativeOrders(p: Principal, cooperativeId: string): Promise<MyGroupOrder[]> {
    if (cooperativeScope(p, cooperativeId, 'read') !== 'ok')
      throw new GroupBuyException(GroupBuyErrorCode.GROUP_NOT_FOUND, 'not found');
    const rows = await this.repo.seatsOfCooperative(this.db.manager, cooperativeId);
    return rows.map((r) => ({ orderId: r.order_id, groupId: r.group_id, status: r.status, refunded: r.refunded }));
  }

  // ---- the clock: forming and failing ---------------------------------------------------------------------

  /**
   * Decides a group whose window is over (open → failed, or formed if it filled at the last moment), then refunds
   * the paid seats of a failed group that are not refunded yet. Safe to run any number of times, concurrently.
   */
  async settle(groupId: string, now = new Date()): Promise<{ refunded: number }> {
    const status = await this.db.transaction(async (m) => {
      const g = await this.repo.lockGroup(m, groupId);
      if (!g) return null;
      if (g.status === 'open' && g.expires_at <= now) {
        const paid = await this.repo.paidCount(m, groupId);
        // Payments still on their way are waited for (the sweep comes back every minute).
        const waiting =
          paid < g.size &&
          now.getTime() < g.expires_at.getTime() + GROUP_PAYMENT_GRACE_MS &&
          (await this.repo.pendingCount(m, groupId)) > 0;
        if (waiting) return 'open';
        const to = paid >= g.size ? 'formed' : 'failed';
        if (await this.repo.moveGroup(m, groupId, to)) this.events.publish(m, 'group.decided', { groupId, status: to });
        return to;
      }
      return g.status;
    });
    if (status !== 'failed') return { refunded: 0 };
    let refunded = 0;
    for (const seat of await this.repo.seatsToRefund(this.db.manager, groupId)) {
      // Once per seat: the refund is opened in the transaction that moves the seat paid → refunding.
      const refundId = await this.db.transaction(async (m) => {
        const s = await this.repo.member(m, seat.id, true);
        if (!s) return null;
        if (s.status === 'refunding') return s.refund_id;
        if (s.status !== 'paid' || !s.order_id) return null;
        const id = await this.lifecycle.openSystemRefund(m, s.order_id, REFUND_REASON);
        await this.repo.setRefunding(m, s.id, id);
        return id;
      });
      if (!refundId) continue;
      try {
        // Sends it only while it is pending; the provider's idempotency key is refund:<id>.
        await this.lifecycle.executeRefund(refundId);
        refunded++;
      } catch (e) {
        if (!(e instanceof AppException)) throw e; // anything unexpected stops the run; the sweep resumes it
        this.logger.error({ err: e, groupId, refundId }, 'the provider refused a group refund; a person must look');
      }
    }
    return { refunded };
  }

  /**
   * The sweep: seats left holding by a process that died before placing their order are given back, then every
   * group whose window is over, and failed groups with seats still to refund.
   */
  async settleDue(now = new Date()): Promise<number> {
    await this.db.transaction((m) => this.repo.releaseOrphanSeats(m, now, ORPHAN_SEAT_MS));
    let n = 0;
    for (const id of await this.repo.groupsDue(this.db.manager, now)) {
      await this.settle(id, now);
      n++;
    }
    return n;
  }

  // ---- orders' hooks: the seat is the offer of its member's order -----------------------------------------

  private offerHooks(): OfferHooks {
    const seatGone = () =>
      new GroupBuyException(GroupBuyErrorCode.SEAT_GONE, 'your seat in this group was given up; please join again');
    return {
      owns: (m, id) => this.repo.isMember(m, id),
      terms: async (m, id) => {
        const t = await this.repo.seatTerms(m, id);
        if (!t || t.status !== 'holding') throw seatGone();
        return { productId: t.product_id, unitPriceFen: Number(t.group_price_fen), perBuyerCap: null, showId: null };
      },
      reserve: async (m, id, want) => {
        const taken = await this.repo.seatOrdered(m, id, want);
        if (taken !== null) return { taken, left: 0 };
        const s = await this.repo.member(m, id);
        return {
          taken: 0,
          refusal:
            s?.status === 'holding'
              ? new GroupBuyException(GroupBuyErrorCode.SOLD_OUT, 'not enough stock left for this group')
              : seatGone(),
        };
      },
      release: async (m, id) => {
        await this.repo.leave(m, id);
      },
      afterPayment: async (m, id, _quantity, orderId) => {
        const g = await this.repo.lockGroupOfMember(m, id);
        if (!g) return;
        await this.repo.markPaid(m, id, orderId);
        // Formed by the payment that fills it, inside the window or its grace for payments on their way (the order
        // was placed inside the window); a payment after a failure is refunded by the sweep.
        if (
          g.status === 'open' &&
          Date.now() < g.expires_at.getTime() + GROUP_PAYMENT_GRACE_MS &&
          (await this.repo.paidCount(m, g.id)) >= g.size &&
          (await this.repo.moveGroup(m, g.id, 'formed'))
        )
          this.events.publish(m, 'group.decided', { groupId: g.id, status: 'formed' });
      },
      mayShip: async (m, id) => {
        const g = await this.repo.lockGroupOfMember(m, id);
        if (g && g.status !== 'formed')
          return new GroupBuyException(GroupBuyErrorCode.GROUP_NOT_FORMED, 'this order ships once its group is formed');
        return null;
      },
      refusal: (code) =>
        code === 'SOLD_OUT'
          ? new GroupBuyException(GroupBuyErrorCode.SOLD_OUT, 'not enough stock left for this group')
          : new GroupBuyException(GroupBuyErrorCode.ALREADY_JOINED, 'you are already in this group'),
    };
  }
}
