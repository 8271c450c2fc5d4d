import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { CATALOG_CACHE_TTL_MS, CatalogCache } from './catalog-cache';
import { ConsoleProductsController } from './console-products.controller';
import { ConsoleProductsService } from './console-products.service';
import { LotsService } from './lots.service';
import { PreparedReads } from './prepared-reads';
import { ProductsController } from './products.controller';
import { ProductsService } from './products.service';

/** The produce catalogue: products, photos (through StorageService), lots with supplying households, search, trace. */
@Module({
  controllers: [ProductsController, ConsoleProductsController],
  providers: [
    ProductsService,
    ConsoleProductsService,
    LotsService,
    PreparedReads,
    CatalogCache,
    { provide: CATALOG_CACHE_TTL_MS, inject: [APP_CONFIG], useFactory: (c: AppConfig) => c.CATALOG_CACHE_TTL_MS },
  ],
  exports: [ProductsService, ConsoleProductsService, LotsService, CatalogCache],
})
export class CatalogModule {}
