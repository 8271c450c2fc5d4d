import { AppException } from '../common/app.exception';

export enum PaymentsErrorCode {
  /** The webhook request carries no Stripe-Signature header. */
  WEBHOOK_SIGNATURE_MISSING = 'WEBHOOK_SIGNATURE_MISSING',
  /** The signature does not match the raw body and the endpoint secret (tampered, wrong secret). */
  WEBHOOK_SIGNATURE_INVALID = 'WEBHOOK_SIGNATURE_INVALID',
  /** Correctly signed, but older than the 300 s tolerance (a replay). */
  WEBHOOK_STALE = 'WEBHOOK_STALE',
  /** Correctly signed, but timestamped more than the tolerance ahead of our clock. */
  WEBHOOK_TIMESTAMP_IN_FUTURE = 'WEBHOOK_TIMESTAMP_IN_FUTURE',
  /** No raw JSON body, or a body that is not a Stripe event. */
  WEBHOOK_PAYLOAD_INVALID = 'WEBHOOK_PAYLOAD_INVALID',
  /** The Stripe webhook is called while Stripe is not configured (demo mode). */
  STRIPE_NOT_CONFIGURED = 'STRIPE_NOT_CONFIGURED',
  /** The demo confirm route is called while Stripe is configured. */
  DEMO_NOT_AVAILABLE = 'DEMO_NOT_AVAILABLE',
  PAYMENT_NOT_FOUND = 'PAYMENT_NOT_FOUND',
  /** The payment is not a demo payment (it belongs to another provider). */
  PAYMENT_NOT_DEMO = 'PAYMENT_NOT_DEMO',
  /** The payment was cancelled (its orders expired or were cancelled): it can no longer be paid. */
  PAYMENT_NOT_PENDING = 'PAYMENT_NOT_PENDING',
  /** Cancelling a payment the provider has already taken: the order must be treated as paid. */
  PAYMENT_ALREADY_SUCCEEDED = 'PAYMENT_ALREADY_SUCCEEDED',
  /** The provider could not be reached or answered with an error of its own. */
  PAYMENT_PROVIDER_UNAVAILABLE = 'PAYMENT_PROVIDER_UNAVAILABLE',
}

const STATUS: Record<PaymentsErrorCode, number> = {
  WEBHOOK_SIGNATURE_MISSING: 400,
  WEBHOOK_SIGNATURE_INVALID: 400,
  WEBHOOK_STALE: 400,
  WEBHOOK_TIMESTAMP_IN_FUTURE: 400,
  WEBHOOK_PAYLOAD_INVALID: 400,
  STRIPE_NOT_CONFIGURED: 404,
  DEMO_NOT_AVAILABLE: 404,
  PAYMENT_NOT_FOUND: 404,
  PAYMENT_NOT_DEMO: 409,
  PAYMENT_NOT_PENDING: 409,
  PAYMENT_ALREADY_SUCCEEDED: 409,
  PAYMENT_PROVIDER_UNAVAILABLE: 502,
};

export class PaymentsException extends AppException {
  constructor(code: PaymentsErrorCode, message: string) {
    super(code, STATUS[code], message);
  }
}
