import { Module } from '@nestjs/common';
import { ConsoleProductsController } from './console-products.controller';
import { ConsoleProductsService } from './console-products.service';
import { LotsService } from './lots.service';
import { PreparedReads } from './prepared-reads';
import { ProductsController } from './products.controller';
import { ProductsService } from './products.service';

/** The produce catalogue: products, photos (through StorageService), lots with supplying households, search, trace. */
@Module({
  controllers: [ProductsController, ConsoleProductsController],
  providers: [ProductsService, ConsoleProductsService, LotsService, PreparedReads],
  exports: [ProductsService, ConsoleProductsService, LotsService],
})
export class CatalogModule {}
