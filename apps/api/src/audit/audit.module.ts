import { Module } from '@nestjs/common';
import { PayoutsModule } from '../payouts/payouts.module';
import { AdminAuditorsController, AuditController, ConsoleFindingsController } from './audit.controller';
import { AuditService } from './audit.service';
import { AuditorsService } from './auditors.service';
import { FindingsService } from './findings.service';
import { PayoutChecksService } from './payout-checks.service';

/**
 * Auditors (assignment, reads, findings 问题线索), the cooperative's answers to findings, and the auditors' part in
 * payout confirmation: attesting in person (现场确认) and call-back checks of a random sample (回访抽查).
 */
@Module({
  imports: [PayoutsModule],
  controllers: [AdminAuditorsController, AuditController, ConsoleFindingsController],
  providers: [AuditService, AuditorsService, FindingsService, PayoutChecksService],
})
export class AuditModule {}
