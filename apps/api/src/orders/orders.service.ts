import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomInt } from 'node:crypto';
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
import { lockBuyerProduct, releaseReservation, ReservedProduct, takeStock, unitsHeldByBuyer } from './stock';

export const ORDER_EXPIRE_JOB = 'orders.expire';

export type Actor = { kind: 'buyer' | 'cooperative' | 'system' | 'provider'; id: string | null };

/** Extra terms for an order placed in a live show (flash deal price, deal reservation). */
export interface LiveTerms {
  showId: string;
  dealId?: string;
  unitPriceFen?: number;
  /**
   * Runs inside the order's transaction after the order rows are written, just before the stock UPDATE, e.g.
   * to take the flash deal's quantity with its own conditional UPDATE; throwing (sold out, cap reached, deal
   * closed) rolls everything back.
   */
  inTransaction?: (m: EntityManager) => Promise<void>;
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
  ) {}

  /**
   * Places the orders of one checkout (one per cooperative) and reserves their stock, all in one transaction:
   * either every line is reserved or nothing is written. Then asks the provider for a payment intent.
   */
  async place(buyerId: string, req: PlaceOrderRequest, live?: LiveTerms): Promise<PlaceOrderResponse> {
    const address = req.address ?? (await this.savedAddress(buyerId, req.addressId as string));
    const merged = new Map<string, number>();
    for (const it of req.items) merged.set(it.productId, (merged.get(it.productId) ?? 0) + it.quantity);
    const items = [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : 1)); // fixed lock order: no deadlocks

    const { paymentId, orderIds } = await this.db.transaction(async (m) => {
      // 1. What is being bought, read without locks; refuse early what cannot work (cheap, no rows written).
      const products = await readProducts(
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
          await lockBuyerProduct(m, buyerId, productId);
          const held = await unitsHeldByBuyer(m, buyerId, productId);
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
        live,
        req.fromCart ? items.map(([id]) => id) : [],
      );
      // 4. Take the stock LAST, one conditional UPDATE per product (at the price the lines were written with):
      //    a product's row is locked only from here to COMMIT, so racing buyers queue on it as briefly as possible.
      if (live?.inTransaction) await live.inTransaction(m);
      for (const { product, quantity } of reserved) {
        const taken = await takeStock(m, product.id, quantity, product.priceFen);
        if (!taken) throw await this.refusal(m, product.id, product.priceFen);
        this.events.publish(m, 'stock.changed', { productId: product.id });
      }
      return created;
    });

    const expiresAt = new Date(Date.now() + this.config.RESERVATION_SECONDS * 1000);
    await this.jobs.sendAt(ORDER_EXPIRE_JOB, { paymentId }, expiresAt, `expire:${paymentId}`);
    const checkout = await this.ensureIntent(buyerId, paymentId);
    const orders = await Promise.all(orderIds.map((id) => this.dto(id)));
    return { ...orders[0], checkout, orders };
  }

  private async createOrders(
    m: EntityManager,
    buyerId: string,
    address: AddressInput,
    reserved: { product: ReservedProduct; quantity: number }[],
    live: LiveTerms | undefined,
    clearCartProductIds: string[],
  ): Promise<{ paymentId: string; orderIds: string[] }> {
    const expiresAt = new Date(Date.now() + this.config.RESERVATION_SECONDS * 1000);
    const unitPrice = (p: ReservedProduct) => live?.unitPriceFen ?? p.priceFen;
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
          showId: live?.showId ?? null,
        }),
      );
      orderIds.push(order.id);
      await m.getRepository(OrderLine).insert(
        lines.map((r) => ({
          orderId: order.id,
          productId: r.product.id,
          productName: r.product.nameZh,
          unit: r.product.unit,
          unitPriceFen: unitPrice(r.product),
          quantity: r.quantity,
          lineTotalFen: unitPrice(r.product) * r.quantity,
          dealId: live?.dealId ?? null,
        })),
      );
      await m.getRepository(Reservation).insert(
        lines.map((r) => ({
          orderId: order.id,
          productId: r.product.id,
          dealId: live?.dealId ?? null,
          quantity: r.quantity,
          expiresAt,
        })),
      );
      await this.recordEvent(m, order.id, null, 'pending_payment', { kind: 'buyer', id: buyerId }, '');
    }
    if (clearCartProductIds.length) {
      await m.getRepository(CartItem).delete({ userId: buyerId, productId: In(clearCartProductIds) });
    }
    return { paymentId: payment.id, orderIds };
  }

  /** Why the stock UPDATE took nothing: gone/unpublished, the price just changed, or not enough stock. */
  private async refusal(m: EntityManager, productId: string, expectedPriceFen: number): Promise<OrderException> {
    const [row]: { stock: number; published: boolean; approved: boolean; price_fen: string }[] = await m.query(
      `SELECT p.stock, p.published, p.price_fen, c.status = 'approved' AS approved FROM products p JOIN cooperatives c ON c.id = p.cooperative_id WHERE p.id = $1`,
      [productId],
    );
    if (!row || !row.published || !row.approved) {
      return new OrderException(OrderErrorCode.PRODUCT_UNAVAILABLE, 'this product is not on sale', { productId });
    }
    if (Number(row.price_fen) !== expectedPriceFen) {
      return new OrderException(
        OrderErrorCode.PRICE_CHANGED,
        'the price has just changed; please check and order again',
        {
          productId,
          priceFen: Number(row.price_fen),
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
      const held = await m.getRepository(Reservation).find({ where: { orderId: id, status: 'held' } });
      for (const r of held) {
        if (await releaseReservation(m, r.id)) {
          this.events.publish(m, 'stock.changed', { productId: r.productId });
          if (r.dealId) this.events.publish(m, 'deal.changed', { dealId: r.dealId });
        }
      }
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

/** The products of an order as they are now (no locks), with whether each is on sale. */
async function readProducts(
  m: EntityManager,
  ids: string[],
): Promise<Map<string, ReservedProduct & { stock: number; onSale: boolean }>> {
  const rows: {
    id: string;
    cooperative_id: string;
    name_zh: string;
    unit: string;
    price_fen: string;
    per_buyer_limit: number | null;
    stock: number;
    on_sale: boolean;
  }[] = await m.query(
    `SELECT p.id, p.cooperative_id, p.name_zh, p.unit, p.price_fen, p.per_buyer_limit, p.stock, (p.published AND c.status = 'approved') AS on_sale
       FROM products p JOIN cooperatives c ON c.id = p.cooperative_id WHERE p.id = ANY($1::uuid[])`,
    [ids],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        cooperativeId: r.cooperative_id,
        nameZh: r.name_zh,
        unit: r.unit,
        priceFen: Number(r.price_fen),
        perBuyerLimit: r.per_buyer_limit,
        stock: r.stock,
        onSale: r.on_sale,
      },
    ]),
  );
}

/** XB + yymmdd + 8 random digits: readable on a phone call, unique by index (collision odds ~1e-8 per day-pair). */
function orderNumber(): string {
  const d = new Date();
  const ymd = `${String(d.getUTCFullYear()).slice(2)}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
  return `XB${ymd}${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
}
