import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { OrdersModule } from '../orders/orders.module';
import { GroupBuysController } from './group-buys.controller';
import { GroupBuysRepository } from './group-buys.repository';
import { GroupBuysService } from './group-buys.service';

/** 拼团: group offers, groups and seats; orders host the members' orders through OrderHooks. */
@Module({
  imports: [OrdersModule, CatalogModule],
  controllers: [GroupBuysController],
  providers: [GroupBuysService, GroupBuysRepository],
  exports: [GroupBuysService],
})
export class GroupBuysModule {}
