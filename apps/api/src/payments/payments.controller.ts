import { Controller, Get, Headers, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { DemoConfirmResponse, PaymentsConfigResponse, StripeWebhookResponse } from '@xiangbo/contracts';
import type { Request } from 'express';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { Public, SignedIn } from '../common/access.decorators';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DemoPaymentsService } from './demo-payments.service';
import { PAYMENT_PROVIDER, PaymentProvider } from './payment-provider';
import { StripeWebhookService } from './stripe-webhook.service';

@ApiTags('payments')
@Controller('payments')
export class PaymentsController {
  constructor(
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly demo: DemoPaymentsService,
    private readonly webhook: StripeWebhookService,
  ) {}

  /** Which provider the storefront shows (Stripe Payment Element or 演示支付). */
  @Public()
  @Get('config')
  getConfig(): PaymentsConfigResponse {
    return {
      provider: this.provider.name,
      publishableKey: this.provider.name === 'stripe' ? (this.config.STRIPE_PUBLISHABLE_KEY ?? null) : null,
    };
  }

  /** Demo provider only: the buyer confirms their demo payment (idempotent). */
  @ApiBearerAuth()
  @SignedIn()
  @Post('demo/:paymentId/confirm')
  @HttpCode(200)
  confirmDemo(@CurrentPrincipal() p: Principal, @Param('paymentId') paymentId: string): Promise<DemoConfirmResponse> {
    return this.demo.confirm(p.userId, paymentId);
  }

  /** Stripe's webhook endpoint: the signature is checked on the raw bytes (`rawBody`), not on parsed JSON. */
  @ApiExcludeEndpoint()
  @Public()
  @Post('stripe/webhook')
  @HttpCode(200)
  stripeWebhook(
    @Req() req: RawBodyRequest<Request>,
    @Headers('stripe-signature') signature: string | undefined,
  ): Promise<StripeWebhookResponse> {
    return this.webhook.handle(req.rawBody, signature);
  }
}
