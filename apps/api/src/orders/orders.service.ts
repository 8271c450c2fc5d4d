import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { AddressInput, CheckoutDto, OrderDto, PlaceOrderRequest, PlaceOrderResponse } from '@xiangbo/contracts';
import { canTransition, type OrderStatus } from '@xiangbo/domain';
import type { Principal } from '../auth/principal';
import { cooperativeScope } from '../common/cooperative-scope';
import { DomainEvents } from '../common/domain-events';
import { APP_CONFIG, AppConfig } from '../config/config';
import { JobsService } from '../jobs/jobs.service';
import { PAYMENT_PROVIDER, type PaymentProvider } from '../payments/payment-provider';
import { Address } from './entities/address.entity';
import { CartItem } from './entities/cart-item.entity';
import { OrderEvent } from './entities/order-event.entity';
import { OrderLine } from './entities/order-line.entity';
import { Order } from './entities/order.entity';
import { Payment } from './entities/payment.entity';
import { Refund } from './entities/refund.entity';
import { Reservation } from './entities/reservation.entity';
import { OrderErrorCode, OrderException } from './orders.exception';
import { ClaimsService, ORDER_EXPIRE_JOB, orderNumber } from './claims.service';
import { OrderHooks } from './order-hooks';
import { OrdersRepository, ReservedProduct } from './orders.repository';

export { ORDER_EXPIRE_JOB };

/** Most units of one product in one order (one line per product; repeated lines are merged and count together). */
export const MAX_UNITS_PER_PRODUCT = 999;

export type Actor = { kind: 'buyer' | 'cooperative' | 'system' | 'provider'; id: string | null };

/** Where an order was placed: a live show (its ticker and summary count it). */
export interface OrderContext {
  showId?: string;
}

