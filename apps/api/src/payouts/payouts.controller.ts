import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import {
  createPayoutBatchSchema,
  payoutExportQuerySchema,
  payoutListQuerySchema,
  recordPayoutSchema,
} from '@xiangbo/contracts';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { Roles } from '../common/access.decorators';
import { PayoutsService } from './payouts.service';
import { StatementsService } from './statements.service';

class CreateBatchDto extends createZodDto(createPayoutBatchSchema) {}
class RecordDto extends createZodDto(recordPayoutSchema) {}
class ListDto extends createZodDto(payoutListQuerySchema) {}
class ExportDto extends createZodDto(payoutExportQuerySchema) {}

/** Payouts (兑付) in the cooperative console: coop_admins act, hosts read, other cooperatives get 404. */
@ApiTags('payouts')
@ApiBearerAuth()
@Controller('console')
export class PayoutsController {
  constructor(
    private readonly payouts: PayoutsService,
    private readonly statements: StatementsService,
  ) {}

  @Roles('coop_admin')
  @Post('cooperatives/:coopId/payout-batches')
  createBatch(@CurrentPrincipal() p: Principal, @Param('coopId') coopId: string, @Body() body: CreateBatchDto) {
    return this.payouts.createBatch(p, coopId, body.thresholdFen);
  }

  @Roles('coop_admin', 'host')
  @Get('cooperatives/:coopId/payout-batches')
  listBatches(@CurrentPrincipal() p: Principal, @Param('coopId') coopId: string) {
    return this.payouts.listBatches(p, coopId);
  }

  @Roles('coop_admin', 'host')
  @Get('cooperatives/:coopId/payout-batches/:batchId')
  batch(@CurrentPrincipal() p: Principal, @Param('coopId') coopId: string, @Param('batchId') batchId: string) {
    return this.payouts.batchDetail(p, coopId, batchId);
  }

  /** The bank's bulk-payment CSV with clear names (coop_admin only; every name is access-logged). */
  @Roles('coop_admin')
  @Get('cooperatives/:coopId/payout-batches/:batchId/export.csv')
  async export(
    @CurrentPrincipal() p: Principal,
    @Param('coopId') coopId: string,
    @Param('batchId') batchId: string,
    @Query() q: ExportDto,
    @Res() res: Response,
  ) {
    const file = await this.payouts.exportCsv(p, coopId, batchId, q.encoding);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Disposition', `attachment; filename="${file.filename}"`);
    res.setHeader('Cache-Control', 'no-store');
    res.send(file.body);
  }

  /** The same as an Excel workbook (XLSX), beside the CSV; coop_admin only, every name access-logged. */
  @Roles('coop_admin')
  @Get('cooperatives/:coopId/payout-batches/:batchId/export.xlsx')
  async exportXlsx(
    @CurrentPrincipal() p: Principal,
    @Param('coopId') coopId: string,
    @Param('batchId') batchId: string,
    @Res() res: Response,
  ) {
    const file = await this.payouts.exportXlsx(p, coopId, batchId);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Disposition', `attachment; filename="${file.filename}"`);
    res.setHeader('Cache-Control', 'no-store');
    res.send(file.body);
  }

  @Roles('coop_admin', 'host')
  @Get('cooperatives/:coopId/payouts')
  list(@CurrentPrincipal() p: Principal, @Param('coopId') coopId: string, @Query() q: ListDto) {
    return this.payouts.list(p, coopId, q);
  }

  /** Records the payment; the household is sent its code by SMS (never answered here) or an auditor attests. */
  @Roles('coop_admin')
  @Post('payouts/:id/record')
  @HttpCode(200)
  record(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: RecordDto) {
    return this.payouts.record(p, id, body);
  }

  /** A household's statement with the cooperative, clear name included: the read is access-logged. */
  @Roles('coop_admin')
  @Get('cooperatives/:coopId/households/:householdId/statement')
  statement(
    @CurrentPrincipal() p: Principal,
    @Param('coopId') coopId: string,
    @Param('householdId') householdId: string,
  ) {
    this.payouts.assertScope(p, coopId, 'manage');
    return this.statements.staffStatement({ userId: p.userId, role: 'coop_admin' }, coopId, householdId);
  }
}
