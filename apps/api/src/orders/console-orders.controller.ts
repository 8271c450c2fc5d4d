import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import {
  orderListQuerySchema,
  refundDecisionSchema,
  refundRequestSchema,
  shipBatchSchema,
  shipOrderSchema,
} from '@xiangbo/contracts';
import { chinaDay } from '@xiangbo/domain';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { Roles } from '../common/access.decorators';
import { ConsoleOrdersService } from './console-orders.service';
import { LifecycleService } from './lifecycle.service';

class ShipDto extends createZodDto(shipOrderSchema) {}
class ShipBatchDto extends createZodDto(shipBatchSchema) {}
class RefundDto extends createZodDto(refundRequestSchema) {}
class DecisionDto extends createZodDto(refundDecisionSchema) {}
class ListDto extends createZodDto(orderListQuerySchema) {}

/** Fulfilment in the cooperative console. coop_admins act; hosts may read; other cooperatives get 404. */
@ApiTags('console')
@ApiBearerAuth()
@Controller('console')
export class ConsoleOrdersController {
  constructor(
    private readonly lifecycle: LifecycleService,
    private readonly consoleOrders: ConsoleOrdersService,
  ) {}

  @Roles('coop_admin', 'host')
  @Get('cooperatives/:coopId/orders')
  list(@CurrentPrincipal() p: Principal, @Param('coopId') coopId: string, @Query() q: ListDto) {
    this.lifecycle.assertScope(p, coopId, 'read');
    return this.consoleOrders.list(coopId, q.status, q.page, q.pageSize);
  }

  /** Packing list of the orders waiting to ship (CSV, UTF-8 with BOM so Excel opens the Chinese correctly). */
  @Roles('coop_admin', 'host')
  @Get('cooperatives/:coopId/packing-list.csv')
  async packingList(@CurrentPrincipal() p: Principal, @Param('coopId') coopId: string, @Res() res: Response) {
    this.lifecycle.assertScope(p, coopId, 'read');
    const csv = await this.consoleOrders.packingListCsv(coopId);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="packing-list-${chinaDay(new Date())}.csv"`);
    res.send(csv);
  }

  @Roles('coop_admin')
  @Post('orders/:id/ship')
  @HttpCode(200)
  ship(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: ShipDto) {
    return this.lifecycle.ship(p, id, body.carrier, body.trackingNumber);
  }

  @Roles('coop_admin')
  @Post('cooperatives/:coopId/orders/ship-batch')
  @HttpCode(200)
  shipBatch(@CurrentPrincipal() p: Principal, @Param('coopId') coopId: string, @Body() body: ShipBatchDto) {
    return this.lifecycle.shipBatch(p, coopId, body.orders);
  }

  @Roles('coop_admin')
  @Post('orders/:id/deliver')
  @HttpCode(200)
  deliver(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.lifecycle.markDelivered(p, id);
  }

  @Roles('coop_admin')
  @Post('orders/:id/refunds')
  refund(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: RefundDto) {
    return this.lifecycle.refundByCooperative(p, id, body.reason, body.amountFen);
  }

  @Roles('coop_admin', 'host')
  @Get('cooperatives/:coopId/refunds')
  refunds(@CurrentPrincipal() p: Principal, @Param('coopId') coopId: string) {
    this.lifecycle.assertScope(p, coopId, 'read');
    return this.consoleOrders.refunds(coopId);
  }

  @Roles('coop_admin')
  @Post('refunds/:id/accept')
  @HttpCode(200)
  accept(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: DecisionDto) {
    return this.lifecycle.decideRefund(p, id, true, body.note);
  }

  @Roles('coop_admin')
  @Post('refunds/:id/decline')
  @HttpCode(200)
  decline(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: DecisionDto) {
    return this.lifecycle.decideRefund(p, id, false, body.note);
  }
}
