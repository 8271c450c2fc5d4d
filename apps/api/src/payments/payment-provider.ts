/**
 * One interface for every way a buyer pays. Stripe (card, Alipay, WeChat Pay in CNY) when STRIPE_SECRET_KEY is
 * set; otherwise the Demo provider (演示支付), which drives exactly the same order state machine offline.
 */
export type ProviderName = 'stripe' | 'demo';

export interface CreateIntentInput {
  /** Our payment id; also the idempotency key root (`payment:<id>:create`). */
  paymentId: string;
  amountFen: number;
  currency: 'CNY';
  buyerId: string;
  description: string;
  metadata: Record<string, string>;
}

export interface CreatedIntent {
  /** Provider's reference (Stripe PaymentIntent id, demo id). */
  providerRef: string;
  /** Given to the browser (Stripe client_secret); null for demo. */
  clientSecret: string | null;
}

/** What the provider says about a payment when asked directly (never trusted from an event body). */
export interface ProviderPaymentState {
  providerRef: string;
  status: 'pending' | 'succeeded' | 'failed' | 'canceled';
  amountFen: number;
  /** ISO code in upper case ('CNY'), as in CreateIntentInput (Stripe's lower-case code is normalised). */
  currency: string;
  /** Processing fee from the balance transaction, once known (settlement needs the real fee). */
  feeFen: number | null;
  /** Charge id (Stripe) for refunds and disputes. */
  chargeRef: string | null;
  /** Total refunded so far in fen. */
  refundedFen: number;
  failureMessage: string | null;
}

export interface RefundInput {
  paymentProviderRef: string;
  /** Our refund id: idempotency key `refund:<id>`. */
  refundId: string;
  amountFen: number;
  reason: string;
}

export interface PaymentProvider {
  readonly name: ProviderName;
  createIntent(input: CreateIntentInput): Promise<CreatedIntent>;
  retrieve(providerRef: string): Promise<ProviderPaymentState>;
  cancel(providerRef: string, paymentId: string): Promise<void>;
  refund(input: RefundInput): Promise<{ refundRef: string; status: 'succeeded' | 'pending' | 'failed' }>;
}

export const PAYMENT_PROVIDER = Symbol('PAYMENT_PROVIDER');

/**
 * The effects of provider events on our orders, implemented by the orders feature. Each call is idempotent and
 * runs in the caller's transaction (`manager`), so "event recorded once" and "its effect" commit together.
 */
export interface PaymentEffects {
  /** The payment is confirmed by the provider: orders of the payment go pending_payment → paid (once). */
  paymentSucceeded(manager: import('typeorm').EntityManager, state: ProviderPaymentState): Promise<void>;
  paymentFailed(manager: import('typeorm').EntityManager, state: ProviderPaymentState): Promise<void>;
  paymentCanceled(manager: import('typeorm').EntityManager, state: ProviderPaymentState): Promise<void>;
  /** The provider reports the charge refunded up to state.refundedFen (sum); reconcile our refunds. */
  chargeRefunded(manager: import('typeorm').EntityManager, state: ProviderPaymentState): Promise<void>;
  disputeCreated(
    manager: import('typeorm').EntityManager,
    state: ProviderPaymentState,
    disputeRef: string,
    reason: string,
  ): Promise<void>;
  /**
   * Our payment by id, or null when there is none (added by payments: the demo confirm route needs to know the
   * buyer and the amount before it synthesizes the provider's answer).
   */
  findPayment(manager: import('typeorm').EntityManager, paymentId: string): Promise<PaymentRecord | null>;
}

/** What payments needs to know about one of our payments (returned by PaymentEffects.findPayment). */
export interface PaymentRecord {
  id: string;
  buyerId: string;
  amountFen: number;
  currency: 'CNY';
  provider: ProviderName;
  /** Set once createIntent returned (`pi_…` for Stripe, `demo_<id>` for demo). */
  providerRef: string | null;
  status: 'pending' | 'succeeded' | 'failed' | 'canceled';
}

export const PAYMENT_EFFECTS = Symbol('PAYMENT_EFFECTS');
