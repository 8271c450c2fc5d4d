import { Module } from '@nestjs/common';
import { DividendsService } from './dividends.service';
import { LedgerExportService } from './export.service';
import { LedgerHeadsController } from './heads/ledger-heads.controller';
import { LedgerHeadsService } from './heads/ledger-heads.service';
import { LedgerSigningKey } from './heads/ledger-signing-key';
import { ImpactService } from './impact.service';
import { AdminPlatformFeeController, ConsoleLedgerController, LedgerController } from './ledger.controller';
import { LedgerService } from './ledger.service';
import { OrderLedgerService } from './order-ledger.service';
import { PoliciesService } from './policies.service';
import { SettlementService } from './settlement.service';
import { TransparencyService } from './transparency.service';

/**
 * The ledger (hash-chained double entry), sharing policies, settlement, dividends, exports, impact receipts
 * and the public transparency page. Imports no feature module (orders import this one): it reads the
 * tables of orders, catalogue and households directly. JobsService and PersonalDataAccessService are global.
 */
@Module({
  controllers: [ConsoleLedgerController, LedgerController, LedgerHeadsController, AdminPlatformFeeController],
  providers: [
    LedgerService,
    OrderLedgerService,
    PoliciesService,
    SettlementService,
    DividendsService,
    LedgerExportService,
    ImpactService,
    TransparencyService,
    LedgerSigningKey,
    LedgerHeadsService,
  ],
  exports: [LedgerService, OrderLedgerService, PoliciesService, LedgerHeadsService, SettlementService],
})
export class LedgerModule {}
