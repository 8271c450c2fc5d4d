import { Global, Module } from '@nestjs/common';
import { AccessLogController } from './access-log.controller';
import { HouseholdsController } from './households.controller';
import { HouseholdsService } from './households.service';
import { IdNumberHasher } from './id-number-hasher';
import { PersonalDataCipher } from './personal-data-cipher';
import { PersonalDataAccessService } from './personal-data-access.service';
import { RegistryImportService } from './registry-import.service';

/**
 * The household registry (platform admins) and the personal-data access log. Global so that cooperatives
 * (members) and catalog (lot suppliers) can inject IdNumberHasher, PersonalDataAccessService and HouseholdsService.
 */
@Global()
@Module({
  controllers: [HouseholdsController, AccessLogController],
  providers: [HouseholdsService, RegistryImportService, IdNumberHasher, PersonalDataAccessService, PersonalDataCipher],
  exports: [HouseholdsService, IdNumberHasher, PersonalDataAccessService, PersonalDataCipher],
})
export class HouseholdsModule {}
