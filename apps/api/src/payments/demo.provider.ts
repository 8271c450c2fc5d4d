import type {
  CreatedIntent,
  CreateIntentInput,
  PaymentProvider,
  PaymentRecord,
  ProviderPaymentState,
  RefundInput,
} from './payment-provider';

export const DEMO_REF_PREFIX = 'demo_';

/** Demo processing fee: 0.6 % rounded down, what a real processor takes, so settlement sees a realistic fee. */
export function demoFeeFen(amountFen: number): number {
  return Math.floor((amountFen * 6) / 1000);
}

export const demoRef = (paymentId: string) => `${DEMO_REF_PREFIX}${paymentId}`;

/**
 * 演示支付: used only when no Stripe key is configured, so the start command works offline. It holds no state
 * (the API may run as several processes): a demo payment stays pending until its buyer calls
 * `POST /api/payments/demo/:paymentId/confirm`, which applies `demoSucceededState` through the same
 * PaymentEffects as a Stripe webhook. Demo refunds succeed at once.
 */
export class DemoProvider implements PaymentProvider {
  readonly name = 'demo' as const;

  async createIntent(input: CreateIntentInput): Promise<CreatedIntent> {
    return { providerRef: demoRef(input.paymentId), clientSecret: null };
  }

  /**
   * Nothing to ask: a demo payment is pending until its buyer confirms it (the confirm route applies success
   * directly). The stateless provider does not know the amount, hence 0; callers only look at the status.
   */
  async retrieve(providerRef: string): Promise<ProviderPaymentState> {
    return {
      providerRef,
      status: 'pending',
      amountFen: 0,
      currency: 'CNY',
      feeFen: null,
      chargeRef: null,
      refundedFen: 0,
      failureMessage: null,
    };
  }

  async cancel(): Promise<void> {
    // Nothing was reserved at a processor.
  }

  async refund(input: RefundInput): Promise<{ refundRef: string; status: 'succeeded' | 'pending' | 'failed' }> {
    return { refundRef: `${DEMO_REF_PREFIX}refund_${input.refundId}`, status: 'succeeded' };
  }
}

/** What a processor would report for a confirmed demo payment (documented demo fee, no refunds yet). */
export function demoSucceededState(payment: PaymentRecord): ProviderPaymentState {
  return {
    providerRef: payment.providerRef ?? demoRef(payment.id),
    status: 'succeeded',
    amountFen: payment.amountFen,
    currency: payment.currency,
    feeFen: demoFeeFen(payment.amountFen),
    chargeRef: `${DEMO_REF_PREFIX}ch_${payment.id}`,
    refundedFen: 0,
    failureMessage: null,
  };
}
