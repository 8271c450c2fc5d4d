import { Module } from '@nestjs/common';
import { PAYMENT_EFFECTS } from '../payments/payment-provider';
import { LedgerModule } from '../ledger/ledger.module';
import { PaymentsModule } from '../payments/payments.module';
import { CartService } from './cart.service';
import { ConsoleOrdersController } from './console-orders.controller';
import { ConsoleOrdersService } from './console-orders.service';
import { LifecycleService } from './lifecycle.service';
import { OrdersController } from './orders.controller';
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
    { provide: PAYMENT_EFFECTS, useExisting: OrderPaymentEffects },
  ],
  exports: [OrdersService, LifecycleService, PAYMENT_EFFECTS],
})
export class OrdersModule {}