@Injectable()
export class OrdersService {
  private readonly logger = new Logger('OrdersService');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    private readonly jobs: JobsService,
    private readonly events: DomainEvents,
    private readonly repo: OrdersRepository,
    private readonly hooks: OrderHooks,
    private readonly claims: ClaimsService,
  ) {}

  /**
   * Places the orders of one checkout (one per cooperative) and reserves their stock, all in one transaction:
   * either every line is reserved or nothing is written. Then asks the provider for a payment intent.
   * A checkout of one product goes through the batched claims (a product pinned in a live show gets its rush at
   * the ordinary checkout too): decided with the other buyers' claims of that product arriving at the same time.
   */
  async place(buyerId: string, req: PlaceOrderRequest, context: OrderContext = {}): Promise<PlaceOrderResponse> {
    // One line per product: repeated lines are merged, and their sum is held to the per-line cap.
    const merged = new Map<string, number>();
    for (const it of req.items) merged.set(it.productId, (merged.get(it.productId) ?? 0) + it.quantity);
    for (const [productId, quantity] of merged)
      if (quantity > MAX_UNITS_PER_PRODUCT)
        throw new OrderException(
          OrderErrorCode.TOO_MANY_UNITS,
          `at most ${MAX_UNITS_PER_PRODUCT} of one product per order (its lines count together)`,
          { productId, limit: MAX_UNITS_PER_PRODUCT },
        );
    // A purchase started in a live room names its show: counted in the show's GMV only if it is live and lists them.
    if (req.showId) {
      await this.checkShow(req.showId, [...merged.keys()]);
      context = { ...context, showId: req.showId };
    }
    const address = req.address ?? (await this.savedAddress(buyerId, req.addressId as string));
    // A coupon the buyer chose: refused now (409) if it cannot apply, before anything is written.
    if (typeof req.couponId === 'string')
      await this.hooks.discount()?.precheck(
        buyerId,
        req.couponId,
        [...merged].map(([productId, quantity]) => ({ productId, quantity })),
      );
    const items = [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : 1)); // fixed lock order: no deadlocks
    // A product sold only under a feature's offer (a pre-sale: the deposit is the price) is bought under it, alone.
    const offers = await Promise.all(items.map(([id]) => this.hooks.productOffer(this.db.manager, id)));
    if (items.length > 1) {
      const i = offers.findIndex((o) => o !== null);
      if (i >= 0) throw offers[i]?.hooks.notWithOthers(items[i][0]);
    }
    if (items.length === 1) {
      const [[productId, quantity]] = items;
      const { order, checkout } = await this.claims.claim({
        buyerId,
        productId,
        quantity,
        address,
        fromCart: req.fromCart,
        showId: context.showId,
        ...(offers[0] ? { offerId: offers[0].offerId } : {}),
        couponId: req.couponId,
      });
      return { ...order, checkout, orders: [order] };
    }

    const { paymentId, orderIds } = await this.db.transaction(async (m) => {
      // 1. What is being bought, read without locks; refuse early what cannot work (cheap, no rows written).
      const products = await this.repo.readProducts(
        m,
        items.map(([id]) => id),
      );
      const reserved: { product: ReservedProduct; quantity: number }[] = [];
      for (const [productId, quantity] of items) {
        const product = products.get(productId);
        if (!product || !product.onSale)
          throw new OrderException(OrderErrorCode.PRODUCT_UNAVAILABLE, 'this product is not on sale', { productId });
        if (product.stock < quantity) throw soldOut(productId, product.stock);
        // 2. Per-buyer limits, serialised per (buyer, product).
        if (product.perBuyerLimit !== null) {
          await this.repo.lockBuyerKeys(m, [`${buyerId}:${productId}`]);
          const held = (await this.repo.unitsHeld(m, [buyerId], { productId })).get(buyerId) ?? 0;
          if (held + quantity > product.perBuyerLimit) {
            throw new OrderException(
              OrderErrorCode.LIMIT_REACHED,
              `you can buy at most ${product.perBuyerLimit} of this product`,
              {
                productId,
                limit: product.perBuyerLimit,
                alreadyHeld: held,
              },
            );
          }
        }
        reserved.push({ product, quantity });
      }
      // 3. The orders, lines, reservations and events — before any hot row is locked.
      const created = await this.createOrders(
        m,
        buyerId,
        address,
        reserved,
        context,
        req.fromCart ? items.map(([id]) => id) : [],
      );
      // 4. Take the stock LAST, one conditional UPDATE per product (at the price the lines were written with):
      //    a product's row is locked only from here to COMMIT, so racing buyers queue on it as briefly as possible.
      for (const { product, quantity } of reserved) {
        const taken = await this.repo.takeStock(m, product.id, quantity, product.priceFen);
        if (!taken) throw await this.refusal(m, product.id, product.priceFen);
        this.events.publish(m, 'stock.changed', { productId: product.id });
      }
      // 5. A live coupon (the discount hook) on the order of its cooperative, by compare-and-set; totals lowered.
      const discount = this.hooks.discount();
      if (discount && req.couponId !== null) {
        const amounts = new Map<string, number>();
        for (const { product, quantity } of reserved)
          amounts.set(product.cooperativeId, (amounts.get(product.cooperativeId) ?? 0) + product.priceFen * quantity);
        const off = await discount.apply(
          m,
          created.orders.map((o) => ({
            orderId: o.id,
            buyerId,
            cooperativeId: o.cooperativeId,
            showId: context.showId ?? null,
            amountFen: amounts.get(o.cooperativeId) ?? 0,
            choice: req.couponId,
          })),
        );
        await this.repo.applyDiscounts(m, off);
      }
      return created;
    });

    const expiresAt = new Date(Date.now() + this.config.RESERVATION_SECONDS * 1000);
    await this.jobs.sendAt(ORDER_EXPIRE_JOB, { paymentId }, expiresAt, `expire:${paymentId}`);
    const checkout = await this.ensureIntent(buyerId, paymentId);
    const orders = await Promise.all(orderIds.map((id) => this.dto(id)));
    return { ...orders[0], checkout, orders };
  }

  /**
   * A follow-on order (a pre-sale's balance): one line of a product whose units an earlier order already holds, so
   * it takes no stock and holds no reservation; pending payment with its own payment, in the caller's transaction.
   * It expires like any other (the caller sends the expiry job after COMMIT: `expireLater`); the line names the offer
   * it belongs to, whose hooks decide after payment and before shipping.
   */
  async placeFollowOn(
    m: EntityManager,
    f: {
      buyerId: string;
      cooperativeId: string;
      productId: string;
      productName: string;
      unit: string;
      unitPriceFen: number;
      quantity: number;
      address: AddressInput;
      offerId: string;
      note: string;
    },
  ): Promise<{ orderId: string; paymentId: string; expiresAt: Date }> {
    const expiresAt = new Date(Date.now() + this.config.RESERVATION_SECONDS * 1000);
    const total = f.unitPriceFen * f.quantity;
    const payment = await m.getRepository(Payment).save(
      m.getRepository(Payment).create({
        buyerId: f.buyerId,
        provider: this.provider.name,
        amountFen: total,
        currency: 'CNY',
        status: 'pending',
      }),
    );
    const order = await m.getRepository(Order).save(
      m.getRepository(Order).create({
        number: orderNumber(),
        buyerId: f.buyerId,
        cooperativeId: f.cooperativeId,
        paymentId: payment.id,
        status: 'pending_payment',
        subtotalFen: total,
        shippingFen: 0,
        totalFen: total,
        refundedFen: 0,
        currency: 'CNY',
        address: f.address,
        buyerProvince: f.address.province,
        expiresAt,
        showId: null,
      }),
    );
    await m.getRepository(OrderLine).insert({
      orderId: order.id,
      productId: f.productId,
      productName: f.productName,
      unit: f.unit,
      unitPriceFen: f.unitPriceFen,
      quantity: f.quantity,
      lineTotalFen: total,
      dealId: f.offerId,
    });
    await this.recordEvent(m, order.id, null, 'pending_payment', { kind: 'buyer', id: f.buyerId }, f.note);
    return { orderId: order.id, paymentId: payment.id, expiresAt };
  }

  /** After the COMMIT of a follow-on order: its expiry (the sweep catches it if this is lost). */
  async expireLater(paymentId: string, at: Date): Promise<void> {
    await this.jobs.sendAt(ORDER_EXPIRE_JOB, { paymentId }, at, `expire:${paymentId}`);
  }

  /** The show a purchase names is live now and lists every product ordered (one read, no locks). */
  private async checkShow(showId: string, productIds: string[]): Promise<void> {
    const [show] = (await this.db.query(
      `SELECT s.status, ARRAY(SELECT sp.product_id::text FROM show_products sp
                               WHERE sp.show_id = s.id AND sp.product_id = ANY($2::uuid[])) AS listed
         FROM shows s WHERE s.id = $1`,
      [showId, productIds],
    )) as { status: string; listed: string[] }[];
    if (!show || show.status !== 'live')
      throw new OrderException(OrderErrorCode.SHOW_NOT_LIVE, 'this live show is not on air now', { showId });
    const listed = new Set(show.listed);
    const missing = productIds.filter((id) => !listed.has(id));
    if (missing.length)
      throw new OrderException(OrderErrorCode.PRODUCT_NOT_IN_SHOW, 'this product is not sold in this live show', {
        showId,
        productIds: missing,
      });
  }

  private async createOrders(
    m: EntityManager,
    buyerId: string,
    address: AddressInput,
    reserved: { product: ReservedProduct; quantity: number }[],
    context: OrderContext,
    clearCartProductIds: string[],
  ): Promise<{ paymentId: string; orderIds: string[]; orders: { id: string; cooperativeId: string }[] }> {
    const expiresAt = new Date(Date.now() + this.config.RESERVATION_SECONDS * 1000);
    const unitPrice = (p: ReservedProduct) => p.priceFen;
    const total = reserved.reduce((s, r) => s + unitPrice(r.product) * r.quantity, 0);
    const payment = await m
      .getRepository(Payment)
      .save(
        m
          .getRepository(Payment)
          .create({ buyerId, provider: this.provider.name, amountFen: total, currency: 'CNY', status: 'pending' }),
      );
    const byCoop = new Map<string, typeof reserved>();
    for (const r of reserved) byCoop.set(r.product.cooperativeId, [...(byCoop.get(r.product.cooperativeId) ?? []), r]);
    const orderIds: string[] = [];
    const orders: { id: string; cooperativeId: string }[] = [];
    for (const [cooperativeId, lines] of byCoop) {
      const subtotal = lines.reduce((s, r) => s + unitPrice(r.product) * r.quantity, 0);
      const order = await m.getRepository(Order).save(
        m.getRepository(Order).create({
          number: orderNumber(),
          buyerId,
          cooperativeId,
          paymentId: payment.id,
          status: 'pending_payment',
          subtotalFen: subtotal,
          shippingFen: 0,
          totalFen: subtotal,
          refundedFen: 0,
          currency: 'CNY',
          address,
          buyerProvince: address.province,
          expiresAt,
          showId: context.showId ?? null,
        }),
      );
      orderIds.push(order.id);
      orders.push({ id: order.id, cooperativeId });
      await m.getRepository(OrderLine).insert(
        lines.map((r) => ({
          orderId: order.id,
          productId: r.product.id,
          productName: r.product.nameZh,
          unit: r.product.unit,
          unitPriceFen: unitPrice(r.product),
          quantity: r.quantity,
          lineTotalFen: unitPrice(r.product) * r.quantity,
          dealId: null,
        })),
      );
      await m.getRepository(Reservation).insert(
        lines.map((r) => ({
          orderId: order.id,
          productId: r.product.id,
          dealId: null,
          quantity: r.quantity,
          expiresAt,
        })),
      );
      await this.recordEvent(m, order.id, null, 'pending_payment', { kind: 'buyer', id: buyerId }, '');
    }
    if (clearCartProductIds.length) {
      await m.getRepository(CartItem).delete({ userId: buyerId, productId: In(clearCartProductIds) });
    }
    return { paymentId: payment.id, orderIds, orders };
  }

  /** Why the stock UPDATE took nothing: gone/unpublished, the price just changed, or not enough stock. */
  private async refusal(m: EntityManager, productId: string, expectedPriceFen: number): Promise<OrderException> {
    const row = await this.repo.stockState(m, productId);
    if (!row || !row.onSale) {
      return new OrderException(OrderErrorCode.PRODUCT_UNAVAILABLE, 'this product is not on sale', { productId });
    }
    if (row.priceFen !== expectedPriceFen) {
      return new OrderException(
        OrderErrorCode.PRICE_CHANGED,
        'the price has just changed; please check and order again',
        {
          productId,
          priceFen: row.priceFen,
        },
      );
    }
    return soldOut(productId, row.stock);
  }

  private async savedAddress(buyerId: string, addressId: string): Promise<AddressInput> {
    const a = await this.db.getRepository(Address).findOne({ where: { id: addressId, userId: buyerId } });
    if (!a) throw new OrderException(OrderErrorCode.ADDRESS_NOT_FOUND, 'address not found');
    return {
      recipient: a.recipient,
      mobile: a.mobile,
      province: a.province,
      city: a.city,
      district: a.district,
      detail: a.detail,
    };
  }

  /** Creates the provider's payment intent once (idempotent per payment); returns what the browser needs to pay. */
  async ensureIntent(buyerId: string, paymentId: string): Promise<CheckoutDto> {
    const repo = this.db.getRepository(Payment);
    const payment = await repo
      .createQueryBuilder('p')
      .addSelect('p.client_secret')
      .where('p.id = :id AND p.buyer_id = :b', { id: paymentId, b: buyerId })
      .getOne();
    if (!payment) throw new OrderException(OrderErrorCode.PAYMENT_NOT_FOUND, 'payment not found');
    const orders = await this.db.getRepository(Order).find({ where: { paymentId }, order: { createdAt: 'ASC' } });
    if (!payment.providerRef && payment.status === 'pending' && orders.some((o) => o.status === 'pending_payment')) {
      try {
        const intent = await this.provider.createIntent({
          paymentId,
          amountFen: payment.amountFen,
          currency: 'CNY',
          buyerId,
          description: `乡播订单 ${orders.map((o) => o.number).join(', ')}`,
          metadata: { paymentId, orderNumbers: orders.map((o) => o.number).join(',') },
        });
        await repo.update({ id: paymentId }, { providerRef: intent.providerRef, clientSecret: intent.clientSecret });
        payment.providerRef = intent.providerRef;
        payment.clientSecret = intent.clientSecret;
      } catch (e) {
        // The orders exist and hold stock; the buyer can retry paying until they expire.
        this.logger.warn({ err: e, paymentId }, 'payment provider did not create an intent');
      }
    }
    return {
      paymentId,
      provider: payment.provider,
      clientSecret: payment.clientSecret,
      amountFen: payment.amountFen,
      orderIds: orders.map((o) => o.id),
      paymentStatus: payment.status,
    };
  }

  async recordEvent(
    m: EntityManager,
    orderId: string,
    from: OrderStatus | null,
    to: OrderStatus,
    actor: Actor,
    note: string,
  ) {
    await m.getRepository(OrderEvent).insert({
      orderId,
      fromStatus: from,
      toStatus: to,
      actorKind: actor.kind,
      actorId: actor.id,
      note: note.slice(0, 300),
    });
  }

  /** Moves an order (locked by the caller) to `to`, refusing transitions the state machine does not allow. */
  async transition(
    m: EntityManager,
    order: Order,
    to: OrderStatus,
    actor: Actor,
    note = '',
    extra: Partial<Order> = {},
  ): Promise<void> {
    if (!canTransition(order.status, to)) {
      throw new OrderException(
        OrderErrorCode.INVALID_TRANSITION,
        `an order that is ${order.status} cannot become ${to}`,
        {
          status: order.status,
        },
      );
    }
    if (to === 'shipped' && this.hooks.hasOffers())
      // Before shipping: an offer may hold its orders back (a group-buy order ships once its group is formed).
      for (const u of await this.repo.offerUnits(m, order.id)) {
        const refusal = await this.hooks.offerHooks().mayShip?.(m, u.offerId, order.id);
        if (refusal) throw refusal;
      }
    const from = order.status;
    const stamp: Partial<Order> =
      {
        paid: { paidAt: new Date() },
        shipped: { shippedAt: new Date() },
        delivered: { deliveredAt: new Date() },
        completed: { completedAt: new Date() },
        cancelled: { cancelledAt: new Date() },
      }[to as 'paid'] ?? {};
    await m.getRepository(Order).update({ id: order.id }, { status: to, ...stamp, ...extra });
    Object.assign(order, { status: to, ...stamp, ...extra });
    await this.recordEvent(m, order.id, from, to, actor, note);
    if (to === 'paid') {
      // After payment: the offers the order was bought under (their hooks, in this transaction).
      if (this.hooks.hasOffers())
        for (const u of await this.repo.offerUnits(m, order.id))
          await this.hooks.offerHooks().afterPayment?.(m, u.offerId, u.quantity, order.id);
      this.events.publish(m, 'order.paid', {
        orderId: order.id,
        cooperativeId: order.cooperativeId,
        showId: order.showId,
        totalFen: order.totalFen,
        buyerProvince: order.buyerProvince,
      });
    }
  }

  async lockOrder(m: EntityManager, orderId: string): Promise<Order | null> {
    return m
      .getRepository(Order)
      .createQueryBuilder('o')
      .setLock('pessimistic_write')
      .where('o.id = :id', { id: orderId })
      .getOne();
  }

  /** Cancels the unpaid orders of a payment and gives their stock back (expiry, the buyer, or the provider). */
  async cancelUnpaid(m: EntityManager, orderIds: string[], actor: Actor, note: string): Promise<number> {
    let cancelled = 0;
    for (const id of orderIds) {
      const order = await this.lockOrder(m, id);
      if (!order || order.status !== 'pending_payment') continue;
      // Each held reservation is released once (conditional UPDATE); its stock comes back, and the units of the
      // offer it was bought under go back through that offer's release hook (lock order: product, then offer).
      for (const r of await this.repo.releaseHeld(m, id)) {
        await this.repo.returnStock(m, r.productId, r.quantity);
        if (r.offerId) await this.hooks.offerHooks().release(m, r.offerId, r.quantity);
        this.events.publish(m, 'stock.changed', { productId: r.productId });
      }
      // Its live coupon goes back to the buyer, once (the discount's compare-and-set).
      await this.hooks.discount()?.release(m, id);
      await this.transition(m, order, 'cancelled', actor, note);
      cancelled++;
    }
    return cancelled;
  }

  // ---- reading -------------------------------------------------------------------------------------------

  /** An order for its buyer or its cooperative's staff; 404 for everyone else (existence is not revealed). */
  async readable(principal: Principal, orderId: string): Promise<Order> {
    const order = /^[0-9a-f-]{36}$/i.test(orderId)
      ? await this.db.getRepository(Order).findOne({ where: { id: orderId } })
      : null;
    if (
      !order ||
      (order.buyerId !== principal.userId && cooperativeScope(principal, order.cooperativeId, 'read') !== 'ok')
    ) {
      throw new OrderException(OrderErrorCode.ORDER_NOT_FOUND, 'order not found');
    }
    return order;
  }

  async listForBuyer(buyerId: string, status: OrderStatus | undefined, page: number, pageSize: number) {
    const [rows, total] = await this.db.getRepository(Order).findAndCount({
      where: { buyerId, ...(status ? { status } : {}) },
      order: { createdAt: 'DESC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { items: await this.dtos(rows.map((r) => r.id)), total, page, pageSize };
  }

  async dto(orderId: string): Promise<OrderDto> {
    const [d] = await this.dtos([orderId]);
    if (!d) throw new OrderException(OrderErrorCode.ORDER_NOT_FOUND, 'order not found');
    return d;
  }

  /** Orders with lines, events, refunds and cooperative names in four queries, whatever the count. */
  async dtos(orderIds: string[]): Promise<OrderDto[]> {
    if (!orderIds.length) return [];
    const orders = await this.db
      .getRepository(Order)
      .find({ where: { id: In(orderIds) }, relations: { cooperative: true } });
    const lines = await this.db.getRepository(OrderLine).find({ where: { orderId: In(orderIds) } });
    const events = await this.db
      .getRepository(OrderEvent)
      .find({ where: { orderId: In(orderIds) }, order: { at: 'ASC' } });
    const refunds = await this.db
      .getRepository(Refund)
      .find({ where: { orderId: In(orderIds) }, order: { createdAt: 'ASC' } });
    const byId = new Map(orders.map((o) => [o.id, o]));
    return orderIds
      .map((id) => byId.get(id))
      .filter((o): o is Order => Boolean(o))
      .map((o) => ({
        id: o.id,
        number: o.number,
        status: o.status,
        cooperative: { id: o.cooperativeId, name: o.cooperative?.name ?? '' },
        lines: lines
          .filter((l) => l.orderId === o.id)
          .map((l) => ({
            id: l.id,
            productId: l.productId,
            productName: l.productName,
            unit: l.unit,
            unitPriceFen: l.unitPriceFen,
            quantity: l.quantity,
            lineTotalFen: l.lineTotalFen,
          })),
        subtotalFen: o.subtotalFen,
        shippingFen: o.shippingFen,
        totalFen: o.totalFen,
        refundedFen: o.refundedFen,
        currency: o.currency,
        address: o.address,
        carrier: o.carrier,
        trackingNumber: o.trackingNumber,
        expiresAt: o.expiresAt.toISOString(),
        paidAt: o.paidAt?.toISOString() ?? null,
        createdAt: o.createdAt.toISOString(),
        paymentId: o.paymentId,
        events: events
          .filter((e) => e.orderId === o.id)
          .map((e) => ({
            fromStatus: e.fromStatus,
            toStatus: e.toStatus,
            actorKind: e.actorKind,
            note: e.note,
            at: e.at.toISOString(),
          })),
        refunds: refunds
          .filter((r) => r.orderId === o.id)
          .map((r) => ({
            id: r.id,
            amountFen: r.amountFen,
            reason: r.reason,
            status: r.status,
            decisionNote: r.decisionNote,
            createdAt: r.createdAt.toISOString(),
          })),
      }));
  }
}

function soldOut(productId: string, available: number): OrderException {
  return new OrderException(OrderErrorCode.SOLD_OUT, available > 0 ? `only ${available} left` : 'sold out', {
    productId,
    available,
  });
}
