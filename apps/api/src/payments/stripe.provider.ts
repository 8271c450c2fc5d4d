import { Logger } from '@nestjs/common';
import Stripe from 'stripe';
import type { AppConfig } from '../config/config';
import type {
  CreatedIntent,
  CreateIntentInput,
  PaymentProvider,
  ProviderPaymentState,
  RefundInput,
} from './payment-provider';
import { PaymentsErrorCode, PaymentsException } from './payments.exception';

/** Verification tolerance of webhook timestamps: an older (correctly signed) event is a replay and refused. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** Idempotency keys of every POST, derived from our ids so a retry (ours or the SDK's) never doubles an effect. */
export const idempotencyKeys = {
  create: (paymentId: string) => `payment:${paymentId}:create`,
  cancel: (paymentId: string) => `payment:${paymentId}:cancel`,
  refund: (refundId: string) => `refund:${refundId}`,
};

/** SDK options; STRIPE_API_BASE (tests only) points the real SDK at the offline Stripe-compatible server. */
export function stripeClientOptions(apiBase: string | undefined): Stripe.StripeConfig {
  const options: Stripe.StripeConfig = { maxNetworkRetries: 2, timeout: 20_000, telemetry: false };
  if (apiBase) {
    const u = new URL(apiBase);
    options.protocol = u.protocol === 'http:' ? 'http' : 'https';
    options.host = u.hostname;
    options.port = u.port || (u.protocol === 'http:' ? 80 : 443);
  }
  return options;
}

/**
 * Stripe: one PaymentIntent in CNY per payment, with the account's automatic payment methods (card, Alipay,
 * WeChat Pay as enabled), confirmed in the browser by the Payment Element. Everything we believe about a
 * payment comes from `retrieve()`, which re-reads the PaymentIntent with its charge and balance transaction.
 */
export class StripeProvider implements PaymentProvider {
  readonly name = 'stripe' as const;
  private readonly logger = new Logger(StripeProvider.name);
  private readonly client: Stripe;
  private readonly webhookSecret: string;

  constructor(config: Pick<AppConfig, 'STRIPE_SECRET_KEY' | 'STRIPE_WEBHOOK_SECRET' | 'STRIPE_API_BASE'>) {
    if (!config.STRIPE_SECRET_KEY || !config.STRIPE_WEBHOOK_SECRET) {
      throw new Error('StripeProvider needs STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET');
    }
    this.client = new Stripe(config.STRIPE_SECRET_KEY, stripeClientOptions(config.STRIPE_API_BASE));
    this.webhookSecret = config.STRIPE_WEBHOOK_SECRET;
  }

  async createIntent(input: CreateIntentInput): Promise<CreatedIntent> {
    const pi = await this.call(() =>
      this.client.paymentIntents.create(
        {
          amount: input.amountFen,
          currency: 'cny',
          automatic_payment_methods: { enabled: true },
          // WeChat Pay needs the client type at confirmation; the buyer pays from a web page (QR code or H5).
          payment_method_options: { wechat_pay: { client: 'web' } },
          description: input.description,
          metadata: { ...input.metadata, paymentId: input.paymentId, buyerId: input.buyerId },
        },
        { idempotencyKey: idempotencyKeys.create(input.paymentId) },
      ),
    );
    return { providerRef: pi.id, clientSecret: pi.client_secret };
  }

  async retrieve(providerRef: string): Promise<ProviderPaymentState> {
    const pi = await this.call(() =>
      this.client.paymentIntents.retrieve(providerRef, { expand: ['latest_charge.balance_transaction'] }),
    );
    return this.toState(pi);
  }

  async cancel(providerRef: string, paymentId: string): Promise<void> {
    try {
      await this.client.paymentIntents.cancel(providerRef, {}, { idempotencyKey: idempotencyKeys.cancel(paymentId) });
    } catch (e) {
      if (!(e instanceof Stripe.errors.StripeInvalidRequestError) || e.code !== 'payment_intent_unexpected_state') {
        throw this.unavailable(e);
      }
      // Already canceled is what we wanted; already succeeded means the buyer paid in the meantime.
      const state = await this.retrieve(providerRef);
      if (state.status === 'canceled') return;
      if (state.status === 'succeeded') {
        throw new PaymentsException(
          PaymentsErrorCode.PAYMENT_ALREADY_SUCCEEDED,
          'the payment succeeded before it could be cancelled',
        );
      }
      throw this.unavailable(e);
    }
  }

