import { Injectable, Logger } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { fenToYuanString } from '@xiangbo/domain';
import { OrderLedgerService } from '../ledger/order-ledger.service';
import type { PaymentEffects, PaymentRecord, ProviderPaymentState } from '../payments/payment-provider';
import { OrderLine } from './entities/order-line.entity';
import { Order } from './entities/order.entity';
import { Payment } from './entities/payment.entity';
import { Refund } from './entities/refund.entity';
import { Reservation } from './entities/reservation.entity';
import { OrderErrorCode, OrderException } from './orders.exception';
import { OrdersService } from './orders.service';
import { takeStock } from './stock';

const PROVIDER = { kind: 'provider', id: null } as const;

/**
 * What provider events do to orders. Every method locks the payment row first, so concurrent deliveries of
 * the same event (or a webhook racing the expiry job) apply once, and each is written in the caller's
 * transaction together with the record of the event.
 */
@Injectable()
export class OrderPaymentEffects implements PaymentEffects {
  private readonly logger = new Logger('OrderPaymentEffects');

  constructor(
    private readonly orders: OrdersService,
    private readonly ledger: OrderLedgerService,
  ) {}

  private lockPayment(m: EntityManager, providerRef: string): Promise<Payment | null> {
    return m
      .getRepository(Payment)
      .createQueryBuilder('p')
      .setLock('pessimistic_write')
      .where('p.provider_ref = :r', { r: providerRef })
      .getOne();
  }

  async findPayment(m: EntityManager, paymentId: string): Promise<PaymentRecord | null> {
    if (!/^[0-9a-f-]{36}$/i.test(paymentId)) return null;
    const p = await m.getRepository(Payment).findOne({ where: { id: paymentId } });
    return p
      ? {
          id: p.id,
          buyerId: p.buyerId,
          amountFen: p.amountFen,
          currency: p.currency,
          provider: p.provider,
          providerRef: p.providerRef,
          status: p.status,
        }
      : null;
  }

  async paymentSucceeded(m: EntityManager, state: ProviderPaymentState): Promise<void> {
    const payment = await this.lockPayment(m, state.providerRef);
    if (!payment) return void this.logger.warn({ ref: state.providerRef }, 'succeeded payment is not ours');
    if (state.amountFen !== payment.amountFen || state.currency.toUpperCase() !== payment.currency) {
      this.logger.error(
        { paymentId: payment.id, state },
        'provider amount does not match the payment; not marking paid',
      );
      return;
    }
    await m.getRepository(Payment).update(
      { id: payment.id },
      {
        status: 'succeeded',
        feeFen: state.feeFen ?? payment.feeFen,
        chargeRef: state.chargeRef ?? payment.chargeRef,
        succeededAt: payment.succeededAt ?? new Date(),
        failureMessage: null,
      },
    );
    if (payment.status === 'succeeded') return; // already applied: only the fee may have become known

    const orders = await m.getRepository(Order).find({ where: { paymentId: payment.id }, order: { createdAt: 'ASC' } });
    for (const o of orders) {
      const order = await this.orders.lockOrder(m, o.id);
      if (!order) continue;
      if (order.status === 'pending_payment') {
        await m.getRepository(Reservation).update({ orderId: order.id, status: 'held' }, { status: 'converted' });
        await this.orders.transition(m, order, 'paid', PROVIDER, 'payment received');
        await this.countSold(m, order.id);
        await this.ledger.recordPayment(m, order); // pay:order:<id>, same transaction
      } else if (order.status === 'cancelled') {
        await this.lateSuccess(m, order, payment);
      }
    }
  }

  /**
   * Money arrived for an order that had already expired. Take the stock again if it is still there (the buyer
   * gets what they paid for); otherwise refund it in full, automatically.
   */
  private async lateSuccess(m: EntityManager, order: Order, payment: Payment) {
    const lines = await m.getRepository(OrderLine).find({ where: { orderId: order.id } });
    const sp = `late_${order.id.replace(/-/g, '')}`;
    await m.query(`SAVEPOINT ${sp}`);
    let ok = true;
    for (const l of lines) {
      if (!(await takeStock(m, l.productId, l.quantity))) {
        ok = false;
        break;
      }
    }
    if (ok) {
      await m.query(`RELEASE SAVEPOINT ${sp}`);
      await m.getRepository(Order).update({ id: order.id }, { status: 'paid', paidAt: new Date(), cancelledAt: null });
      await this.orders.recordEvent(
        m,
        order.id,
        'cancelled',
        'paid',
        PROVIDER,
        'payment arrived after expiry; stock taken again',
      );
      await this.countSold(m, order.id);
      await this.ledger.recordPayment(m, { ...order, paidAt: new Date(), settledAt: null });
      return;
    }
    await m.query(`ROLLBACK TO SAVEPOINT ${sp}`);
    // The money did arrive: the ledger records it, and the automatic refund below takes it back out.
    await this.ledger.recordPayment(m, { ...order, paidAt: new Date(), settledAt: null });
    await m.getRepository(Refund).insert({
      orderId: order.id,
      paymentId: payment.id,
      amountFen: order.totalFen,
      reason:
        '付款到账时订单已过期且库存已售出，系统自动全额退款 (payment arrived after the order expired and stock was gone)',
      status: 'pending',
      requestedBy: order.buyerId,
    });
    await this.orders.recordEvent(
      m,
      order.id,
      'cancelled',
      'cancelled',
      { kind: 'system', id: null },
      'late payment: automatic full refund',
    );
  }

  private async countSold(m: EntityManager, orderId: string) {
    await m.query(
      `UPDATE products p SET sold_count = p.sold_count + l.quantity FROM order_lines l WHERE l.order_id = $1 AND l.product_id = p.id`,
      [orderId],
    );
  }

