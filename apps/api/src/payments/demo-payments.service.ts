import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DemoConfirmResponse } from '@xiangbo/contracts';
import { DataSource } from 'typeorm';
import { demoSucceededState } from './demo.provider';
import { PaymentEffectsRef } from './payment-effects.ref';
import { PaymentEventsService } from './payment-events.service';
import { PAYMENT_PROVIDER, PaymentProvider } from './payment-provider';
import { PaymentsErrorCode, PaymentsException } from './payments.exception';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * 演示支付: the buyer's "pay" button. Plays the processor's part: the payment succeeds with the demo fee and is
 * applied through the same PaymentEffects as a Stripe webhook, recorded once (`demo:<paymentId>:confirm`).
 */
@Injectable()
export class DemoPaymentsService {
  constructor(
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: PaymentEventsService,
    private readonly effects: PaymentEffectsRef,
  ) {}

  async confirm(buyerId: string, paymentId: string): Promise<DemoConfirmResponse> {
    if (this.provider.name !== 'demo') {
      throw new PaymentsException(
        PaymentsErrorCode.DEMO_NOT_AVAILABLE,
        'demo payments are off: this server takes real payments',
      );
    }
    const notFound = () => new PaymentsException(PaymentsErrorCode.PAYMENT_NOT_FOUND, 'payment not found');
    if (!UUID.test(paymentId)) throw notFound();
    return this.db.transaction(async (m) => {
      const effects = this.effects.get();
      const payment = await effects.findPayment(m, paymentId);
      // Someone else's payment is indistinguishable from a missing one.
      if (!payment || payment.buyerId !== buyerId) throw notFound();
      if (payment.provider !== 'demo') {
        throw new PaymentsException(PaymentsErrorCode.PAYMENT_NOT_DEMO, 'this payment is not a demo payment');
      }
      if (payment.status === 'canceled') {
        throw new PaymentsException(
          PaymentsErrorCode.PAYMENT_NOT_PENDING,
          'this payment was cancelled and can no longer be paid',
        );
      }
      const first = await this.events.recordOnce(m, `demo:${payment.id}:confirm`, 'demo.payment.succeeded');
      if (first) await effects.paymentSucceeded(m, demoSucceededState(payment));
      return { paymentId: payment.id, status: 'succeeded', duplicate: !first };
    });
  }
}
