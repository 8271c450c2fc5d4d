import { Module } from '@nestjs/common';
import { PAYMENT_EFFECTS } from '../payments/payment-provider';
import { LedgerModule } from '../ledger/ledger.module';
import { PaymentsModule } from '../payments/payments.module';
import { CartService } from './cart.service';
import { ClaimsService } from './claims.service';
import { ConsoleOrdersController } from './console-orders.controller';
import { ConsoleOrdersService } from './console-orders.service';
import { LifecycleService } from './lifecycle.service';
import { OrderHooks } from './order-hooks';
import { OrdersController } from './orders.controller';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';
import { OrderPaymentEffects } from './payment-effects.service';

@Module({
  imports: [PaymentsModule, LedgerModule],
  controllers: [OrdersController, ConsoleOrdersController],
  providers: [
    OrdersService,
    LifecycleService,
    CartService,
    ConsoleOrdersService,
    OrderPaymentEffects,
    OrdersRepository,
    OrderHooks,
    ClaimsService,
    { provide: PAYMENT_EFFECTS, useExisting: OrderPaymentEffects },
  ],
  exports: [OrdersService, LifecycleService, PAYMENT_EFFECTS, ClaimsService, OrderHooks],
})
export class OrdersModule {}