  async paymentFailed(m: EntityManager, state: ProviderPaymentState): Promise<void> {
    const payment = await this.lockPayment(m, state.providerRef);
    if (!payment || payment.status !== 'pending') return;
    // The orders keep their stock until they expire: the buyer may try another card, Alipay or WeChat Pay.
    await m
      .getRepository(Payment)
      .update({ id: payment.id }, { failureMessage: (state.failureMessage ?? 'payment failed').slice(0, 300) });
  }

  async paymentCanceled(m: EntityManager, state: ProviderPaymentState): Promise<void> {
    const payment = await this.lockPayment(m, state.providerRef);
    if (!payment || payment.status === 'succeeded') return;
    await m.getRepository(Payment).update({ id: payment.id }, { status: 'canceled' });
    const orders = await m.getRepository(Order).find({ where: { paymentId: payment.id } });
    await this.orders.cancelUnpaid(
      m,
      orders.map((o) => o.id),
      PROVIDER,
      'payment canceled',
    );
  }

  /**
   * The provider's charge now shows `refundedFen` refunded in total. Refunds we asked for are marked done; a
   * refund made elsewhere (e.g. the provider's dashboard) is recorded so that our books match the provider's.
   */
  async chargeRefunded(m: EntityManager, state: ProviderPaymentState): Promise<void> {
    const payment = await this.lockPayment(m, state.providerRef);
    if (!payment) return;
    const orders = await m.getRepository(Order).find({ where: { paymentId: payment.id }, order: { createdAt: 'ASC' } });
    const refunds = await m
      .getRepository(Refund)
      .find({ where: { paymentId: payment.id, status: In(['pending', 'succeeded']) }, order: { createdAt: 'ASC' } });
    let booked = refunds.filter((r) => r.status === 'succeeded').reduce((s, r) => s + r.amountFen, 0);
    for (const r of refunds.filter((x) => x.status === 'pending')) {
      if (booked + r.amountFen > state.refundedFen) break;
      await this.completeRefund(m, r.id);
      booked += r.amountFen;
    }
    let unexplained = state.refundedFen - booked;
    for (const o of orders) {
      if (unexplained <= 0) break;
      const order = await this.orders.lockOrder(m, o.id);
      if (!order) continue;
      const room = order.totalFen - order.refundedFen;
      const take = Math.min(room, unexplained);
      if (take <= 0) continue;
      const ins = await m.getRepository(Refund).insert({
        orderId: order.id,
        paymentId: payment.id,
        amountFen: take,
        reason: 'refunded at the payment provider',
        status: 'pending',
        requestedBy: order.buyerId,
      });
      await this.completeRefund(m, ins.identifiers[0].id as string);
      unexplained -= take;
    }
  }

  /** Marks a pending refund succeeded and books it on its order (full refund → status refunded). Idempotent. */
  async completeRefund(m: EntityManager, refundId: string, providerRef?: string): Promise<void> {
    const [row]: { order_id: string; amount_fen: string }[] = await m
      .query(
        `UPDATE refunds SET status = 'succeeded', completed_at = now(), provider_ref = COALESCE($2, provider_ref) WHERE id = $1 AND status = 'pending' RETURNING order_id, amount_fen`,
        [refundId, providerRef ?? null],
      )
      .then((r: unknown) => (Array.isArray(r) && Array.isArray(r[0]) ? r[0] : r) as never);
    if (!row) return;
    // One atomic increment, guarded: concurrent refunds of one payment each add their own amount (a SUM
    // recomputed in each transaction's snapshot lost the others'), and the total never exceeds what was paid.
    const [bumped]: unknown[] = await m
      .query(
        `UPDATE payments SET refunded_fen = refunded_fen + $2
          WHERE id = (SELECT payment_id FROM refunds WHERE id = $1) AND refunded_fen + $2 <= amount_fen RETURNING id`,
        [refundId, row.amount_fen],
      )
      .then((r: unknown) => (Array.isArray(r) && Array.isArray(r[0]) ? r[0] : r) as unknown[]);
    if (!bumped) {
      throw new OrderException(OrderErrorCode.REFUND_TOO_LARGE, 'refunds would exceed what was paid');
    }
    const order = await this.orders.lockOrder(m, row.order_id);
    if (!order) return;
    await this.ledger.recordRefund(m, order, refundId, Number(row.amount_fen)); // refund:<id> or, once settled, reversal:<id>
    const refunded = Math.min(order.totalFen, order.refundedFen + Number(row.amount_fen));
    await m.getRepository(Order).update({ id: order.id }, { refundedFen: refunded });
    order.refundedFen = refunded;
    if (refunded === order.totalFen && order.status !== 'refunded' && order.status !== 'cancelled') {
      await this.orders.transition(m, order, 'refunded', PROVIDER, 'refunded in full');
    } else {
      await this.orders.recordEvent(
        m,
        order.id,
        order.status,
        order.status,
        PROVIDER,
        `refunded ¥${fenToYuanString(Number(row.amount_fen))}`,
      );
    }
  }

  async disputeCreated(
    m: EntityManager,
    state: ProviderPaymentState,
    disputeRef: string,
    reason: string,
  ): Promise<void> {
    const payment = await this.lockPayment(m, state.providerRef);
    if (!payment || payment.disputeRef === disputeRef) return;
    await m.getRepository(Payment).update({ id: payment.id }, { disputeRef });
    const orders = await m.getRepository(Order).find({ where: { paymentId: payment.id } });
    for (const o of orders) {
      await this.orders.recordEvent(
        m,
        o.id,
        o.status,
        o.status,
        PROVIDER,
        `dispute opened (${reason}); a platform admin will handle it`,
      );
    }
  }
}
