import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { fenToYuanString, refundableFen } from '@xiangbo/domain';
import type { Principal } from '../auth/principal';
import { cooperativeScope } from '../common/cooperative-scope';
import { APP_CONFIG, AppConfig } from '../config/config';
import { JobsService } from '../jobs/jobs.service';
import { PAYMENT_PROVIDER, type PaymentProvider } from '../payments/payment-provider';
import { Order } from './entities/order.entity';
import { Payment } from './entities/payment.entity';
import { Refund } from './entities/refund.entity';
import { OrderErrorCode, OrderException } from './orders.exception';
import { Actor, ORDER_EXPIRE_JOB, OrdersService } from './orders.service';
import { OrderPaymentEffects } from './payment-effects.service';
import { OrderHooks } from './order-hooks';

export const EXPIRE_SWEEP_JOB = 'orders.expire-sweep';
export const AUTO_COMPLETE_JOB = 'orders.auto-complete';
export const REFUND_JOB = 'orders.execute-refund';

/**
 * Everything that moves an order after it is placed: the buyer (cancel, confirm receipt, ask for a refund),
 * the cooperative (ship, deliver, refund) and the clock (expiry, auto-completion).
 */
@Injectable()
export class LifecycleService implements OnModuleInit {
  private readonly logger = new Logger('OrderLifecycle');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    private readonly orders: OrdersService,
    private readonly effects: OrderPaymentEffects,
    private readonly jobs: JobsService,
    private readonly hooks: OrderHooks,
  ) {}

  onModuleInit() {
    this.jobs.register(ORDER_EXPIRE_JOB, (d) => this.expirePayment(String(d.paymentId)).then(() => undefined));
    this.jobs.register(EXPIRE_SWEEP_JOB, () => this.expireDue().then(() => undefined), '* * * * *');
    this.jobs.register(AUTO_COMPLETE_JOB, () => this.autoComplete().then(() => undefined), '*/10 * * * *');
    this.jobs.register(REFUND_JOB, (d) => this.executeRefund(String(d.refundId)));
  }

  // ---- the clock ------------------------------------------------------------------------------------------

  /**
   * Expires a checkout whose orders were not paid in time. Asks the provider first (a payment that succeeded at
   * the last second is honoured, never cancelled), cancels the provider's intent, then releases the stock once.
   */
  async expirePayment(paymentId: string, now = new Date()): Promise<number> {
    const payment = await this.db.getRepository(Payment).findOne({ where: { id: paymentId } });
    if (!payment || payment.status === 'succeeded') return 0;
    const due = await this.db.getRepository(Order).find({ where: { paymentId, status: 'pending_payment' } });
    if (!due.length || due.some((o) => o.expiresAt > now)) return 0;
    if (payment.providerRef) {
      const state = await this.provider.retrieve(payment.providerRef);
      if (state.status === 'succeeded') {
        await this.db.transaction((m) => this.effects.paymentSucceeded(m, state));
        return 0;
      }
      try {
        await this.provider.cancel(payment.providerRef, payment.id);
      } catch (e) {
        const again = await this.provider.retrieve(payment.providerRef);
        if (again.status === 'succeeded') {
          await this.db.transaction((m) => this.effects.paymentSucceeded(m, again));
          return 0;
        }
        this.logger.warn({ err: e, paymentId }, 'could not cancel the payment intent; expiring the orders anyway');
      }
    }
    return this.db.transaction(async (m) => {
      await m.getRepository(Payment).update({ id: paymentId, status: 'pending' }, { status: 'canceled' });
      return this.orders.cancelUnpaid(
        m,
        due.map((o) => o.id),
        { kind: 'system', id: null },
        'not paid in time: reservation expired',
      );
    });
  }

  /** Safety net for the per-order jobs: every checkout whose reservation time is over. */
  async expireDue(now = new Date()): Promise<number> {
    const rows: { payment_id: string }[] = await this.db.query(
      `SELECT DISTINCT payment_id FROM orders WHERE status = 'pending_payment' AND expires_at <= $1 LIMIT 500`,
      [now],
    );
    let n = 0;
    for (const r of rows) n += await this.expirePayment(r.payment_id, now);
    return n;
  }

  /**
   * Orders the buyer never confirmed complete AUTO_COMPLETE_DAYS after delivery (the buyer's window to check the
   * produce and ask for a refund starts when the parcel is signed for), or after shipping when no delivery was seen.
   */
  async autoComplete(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.AUTO_COMPLETE_DAYS * 86400_000);
    const rows: { id: string }[] = await this.db.query(
      `SELECT id FROM orders
        WHERE (status = 'shipped' AND shipped_at <= $1) OR (status = 'delivered' AND COALESCE(delivered_at, shipped_at) <= $1)
        LIMIT 1000`,
      [cutoff],
    );
    let n = 0;
    for (const r of rows) {
      await this.db.transaction(async (m) => {
        const order = await this.orders.lockOrder(m, r.id);
        if (!order || (order.status !== 'shipped' && order.status !== 'delivered')) return;
        await this.orders.transition(
          m,
          order,
          'completed',
          { kind: 'system', id: null },
          `completed automatically after ${this.config.AUTO_COMPLETE_DAYS} days`,
        );
        n++;
      });
    }
    return n;
  }

  // ---- the buyer ------------------------------------------------------------------------------------------

  async cancelByBuyer(p: Principal, orderId: string) {
    const order = await this.orders.readable(p, orderId);
    if (order.buyerId !== p.userId) throw new OrderException(OrderErrorCode.ORDER_NOT_FOUND, 'order not found');
    if (order.status !== 'pending_payment') {
      throw new OrderException(
        OrderErrorCode.INVALID_TRANSITION,
        'only an unpaid order can be cancelled; ask for a refund instead',
      );
    }
    // The whole checkout is one payment: cancelling one order cancels its siblings too.
    const payment = await this.db.getRepository(Payment).findOne({ where: { id: order.paymentId } });
    if (payment?.providerRef) {
      const state = await this.provider.retrieve(payment.providerRef);
      if (state.status === 'succeeded')
        throw new OrderException(OrderErrorCode.INVALID_TRANSITION, 'this order has just been paid');
      await this.provider.cancel(payment.providerRef, payment.id).catch(() => undefined);
    }
    const siblings = await this.db.getRepository(Order).find({ where: { paymentId: order.paymentId } });
    await this.db.transaction(async (m) => {
      await m.getRepository(Payment).update({ id: order.paymentId, status: 'pending' }, { status: 'canceled' });
      await this.orders.cancelUnpaid(
        m,
        siblings.map((o) => o.id),
        { kind: 'buyer', id: p.userId },
        'cancelled by the buyer',
      );
    });
    return this.orders.dto(order.id);
  }

  async confirmReceipt(p: Principal, orderId: string) {
    const order = await this.orders.readable(p, orderId);
    if (order.buyerId !== p.userId) throw new OrderException(OrderErrorCode.ORDER_NOT_FOUND, 'order not found');
    await this.db.transaction(async (m) => {
      const o = await this.orders.lockOrder(m, orderId);
      if (!o) throw new OrderException(OrderErrorCode.ORDER_NOT_FOUND, 'order not found');
      const actor: Actor = { kind: 'buyer', id: p.userId };
      if (o.status === 'shipped') await this.orders.transition(m, o, 'delivered', actor, 'received');
      await this.orders.transition(m, o, 'completed', actor, 'the buyer confirmed receipt');
    });
    return this.orders.dto(orderId);
  }

  async requestRefund(p: Principal, orderId: string, reason: string, amountFen?: number) {
    const order = await this.orders.readable(p, orderId);
    if (order.buyerId !== p.userId) throw new OrderException(OrderErrorCode.ORDER_NOT_FOUND, 'order not found');
    if (!['paid', 'shipped', 'delivered', 'completed'].includes(order.status)) {
      throw new OrderException(OrderErrorCode.INVALID_TRANSITION, 'only a paid order can be refunded');
    }
    await this.db.transaction(async (m) => {
      const o = (await this.orders.lockOrder(m, orderId)) as Order;
      const amount = await this.checkRefundable(m, o, amountFen);
      await m.getRepository(Refund).insert({
        orderId,
        paymentId: o.paymentId,
        amountFen: amount,
        reason,
        status: 'requested',
        requestedBy: p.userId,
      });
      await this.orders.recordEvent(
        m,
        orderId,
        o.status,
        o.status,
        { kind: 'buyer', id: p.userId },
        `refund requested: ${reason}`,
      );
    });
    return this.orders.dto(orderId);
  }

  /**
   * A buyer's refund request opened in the caller's transaction (after-sales: the request and its refund commit
   * together). The order is locked and checked like requestRefund's; returns the refund's id, which the
   * cooperative then accepts or declines through decideRefund (the one path that sends money back).
   */
  async openBuyerRefund(
    m: import('typeorm').EntityManager,
    buyerId: string,
    orderId: string,
    reason: string,
    amountFen?: number,
  ): Promise<string> {
    const o = await this.orders.lockOrder(m, orderId);
    if (!o || o.buyerId !== buyerId) throw new OrderException(OrderErrorCode.ORDER_NOT_FOUND, 'order not found');
    if (!['paid', 'shipped', 'delivered', 'completed'].includes(o.status)) {
      throw new OrderException(OrderErrorCode.INVALID_TRANSITION, 'only a paid order can be refunded');
    }
    const amount = await this.checkRefundable(m, o, amountFen);
    const ins = await m.getRepository(Refund).insert({
      orderId,
      paymentId: o.paymentId,
      amountFen: amount,
      reason: reason.slice(0, 300),
      status: 'requested',
      requestedBy: buyerId,
    });
    await this.orders.recordEvent(
      m,
      orderId,
      o.status,
      o.status,
      { kind: 'buyer', id: buyerId },
      `refund requested: ${reason}`,
    );
    return ins.identifiers[0].id as string;
  }

  /** The amount to refund: the one asked (refused above what is left), or all that is left, or with `upTo` at most that. */
  private async checkRefundable(
    m: import('typeorm').EntityManager,
    o: Order,
    amountFen?: number,
    upTo = false,
  ): Promise<number> {
    const open = await m.getRepository(Refund).find({ where: { orderId: o.id, status: In(['requested', 'pending']) } });
    const room = refundableFen(o.totalFen, o.refundedFen) - open.reduce((s, r) => s + r.amountFen, 0);
    const amount = amountFen === undefined ? room : upTo ? Math.min(amountFen, room) : amountFen;
    if (amount <= 0 || amount > room) {
      throw new OrderException(
        OrderErrorCode.REFUND_TOO_LARGE,
        `at most ¥${fenToYuanString(Math.max(0, room))} can still be refunded`,
        { refundableFen: room },
      );
    }
    return amount;
  }

  // ---- the cooperative ------------------------------------------------------------------------------------

  /** Orders of a cooperative: coop_admin manages; a host may read; others learn nothing (404). */
  assertScope(p: Principal, cooperativeId: string, mode: 'read' | 'manage') {
    const s = cooperativeScope(p, cooperativeId, mode);
    if (s === 'not_found') throw new OrderException(OrderErrorCode.ORDER_NOT_FOUND, 'order not found');
    if (s === 'forbidden')
      throw new OrderException(OrderErrorCode.NOT_COOPERATIVE_ADMIN, "only the cooperative's admins can do this");
  }

  private async managedOrder(p: Principal, orderId: string): Promise<Order> {
    const order = /^[0-9a-f-]{36}$/i.test(orderId)
      ? await this.db.getRepository(Order).findOne({ where: { id: orderId } })
      : null;
    if (!order) throw new OrderException(OrderErrorCode.ORDER_NOT_FOUND, 'order not found');
    this.assertScope(p, order.cooperativeId, 'manage');
    return order;
  }

  async ship(p: Principal, orderId: string, carrier: string, trackingNumber: string) {
    await this.managedOrder(p, orderId);
    await this.db.transaction(async (m) => {
      const o = (await this.orders.lockOrder(m, orderId)) as Order;
      await this.orders.transition(
        m,
        o,
        'shipped',
        { kind: 'cooperative', id: p.userId },
        `${carrier} ${trackingNumber}`,
        { carrier, trackingNumber },
      );
    });
    return this.orders.dto(orderId);
  }

  /** Ships many orders at once, all or nothing: one bad line refuses the batch, naming it. */
  async shipBatch(
    p: Principal,
    cooperativeId: string,
    items: { orderId: string; carrier: string; trackingNumber: string }[],
  ) {
    this.assertScope(p, cooperativeId, 'manage');
    await this.db.transaction(async (m) => {
      for (const [i, it] of items.entries()) {
        const o = await this.orders.lockOrder(m, it.orderId);
        if (!o || o.cooperativeId !== cooperativeId) {
          throw new OrderException(OrderErrorCode.ORDER_NOT_FOUND, `orders.${i}: order not found`, { index: i });
        }
        if (o.status !== 'paid') {
          throw new OrderException(
            OrderErrorCode.INVALID_TRANSITION,
            `orders.${i}: order ${o.number} is ${o.status}, not paid`,
            { index: i },
          );
        }
        await this.orders.transition(
          m,
          o,
          'shipped',
          { kind: 'cooperative', id: p.userId },
          `${it.carrier} ${it.trackingNumber}`,
          {
            carrier: it.carrier,
            trackingNumber: it.trackingNumber,
          },
        );
      }
    });
    return { shipped: items.length };
  }

  async markDelivered(p: Principal, orderId: string) {
    await this.managedOrder(p, orderId);
    await this.db.transaction(async (m) => {
      const o = (await this.orders.lockOrder(m, orderId)) as Order;
      await this.orders.transition(m, o, 'delivered', { kind: 'cooperative', id: p.userId }, 'delivered');
    });
    return this.orders.dto(orderId);
  }

  /** The coop_admin refunds (part of) a paid order through the provider, with a reason. */
  async refundByCooperative(p: Principal, orderId: string, reason: string, amountFen?: number) {
    const order = await this.managedOrder(p, orderId);
    if (!['paid', 'shipped', 'delivered', 'completed'].includes(order.status)) {
      throw new OrderException(OrderErrorCode.INVALID_TRANSITION, 'only a paid order can be refunded');
    }
    const refundId = await this.db.transaction(async (m) => {
      const o = (await this.orders.lockOrder(m, orderId)) as Order;
      const amount = await this.checkRefundable(m, o, amountFen);
      const ins = await m.getRepository(Refund).insert({
        orderId,
        paymentId: o.paymentId,
        amountFen: amount,
        reason,
        status: 'pending',
        requestedBy: p.userId,
        decidedBy: p.userId,
      });
      return ins.identifiers[0].id as string;
    });
    await this.executeRefund(refundId);
    return this.orders.dto(orderId);
  }

  async decideRefund(p: Principal, refundId: string, accept: boolean, note?: string) {
    const refund = /^[0-9a-f-]{36}$/i.test(refundId)
      ? await this.db.getRepository(Refund).findOne({ where: { id: refundId } })
      : null;
    if (!refund) throw new OrderException(OrderErrorCode.REFUND_NOT_FOUND, 'refund not found');
    await this.managedOrder(p, refund.orderId);
    // The refund's row is locked while the registered guards are asked (after-sales: not while the platform decides
    // it) and the decision is written, so a buyer taking it to the platform at the same moment waits or is waited for.
    const moved = await this.db.transaction(async (m) => {
      await m.getRepository(Refund).findOne({ where: { id: refundId }, lock: { mode: 'pessimistic_write' } });
      const refusal = await this.hooks.refundRefusal(m, refundId);
      if (refusal) throw refusal;
      return m
        .getRepository(Refund)
        .update(
          { id: refundId, status: 'requested' },
          { status: accept ? 'pending' : 'declined', decidedBy: p.userId, decisionNote: note ?? null },
        );
    });
    if (!moved.affected)
      throw new OrderException(OrderErrorCode.REFUND_NOT_OPEN, 'this refund request was already decided');
    if (accept) await this.executeRefund(refundId);
    else {
      await this.db.transaction(async (m) => {
        const o = (await this.orders.lockOrder(m, refund.orderId)) as Order;
        await this.orders.recordEvent(
          m,
          o.id,
          o.status,
          o.status,
          { kind: 'cooperative', id: p.userId },
          `refund declined: ${note ?? ''}`,
        );
      });
    }
    return this.orders.dto(refund.orderId);
  }

  /**
   * The platform's decision on a disputed buyer refund (售后 平台介入), in the caller's transaction: a request the
   * cooperative never answered (openRefundId, still requested) is closed first; then, when the platform refunds
   * (amountFen not null), a pending refund of at most what is still refundable is opened, to send with
   * executeRefund after COMMIT. The caller makes one decision per dispute (it holds the dispute's row locked).
   */
  async platformDecision(
    m: import('typeorm').EntityManager,
    d: {
      orderId: string;
      openRefundId: string | null;
      amountFen: number | null;
      /** The amount is the request's own (none was typed): refund at most what the order can still refund. */
      upTo?: boolean;
      note: string;
      by: string;
    },
  ): Promise<string | null> {
    const o = await this.orders.lockOrder(m, d.orderId);
    if (!o) throw new OrderException(OrderErrorCode.ORDER_NOT_FOUND, 'order not found');
    if (d.openRefundId) {
      const closed = await m
        .getRepository(Refund)
        .update(
          { id: d.openRefundId, orderId: d.orderId, status: 'requested' },
          { status: 'declined', decidedBy: d.by, decisionNote: `平台介入：${d.note}`.slice(0, 300) },
        );
      if (!closed.affected)
        throw new OrderException(OrderErrorCode.REFUND_NOT_OPEN, 'this refund request was already decided');
    }
    let refundId: string | null = null;
    if (d.amountFen !== null) {
      if (!['paid', 'shipped', 'delivered', 'completed'].includes(o.status))
        throw new OrderException(OrderErrorCode.INVALID_TRANSITION, 'only a paid order can be refunded');
      const amount = await this.checkRefundable(m, o, d.amountFen, d.upTo ?? false);
      const ins = await m.getRepository(Refund).insert({
        orderId: d.orderId,
        paymentId: o.paymentId,
        amountFen: amount,
        reason: `平台介入：${d.note}`.slice(0, 300),
        status: 'pending',
        requestedBy: o.buyerId,
        decidedBy: d.by,
        decisionNote: d.note.slice(0, 300),
      });
      refundId = ins.identifiers[0].id as string;
    }
    await this.orders.recordEvent(
      m,
      d.orderId,
      o.status,
      o.status,
      { kind: 'system', id: d.by },
      `${refundId ? '平台判定退款' : '平台维持合作社的决定'}：${d.note}`.slice(0, 300),
    );
    return refundId;
  }

  /**
   * The system refunds a paid order in full, in the caller's transaction (an offer that failed: a group that did
   * not form). The order's stock comes back, since it never shipped. Returns the pending refund to send with
   * executeRefund after COMMIT, or null when nothing is left to refund. The caller makes it once per order.
   */
  async openSystemRefund(m: import('typeorm').EntityManager, orderId: string, reason: string): Promise<string | null> {
    const o = await this.orders.lockOrder(m, orderId);
    if (!o || o.status !== 'paid') return null;
    const open = await m.getRepository(Refund).find({ where: { orderId, status: In(['requested', 'pending']) } });
    const amount = refundableFen(o.totalFen, o.refundedFen) - open.reduce((s, r) => s + r.amountFen, 0);
    if (amount <= 0) return null;
    const ins = await m.getRepository(Refund).insert({
      orderId,
      paymentId: o.paymentId,
      amountFen: amount,
      reason: reason.slice(0, 300),
      status: 'pending',
      requestedBy: o.buyerId,
    });
    await m.query(
      `UPDATE products p SET stock = p.stock + l.quantity, updated_at = now() FROM order_lines l WHERE l.order_id = $1 AND l.product_id = p.id`,
      [orderId],
    );
    await this.orders.recordEvent(m, orderId, o.status, o.status, { kind: 'system', id: null }, reason);
    return ins.identifiers[0].id as string;
  }

  /** Sends a pending refund to the provider (idempotency key refund:<id>) and books it when it succeeds. */
  async executeRefund(refundId: string): Promise<void> {
    const refund = await this.db.getRepository(Refund).findOne({ where: { id: refundId } });
    if (!refund || refund.status !== 'pending') return;
    const payment = await this.db.getRepository(Payment).findOne({ where: { id: refund.paymentId } });
    if (!payment?.providerRef)
      throw new OrderException(OrderErrorCode.PAYMENT_NOT_FOUND, 'the payment of this order has no provider reference');
    let result: { refundRef: string; status: 'succeeded' | 'pending' | 'failed' };
    try {
      result = await this.provider.refund({
        paymentProviderRef: payment.providerRef,
        refundId,
        amountFen: refund.amountFen,
        reason: refund.reason,
      });
    } catch (e) {
      this.logger.warn({ err: e, refundId }, 'provider refused the refund');
      await this.db
        .getRepository(Refund)
        .update(
          { id: refundId, status: 'pending' },
          { status: 'failed', decisionNote: 'the payment provider refused the refund' },
        );
      throw new OrderException(
        OrderErrorCode.REFUND_FAILED,
        'the payment provider could not refund this order; nothing was refunded',
      );
    }
    if (result.status === 'failed') {
      await this.db
        .getRepository(Refund)
        .update({ id: refundId, status: 'pending' }, { status: 'failed', providerRef: result.refundRef });
      throw new OrderException(
        OrderErrorCode.REFUND_FAILED,
        'the payment provider could not refund this order; nothing was refunded',
      );
    }
    await this.db.getRepository(Refund).update({ id: refundId }, { providerRef: result.refundRef });
    if (result.status === 'succeeded') {
      await this.db.transaction((m) => this.effects.completeRefund(m, refundId, result.refundRef));
    }
  }
}
