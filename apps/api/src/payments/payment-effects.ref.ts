import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { PAYMENT_EFFECTS, PaymentEffects } from './payment-provider';

/**
 * PaymentEffects, provided by the orders feature under PAYMENT_EFFECTS, resolved from the whole application
 * on first use. Orders depends on payments (it needs PAYMENT_PROVIDER) and the webhook depends on orders'
 * effects; resolving lazily breaks that cycle without forwardRef on both sides, and the app still boots (and
 * the rest of it works) while orders is not registered — only a payment event then fails, with a clear log.
 */
@Injectable()
export class PaymentEffectsRef implements OnApplicationBootstrap {
  private readonly logger = new Logger(PaymentEffectsRef.name);
  private effects?: PaymentEffects;

  constructor(private readonly moduleRef: ModuleRef) {}

  onApplicationBootstrap() {
    if (!this.tryResolve()) this.logger.warn('no PAYMENT_EFFECTS provider: payment events cannot be applied to orders');
  }

  get(): PaymentEffects {
    const effects = this.tryResolve();
    if (!effects) throw new Error('PAYMENT_EFFECTS is not provided: register the orders module');
    return effects;
  }

  private tryResolve(): PaymentEffects | undefined {
    if (!this.effects) {
      try {
        this.effects = this.moduleRef.get<PaymentEffects>(PAYMENT_EFFECTS, { strict: false });
      } catch {
        return undefined;
      }
    }
    return this.effects;
  }
}
