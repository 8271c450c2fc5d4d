import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { LedgerModule } from '../ledger/ledger.module';
import { OrdersModule } from '../orders/orders.module';
import { PresaleController } from './presale.controller';
import { PresaleRepository } from './presale.repository';
import { PresaleService } from './presale.service';

/** 预售: pre-sales with their households' promises; orders host the deposit and balance orders through OrderHooks. */
@Module({
  imports: [OrdersModule, CatalogModule, LedgerModule],
  controllers: [PresaleController],
  providers: [PresaleService, PresaleRepository],
  exports: [PresaleService],
})
export class PresaleModule {}
