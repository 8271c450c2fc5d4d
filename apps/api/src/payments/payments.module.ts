import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DemoPaymentsService } from './demo-payments.service';
import { DemoProvider } from './demo.provider';
import { PaymentEffectsRef } from './payment-effects.ref';
import { PaymentEventsService } from './payment-events.service';
import { PAYMENT_PROVIDER, PaymentProvider } from './payment-provider';
import { PaymentsController } from './payments.controller';
import { StripeWebhookService } from './stripe-webhook.service';
import { StripeProvider } from './stripe.provider';

/**
 * Stripe when STRIPE_SECRET_KEY is set, otherwise 演示支付 (the start command works offline). Production never
 * gets the demo provider: loadConfig already refuses to start without Stripe, and this refuses again so that no
 * other way of building a config can bring it back.
 */
export function paymentProviderFor(config: AppConfig): PaymentProvider {
  if (config.STRIPE_SECRET_KEY) return new StripeProvider(config);
  if (config.NODE_ENV === 'production') {
    throw new Error('STRIPE_SECRET_KEY: is required in production (the demo payment provider is off there)');
  }
  return new DemoProvider();
}

/**
 * Payments: the provider behind PAYMENT_PROVIDER (orders imports this module to create intents, cancel and
 * refund), the Stripe webhook, the demo confirm route and the storefront's provider config.
 */
@Module({
  controllers: [PaymentsController],
  providers: [
    { provide: PAYMENT_PROVIDER, useFactory: paymentProviderFor, inject: [APP_CONFIG] },
    PaymentEventsService,
    PaymentEffectsRef,
    StripeWebhookService,
    DemoPaymentsService,
  ],
  exports: [PAYMENT_PROVIDER],
})
export class PaymentsModule {}