  async refund(input: RefundInput): Promise<{ refundRef: string; status: 'succeeded' | 'pending' | 'failed' }> {
    const refund = await this.call(() =>
      this.client.refunds.create(
        {
          payment_intent: input.paymentProviderRef,
          amount: input.amountFen,
          reason: 'requested_by_customer',
          metadata: { refundId: input.refundId, reason: input.reason.slice(0, 500) },
        },
        { idempotencyKey: idempotencyKeys.refund(input.refundId) },
      ),
    );
    const status =
      refund.status === 'succeeded'
        ? 'succeeded'
        : refund.status === 'failed' || refund.status === 'canceled'
          ? 'failed'
          : 'pending';
    return { refundRef: refund.id, status };
  }

  /**
   * Verifies a webhook on the exact bytes received (never a re-serialised body) and returns the event.
   * Throws PaymentsException 400 for a missing/invalid signature, a stale timestamp or a malformed payload.
   */
  constructEvent(rawBody: Buffer | undefined, signature: string | string[] | undefined): Stripe.Event {
    if (typeof signature !== 'string' || !signature) {
      throw new PaymentsException(
        PaymentsErrorCode.WEBHOOK_SIGNATURE_MISSING,
        'the Stripe-Signature header is missing',
      );
    }
    if (!rawBody || rawBody.length === 0) {
      throw new PaymentsException(
        PaymentsErrorCode.WEBHOOK_PAYLOAD_INVALID,
        'the webhook body must be the raw JSON event',
      );
    }
    let event: Stripe.Event;
    try {
      event = this.client.webhooks.constructEvent(rawBody, signature, this.webhookSecret, WEBHOOK_TOLERANCE_SECONDS);
    } catch (e) {
      if (e instanceof Stripe.errors.StripeSignatureVerificationError) {
        if (isStale(signature)) {
          throw new PaymentsException(
            PaymentsErrorCode.WEBHOOK_STALE,
            `the event is older than ${WEBHOOK_TOLERANCE_SECONDS} seconds (replayed or delayed)`,
          );
        }
        throw new PaymentsException(
          PaymentsErrorCode.WEBHOOK_SIGNATURE_INVALID,
          'the Stripe signature does not match this body',
        );
      }
      throw new PaymentsException(PaymentsErrorCode.WEBHOOK_PAYLOAD_INVALID, 'the webhook body is not a JSON event');
    }
    if (!event || typeof event.id !== 'string' || typeof event.type !== 'string' || !event.data?.object) {
      throw new PaymentsException(PaymentsErrorCode.WEBHOOK_PAYLOAD_INVALID, 'the webhook body is not a Stripe event');
    }
    // The SDK only refuses timestamps too far in the past: the tolerance holds the other way too, so a signature
    // made with a clock far ahead (or for a later replay) is refused.
    if (isFromTheFuture(signature)) {
      throw new PaymentsException(
        PaymentsErrorCode.WEBHOOK_TIMESTAMP_IN_FUTURE,
        `the event is timestamped more than ${WEBHOOK_TOLERANCE_SECONDS} seconds in the future`,
      );
    }
    return event;
  }

  /** The PaymentIntent a charge belongs to, re-read from Stripe (null when the charge has none or is unknown). */
  async paymentIntentOfCharge(chargeId: string): Promise<string | null> {
    const charge = await this.retrieveOrNull(() => this.client.charges.retrieve(chargeId));
    return charge ? idOf(charge.payment_intent) : null;
  }

  /** A dispute re-read from Stripe, with the PaymentIntent it concerns (null when unknown). */
  async retrieveDispute(
    disputeId: string,
  ): Promise<{ id: string; reason: string; paymentIntent: string | null } | null> {
    const d = await this.retrieveOrNull(() => this.client.disputes.retrieve(disputeId));
    if (!d) return null;
    let paymentIntent = idOf(d.payment_intent);
    if (!paymentIntent) paymentIntent = await this.paymentIntentOfCharge(idOf(d.charge) ?? '');
    return { id: d.id, reason: d.reason, paymentIntent };
  }

