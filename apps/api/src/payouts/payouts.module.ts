import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module';
import { HouseholdLinksController } from './household-links.controller';
import { HouseholdLinksService } from './household-links.service';
import { MoneySheetsController } from './money-sheets.controller';
import { MoneySheetsService } from './money-sheets.service';
import { PayoutsController } from './payouts.controller';
import { PayoutsService } from './payouts.service';
import { StatementsService } from './statements.service';

/** Payouts (兑付): batches, bank export, recording, household confirmation and statements. */
@Module({
  imports: [LedgerModule],
  controllers: [PayoutsController, HouseholdLinksController, MoneySheetsController],
  providers: [PayoutsService, HouseholdLinksService, StatementsService, MoneySheetsService],
  exports: [PayoutsService, StatementsService],
})
export class PayoutsModule {}
