import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import {
  dividendRequestSchema,
  platformFeeSchema,
  sharingPolicyInputSchema,
  type DividendPreviewDto,
  type ImpactReceiptDto,
  type SettlementOverview,
  type SettlementRunDto,
  type SharingPoliciesResponse,
  type SharingPolicyDto,
  type TransparencyDto,
} from '@xiangbo/contracts';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { Public, Roles, SignedIn } from '../common/access.decorators';
import { ValidationException } from '../common/app.exception';
import { DividendsService } from './dividends.service';
import { LedgerExportService } from './export.service';
import { ImpactService } from './impact.service';
import { PoliciesService } from './policies.service';
import { SettlementService } from './settlement.service';
import { TransparencyService } from './transparency.service';

class SharingPolicyDto_ extends createZodDto(sharingPolicyInputSchema) {}
class DividendDto extends createZodDto(dividendRequestSchema) {}
class PlatformFeeDto extends createZodDto(platformFeeSchema) {}

/** Sharing policies, settlement and dividends in the cooperative console: coop_admins act, hosts read, others 404. */
@ApiTags('console')
@ApiBearerAuth()
@Controller('console/cooperatives/:coopId')
export class ConsoleLedgerController {
  constructor(
    private readonly policies: PoliciesService,
    private readonly settlement: SettlementService,
    private readonly dividends: DividendsService,
  ) {}

  @Roles('coop_admin', 'host')
  @Get('sharing-policies')
  listPolicies(@CurrentPrincipal() p: Principal, @Param('coopId') coopId: string): Promise<SharingPoliciesResponse> {
    return this.policies.list(p, coopId);
  }

  @Roles('coop_admin')
  @Post('sharing-policies')
  createPolicy(
    @CurrentPrincipal() p: Principal,
    @Param('coopId') coopId: string,
    @Body() body: SharingPolicyDto_,
  ): Promise<SharingPolicyDto> {
    return this.policies.create(p, coopId, body);
  }

  @Roles('coop_admin', 'host')
  @Get('settlement-runs')
  overview(@CurrentPrincipal() p: Principal, @Param('coopId') coopId: string): Promise<SettlementOverview> {
    return this.settlement.overview(p, coopId);
  }

  /** Starts a settlement run (pg-boss job), or resumes the cooperative's unfinished one. */
  @Roles('coop_admin')
  @Post('settlement-runs')
  @HttpCode(202)
  startRun(@CurrentPrincipal() p: Principal, @Param('coopId') coopId: string): Promise<SettlementRunDto> {
    return this.settlement.start(p, coopId);
  }

  @Roles('coop_admin', 'host')
  @Get('settlement-runs/:runId')
  run(
    @CurrentPrincipal() p: Principal,
    @Param('coopId') coopId: string,
    @Param('runId') runId: string,
  ): Promise<SettlementRunDto> {
    return this.settlement.get(p, coopId, runId);
  }

  @Roles('coop_admin')
  @Post('dividends/preview')
  @HttpCode(200)
  previewDividend(
    @CurrentPrincipal() p: Principal,
    @Param('coopId') coopId: string,
    @Body() body: DividendDto,
  ): Promise<DividendPreviewDto> {
    return this.dividends.preview(p, coopId, body);
  }

  @Roles('coop_admin')
  @Post('dividends')
  postDividend(
    @CurrentPrincipal() p: Principal,
    @Param('coopId') coopId: string,
    @Body() body: DividendDto,
  ): Promise<DividendPreviewDto> {
    return this.dividends.post(p, coopId, body);
  }
}

/** The platform's fee on a cooperative's sales: set by the platform admin only, as a new policy version. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/cooperatives/:coopId')
export class AdminPlatformFeeController {
  constructor(private readonly policies: PoliciesService) {}

  @Roles('platform_admin')
  @Post('platform-fee')
  setPlatformFee(
    @CurrentPrincipal() p: Principal,
    @Param('coopId') coopId: string,
    @Body() body: PlatformFeeDto,
  ): Promise<SharingPolicyDto> {
    return this.policies.setPlatformFee(p, coopId, body);
  }
}

/** The ledger export (auditors, coop_admins), the impact receipt of an order, and the public transparency page. */
@ApiTags('ledger')
@Controller()
export class LedgerController {
  constructor(
    private readonly exports: LedgerExportService,
    private readonly impact: ImpactService,
    private readonly transparency: TransparencyService,
  ) {}

  /**
   * JSON Lines (`xiangbo-ledger/1`, docs/ledger.md), streamed; check it with `npm run verify-ledger -- <file>`.
   * `?format=csv` (`&encoding=gbk`): the same transactions, a row per posting, for a spreadsheet; `?format=xlsx`:
   * the same rows as an Excel workbook.
   */
  @ApiBearerAuth()
  @Roles('coop_admin', 'auditor')
  @Get('cooperatives/:id/ledger/export')
  async export(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Query('format') format: string | undefined,
    @Query('encoding') encoding: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const csv = format === 'csv';
    const xlsx = format === 'xlsx';
    if (format !== undefined && format !== 'csv' && format !== 'jsonl' && format !== 'xlsx')
      throw new ValidationException([{ field: 'format', message: 'must be jsonl, csv or xlsx' }]);
    if (encoding !== undefined && !(csv && (encoding === 'gbk' || encoding === 'utf-8')))
      throw new ValidationException([{ field: 'encoding', message: 'must be utf-8 or gbk (with format=csv)' }]);
    await this.exports.authorise(p, id, csv ? 'csv' : xlsx ? 'xlsx' : 'jsonl');
    const day = new Date().toISOString().slice(0, 10);
    if (xlsx) {
      res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      res.setHeader('Content-Disposition', `attachment; filename="ledger-${id}-${day}.xlsx"`);
    } else if (csv) {
      const gbk = encoding === 'gbk';
      res.setHeader('Content-Type', `text/csv; charset=${gbk ? 'gbk' : 'utf-8'}`);
      res.setHeader('Content-Disposition', `attachment; filename="ledger-${id}-${day}${gbk ? '-gbk' : ''}.csv"`);
    } else {
      res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="ledger-${id}-${day}.jsonl"`);
    }
    res.setHeader('Cache-Control', 'no-store');
    try {
      if (xlsx) await this.exports.writeXlsx(id, res);
      else if (csv) await this.exports.writeCsv(id, res, encoding === 'gbk' ? 'gbk' : 'utf-8');
      else await this.exports.write(id, res);
      res.end();
    } catch (e) {
      // Once streaming has begun the status cannot change: cut the connection, so the file is visibly incomplete
      // (the verifier reports the missing footer) instead of silently short.
      if (!res.headersSent) throw e;
      res.destroy(e as Error);
    }
  }

  @ApiBearerAuth()
  @SignedIn()
  @Get('orders/:id/impact')
  receipt(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<ImpactReceiptDto> {
    return this.impact.receipt(p, id);
  }

  @Public()
  @Get('cooperatives/:id/transparency')
  page(@Param('id') id: string): Promise<TransparencyDto> {
    return this.transparency.page(id);
  }
}
