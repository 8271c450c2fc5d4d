import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { Roles } from '../common/access.decorators';
import { MoneySheetsService, parseSheetQuery, type SheetFile } from './money-sheets.service';

interface SheetQuery {
  format?: string;
  encoding?: string;
  names?: string;
}

/**
 * Household statements and payouts for spreadsheets, beside the ledger export (`…/ledger/export?format=csv|xlsx`):
 * `?format=csv` (default; `&encoding=gbk` for older Excel) or `?format=xlsx`, `&names=clear` for clear names (each
 * household's name read is access-logged). The cooperative's admins and its assigned auditors; others 404.
 */
@ApiTags('ledger')
@ApiBearerAuth()
@Controller()
export class MoneySheetsController {
  constructor(private readonly sheets: MoneySheetsService) {}

  @Roles('coop_admin', 'auditor')
  @Get('cooperatives/:id/ledger/statements')
  async statements(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Query() q: SheetQuery,
    @Res() res: Response,
  ): Promise<void> {
    const { format, clearNames } = parseSheetQuery(q);
    send(res, await this.sheets.statements(p, id, format, clearNames));
  }

  @Roles('coop_admin', 'auditor')
  @Get('cooperatives/:id/ledger/payouts')
  async payouts(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Query() q: SheetQuery,
    @Res() res: Response,
  ): Promise<void> {
    const { format, clearNames } = parseSheetQuery(q);
    send(res, await this.sheets.payouts(p, id, format, clearNames));
  }
}

function send(res: Response, file: SheetFile): void {
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Disposition', `attachment; filename="${file.filename}"`);
  res.setHeader('Cache-Control', 'no-store');
  res.send(file.body);
}
