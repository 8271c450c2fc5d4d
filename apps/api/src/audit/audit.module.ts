import { Module } from '@nestjs/common';
import { PayoutsModule } from '../payouts/payouts.module';
import { AdminAuditorsController, AuditController, ConsoleFindingsController } from './audit.controller';
import { AuditService } from './audit.service';
import { AuditorsService } from './auditors.service';
import { FindingsService } from './findings.service';

/** Auditors (assignment, reads, findings 问题线索) and the cooperative's answers to findings. */
@Module({
  imports: [PayoutsModule],
  controllers: [AdminAuditorsController, AuditController, ConsoleFindingsController],
  providers: [AuditService, AuditorsService, FindingsService],
})
export class AuditModule {}
