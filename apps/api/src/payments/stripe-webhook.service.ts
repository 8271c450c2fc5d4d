import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { StripeWebhookResponse } from '@xiangbo/contracts';
import type Stripe from 'stripe';
import { DataSource, EntityManager } from 'typeorm';
import { PaymentEffectsRef } from './payment-effects.ref';
import { PaymentEventsService } from './payment-events.service';
import { PAYMENT_PROVIDER, PaymentEffects, PaymentProvider, ProviderPaymentState } from './payment-provider';
import { PaymentsErrorCode, PaymentsException } from './payments.exception';
import { StripeProvider } from './stripe.provider';

/** The effect of one event, computed from what Stripe says now; applied inside the recording transaction. */
type Effect = ((m: EntityManager, effects: PaymentEffects) => Promise<void>) | null;

/**
 * Stripe webhook: verify the signature on the raw body, then re-read the object from Stripe (the event body and
 * the delivery order are never trusted), then record the event id and apply its effect in one transaction.
 * Redelivered, replayed and reordered events therefore converge on Stripe's current state, applied once.
 */
@Injectable()
export class StripeWebhookService {
  private readonly logger = new Logger(StripeWebhookService.name);

  constructor(
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: PaymentEventsService,
    private readonly effects: PaymentEffectsRef,
  ) {}

  async handle(rawBody: Buffer | undefined, signature: string | string[] | undefined): Promise<StripeWebhookResponse> {
    const stripe = this.provider;
    if (!(stripe instanceof StripeProvider)) {
      throw new PaymentsException(PaymentsErrorCode.STRIPE_NOT_CONFIGURED, 'Stripe is not configured on this server');
    }
    const event = stripe.constructEvent(rawBody, signature);
    if (await this.events.seen(event.id)) return { received: true, duplicate: true };

    // Network reads happen before the transaction, so no database lock waits on Stripe.
    const effect = await this.effectOf(stripe, event);
    const recorded = await this.db.transaction(async (m) => {
      if (!(await this.events.recordOnce(m, event.id, event.type))) return false;
      if (effect) await effect(m, this.effects.get());
      return true;
    });
    if (!recorded) return { received: true, duplicate: true };
    this.logger.log({ event: event.id, type: event.type, applied: Boolean(effect) }, 'Stripe event processed');
    return effect ? { received: true } : { received: true, ignored: true };
  }

  private async effectOf(stripe: StripeProvider, event: Stripe.Event): Promise<Effect> {
    const objectId = (event.data.object as { id?: unknown }).id;
    if (typeof objectId !== 'string') return null;
    switch (event.type) {
      case 'payment_intent.succeeded':
      case 'payment_intent.payment_failed':
      case 'payment_intent.canceled': {
        const state = await stripe.retrieveStateOrNull(objectId);
        return state ? byStatus(state) : this.unknown(event);
      }
      // A refund or a dispute presupposes the payment: whatever arrived first, the intent's state re-read from
      // Stripe is applied first (paymentSucceeded is idempotent), then the refund or dispute, in one transaction.
      // An event that overtakes payment_intent.succeeded therefore converges now, without waiting for Stripe to
      // redeliver it.
      case 'charge.refunded': {
        const pi = await stripe.paymentIntentOfCharge(objectId);
        const state = pi ? await stripe.retrieveStateOrNull(pi) : null;
        return state ? inOrder(byStatus(state), (m, e) => e.chargeRefunded(m, state)) : this.unknown(event);
      }
      case 'charge.dispute.created': {
        const dispute = await stripe.retrieveDispute(objectId);
        const state = dispute?.paymentIntent ? await stripe.retrieveStateOrNull(dispute.paymentIntent) : null;
        return state && dispute
          ? inOrder(byStatus(state), (m, e) => e.disputeCreated(m, state, dispute.id, dispute.reason))
          : this.unknown(event);
      }
      default:
        return null; // recorded and acknowledged, so Stripe stops sending it
    }
  }

  private unknown(event: Stripe.Event): Effect {
    this.logger.warn(
      { event: event.id, type: event.type },
      'Stripe event about an object Stripe does not know: ignored',
    );
    return null;
  }
}

/** The effects one after the other in the same transaction (a null one is skipped). */
function inOrder(...effects: Effect[]): Effect {
  return async (m, e) => {
    for (const effect of effects) if (effect) await effect(m, e);
  };
}

/**
 * Whatever the event said, the PaymentIntent's current status decides: a `canceled` event that arrives after the
 * intent succeeded (or a `payment_failed` one after a successful retry) applies success. Pending: nothing to do.
 */
function byStatus(state: ProviderPaymentState): Effect {
  switch (state.status) {
    case 'succeeded':
      return (m, e) => e.paymentSucceeded(m, state);
    case 'failed':
      return (m, e) => e.paymentFailed(m, state);
    case 'canceled':
      return (m, e) => e.paymentCanceled(m, state);
    case 'pending':
      return null;
  }
}
