import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module';
import { AfterSalesController } from './after-sales.controller';
import { AfterSalesRepository } from './after-sales.repository';
import { AfterSalesService } from './after-sales.service';

/** After-sales (售后) with photos and the cooperatives' promises; money back through the orders' refund path. */
@Module({
  imports: [OrdersModule],
  controllers: [AfterSalesController],
  providers: [AfterSalesRepository, AfterSalesService],
})
export class AfterSalesModule {}