  /** Like retrieve, but null when Stripe says the PaymentIntent does not exist (an event of another account/mode). */
  async retrieveStateOrNull(providerRef: string): Promise<ProviderPaymentState | null> {
    const pi = await this.retrieveOrNull(() =>
      this.client.paymentIntents.retrieve(providerRef, { expand: ['latest_charge.balance_transaction'] }),
    );
    return pi ? this.toState(pi) : null;
  }

  toState(pi: Stripe.PaymentIntent): ProviderPaymentState {
    const charge = typeof pi.latest_charge === 'object' ? pi.latest_charge : null;
    const bt = charge && typeof charge.balance_transaction === 'object' ? charge.balance_transaction : null;
    let feeFen: number | null = null;
    if (bt) {
      if (bt.currency === 'cny') feeFen = bt.fee;
      else
        this.logger.warn(
          { paymentIntent: pi.id, balanceTransaction: bt.id, currency: bt.currency },
          'processing fee settled in another currency: fee left unknown',
        );
    }
    return {
      providerRef: pi.id,
      status: mapStatus(pi),
      amountFen: pi.amount,
      currency: pi.currency.toUpperCase(),
      feeFen,
      chargeRef: charge?.id ?? (typeof pi.latest_charge === 'string' ? pi.latest_charge : null),
      refundedFen: charge?.amount_refunded ?? 0,
      failureMessage: pi.last_payment_error?.message ?? null,
    };
  }

  private async retrieveOrNull<T>(fn: () => Promise<T>): Promise<T | null> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof Stripe.errors.StripeInvalidRequestError && e.code === 'resource_missing') return null;
      throw this.unavailable(e);
    }
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw this.unavailable(e);
    }
  }

  /** Stripe's own errors become a 502 a person can read; the details go to the log, not to the buyer. */
  private unavailable(e: unknown): Error {
    if (e instanceof PaymentsException) return e;
    if (!(e instanceof Stripe.errors.StripeError)) return e instanceof Error ? e : new Error(String(e));
    this.logger.error(
      { type: e.type, code: e.code, requestId: e.requestId, message: e.message },
      'Stripe request failed',
    );
    return new PaymentsException(
      PaymentsErrorCode.PAYMENT_PROVIDER_UNAVAILABLE,
      'the payment provider could not complete the request',
    );
  }
}

/** succeeded / requires_payment_method after an attempt (failed) / canceled / everything else still pending. */
export function mapStatus(
  pi: Pick<Stripe.PaymentIntent, 'status' | 'last_payment_error'>,
): ProviderPaymentState['status'] {
  switch (pi.status) {
    case 'succeeded':
      return 'succeeded';
    case 'canceled':
      return 'canceled';
    case 'requires_payment_method':
      return pi.last_payment_error ? 'failed' : 'pending';
    default:
      return 'pending';
  }
}

function idOf(v: string | { id: string } | null | undefined): string | null {
  if (!v) return null;
  return typeof v === 'string' ? v : v.id;
}

/** True when the signature header's timestamp is older than the tolerance (used to name the 400 precisely). */
export function isStale(signature: string, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
  const ts = signatureTimestamp(signature);
  return Number.isFinite(ts) && nowSeconds - ts > WEBHOOK_TOLERANCE_SECONDS;
}

/** A signature timestamped beyond the tolerance ahead of this clock (the tolerance holds both ways). */
export function isFromTheFuture(signature: string, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
  const ts = signatureTimestamp(signature);
  return Number.isFinite(ts) && ts - nowSeconds > WEBHOOK_TOLERANCE_SECONDS;
}

function signatureTimestamp(signature: string): number {
  const t = signature
    .split(',')
    .map((p) => p.split('='))
    .find(([k]) => k.trim() === 't')?.[1];
  return t === undefined || t.trim() === '' ? NaN : Number(t);
}
