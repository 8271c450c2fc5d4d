import { Global, Module } from '@nestjs/common';
import { FilesController } from './files.controller';
import { LocalStorage } from './local-storage';
import { StorageService } from './storage.service';

/** Global: any feature injects `StorageService` (LocalStorage today; an S3-compatible store can be swapped in here). */
@Global()
@Module({
  controllers: [FilesController],
  providers: [{ provide: StorageService, useClass: LocalStorage }],
  exports: [StorageService],
})
export class StorageModule {}
