import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import {
  answerFindingSchema,
  assignAuditorSchema,
  attestPayoutSchema,
  closeFindingSchema,
  createCallbackSampleSchema,
  createFindingSchema,
  recordCallbackSchema,
} from '@xiangbo/contracts';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { Roles } from '../common/access.decorators';
import { AuditService } from './audit.service';
import { AuditorsService } from './auditors.service';
import { FindingsService } from './findings.service';
import { PayoutChecksService } from './payout-checks.service';

class AssignAuditorDto extends createZodDto(assignAuditorSchema) {}
class CreateFindingDto extends createZodDto(createFindingSchema) {}
class CloseFindingDto extends createZodDto(closeFindingSchema) {}
class AnswerFindingDto extends createZodDto(answerFindingSchema) {}
class AttestPayoutDto extends createZodDto(attestPayoutSchema) {}
class CreateCallbackSampleDto extends createZodDto(createCallbackSampleSchema) {}
class RecordCallbackDto extends createZodDto(recordCallbackSchema) {}

/** Platform admins assign auditors to cooperatives. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/cooperatives/:coopId/auditors')
export class AdminAuditorsController {
  constructor(private readonly auditors: AuditorsService) {}

  @Roles('platform_admin')
  @Get()
  list(@Param('coopId') coopId: string) {
    return this.auditors.list(coopId);
  }

  @Roles('platform_admin')
  @Post()
  @HttpCode(200)
  assign(@CurrentPrincipal() p: Principal, @Param('coopId') coopId: string, @Body() body: AssignAuditorDto) {
    return this.auditors.assign(p.userId, coopId, body.userId);
  }

  @Roles('platform_admin')
  @Delete(':userId')
  revoke(@Param('coopId') coopId: string, @Param('userId') userId: string) {
    return this.auditors.revoke(coopId, userId);
  }
}

/** The auditor's side: assigned cooperatives only (others: 404). */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly findings: FindingsService,
    private readonly checks: PayoutChecksService,
  ) {}

  @Roles('auditor')
  @Get('cooperatives')
  cooperatives(@CurrentPrincipal() p: Principal) {
    return this.audit.cooperatives(p);
  }

  @Roles('auditor')
  @Get('cooperatives/:id/overview')
  overview(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.audit.overview(p, id);
  }

  @Roles('auditor')
  @Get('cooperatives/:id/households/:householdId/statement')
  statement(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Param('householdId') householdId: string) {
    return this.audit.statement(p, id, householdId);
  }

  @Roles('auditor')
  @Get('cooperatives/:id/findings')
  listFindings(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.findings.forAuditor(p, id);
  }

  @Roles('auditor')
  @Post('cooperatives/:id/findings')
  raise(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: CreateFindingDto) {
    return this.findings.raise(p, id, body);
  }

  /** Paid payouts awaiting confirmation (households without a phone first); clear names are access-logged. */
  @Roles('auditor')
  @Get('cooperatives/:id/payouts-to-attest')
  toAttest(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.checks.toAttest(p, id);
  }

  /** The household confirmed receipt in front of this auditor (现场确认). */
  @Roles('auditor')
  @Post('payouts/:id/attest')
  @HttpCode(200)
  attest(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: AttestPayoutDto) {
    return this.checks.attest(p, id, body.note);
  }

  /** 回访抽查: draw a random sample of confirmed payouts (server-side, recorded). */
  @Roles('auditor')
  @Post('cooperatives/:id/callback-samples')
  drawSample(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: CreateCallbackSampleDto) {
    return this.checks.drawSample(p, id, body.size);
  }

  @Roles('auditor')
  @Get('cooperatives/:id/callback-samples')
  samples(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.checks.listSamples(p, id);
  }

  /** Who to call: the registry phone in full (access-logged). */
  @Roles('auditor')
  @Get('callback-checks/:id/contact')
  contact(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.checks.contact(p, id);
  }

  @Roles('auditor')
  @Post('callback-checks/:id')
  @HttpCode(200)
  recordOutcome(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: RecordCallbackDto) {
    return this.checks.recordOutcome(p, id, body);
  }

  @Roles('auditor')
  @Post('findings/:id/close')
  @HttpCode(200)
  close(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: CloseFindingDto) {
    return this.findings.close(p, id, body.note);
  }
}

/** The cooperative answers findings: coop_admins answer, hosts read, others get 404. */
@ApiTags('console')
@ApiBearerAuth()
@Controller('console')
export class ConsoleFindingsController {
  constructor(private readonly findings: FindingsService) {}

  @Roles('coop_admin', 'host')
  @Get('cooperatives/:coopId/findings')
  list(@CurrentPrincipal() p: Principal, @Param('coopId') coopId: string) {
    return this.findings.forCooperative(p, coopId);
  }

  @Roles('coop_admin')
  @Post('findings/:id/answer')
  @HttpCode(200)
  answer(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: AnswerFindingDto) {
    return this.findings.answer(p, id, body.answer);
  }
}
