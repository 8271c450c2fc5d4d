/** Which payment provider the storefront shows: Stripe's Payment Element, or 演示支付 (demo). */
export interface PaymentsConfigResponse {
  provider: 'stripe' | 'demo';
  /** Stripe publishable key for Stripe.js; null for the demo provider. */
  publishableKey: string | null;
}

/** `POST /api/payments/demo/:paymentId/confirm`: the demo payment is confirmed (again, when `duplicate`). */
export interface DemoConfirmResponse {
  paymentId: string;
  status: 'succeeded';
  duplicate: boolean;
}

/** What the Stripe webhook answers (Stripe only looks at the 2xx). */
export interface StripeWebhookResponse {
  received: true;
  duplicate?: true;
  ignored?: true;
}
