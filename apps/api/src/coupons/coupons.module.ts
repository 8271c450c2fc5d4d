import { Module } from '@nestjs/common';
import { LiveModule } from '../live/live.module';
import { OrdersModule } from '../orders/orders.module';
import { CouponsController } from './coupons.controller';
import { CouponsRepository } from './coupons.repository';
import { CouponsService } from './coupons.service';

/** 直播间专享券: dropped in a live show, claimed in batches, used at checkout through orders' discount hook. */
@Module({
  imports: [OrdersModule, LiveModule],
  controllers: [CouponsController],
  providers: [CouponsService, CouponsRepository],
  exports: [CouponsService],
})
export class CouponsModule {}
