import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import {
  cancelPresaleSchema,
  createPresaleSchema,
  shipOrderSchema,
  type ConsolePresale,
  type ConsolePresaleOrder,
  type MyPresaleOrder,
  type PresaleBalanceResponse,
  type PublicPresale,
} from '@xiangbo/contracts';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { Public, SignedIn } from '../common/access.decorators';
import { PresaleService } from './presale.service';

class CreatePresaleDto extends createZodDto(createPresaleSchema) {}
class CancelPresaleDto extends createZodDto(cancelPresaleSchema) {}
class ShipDto extends createZodDto(shipOrderSchema) {}

/**
 * 预售: the buyer orders with POST /api/orders (the deposit) and pays with the payment routes; here the balance, the
 * buyer's pre-sale orders, the cooperative's console, and the public list on the transparency page.
 */
@ApiTags('presale')
@ApiBearerAuth()
@Controller()
export class PresaleController {
  constructor(private readonly presale: PresaleService) {}

  @SignedIn()
  @Get('presale-orders/mine')
  mine(@CurrentPrincipal() p: Principal): Promise<MyPresaleOrder[]> {
    return this.presale.mine(p.userId);
  }

  /** The balance order of the buyer's pre-sale order (its deposit order's id) and its payment. */
  @SignedIn()
  @Post('presale-orders/:orderId/balance')
  @HttpCode(200)
  balance(@CurrentPrincipal() p: Principal, @Param('orderId') orderId: string): Promise<PresaleBalanceResponse> {
    return this.presale.payBalance(p.userId, orderId);
  }

  /** Public (the transparency page): a cooperative's pre-sales and what its households were promised. */
  @Public()
  @Get('cooperatives/:id/presales')
  publicList(@Param('id') id: string): Promise<PublicPresale[]> {
    return this.presale.publicOfCooperative(id);
  }

  // ---- the cooperative's console ---------------------------------------------------------------------------

  @SignedIn()
  @Post('console/presales')
  create(@CurrentPrincipal() p: Principal, @Body() body: CreatePresaleDto): Promise<ConsolePresale> {
    return this.presale.create(p, body);
  }

  @SignedIn()
  @Get('console/cooperatives/:coopId/presales')
  list(@CurrentPrincipal() p: Principal, @Param('coopId') coopId: string): Promise<ConsolePresale[]> {
    return this.presale.listConsole(p, coopId);
  }

  /** The harvest is in: the balance becomes due (the buyers see 待付尾款). */
  @SignedIn()
  @Post('console/presales/:id/harvest')
  @HttpCode(200)
  harvest(@CurrentPrincipal() p: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<ConsolePresale> {
    return this.presale.harvest(p, id);
  }

  /** A failed harvest: every deposit is refunded automatically. */
  @SignedIn()
  @Post('console/presales/:id/cancel')
  @HttpCode(200)
  cancel(
    @CurrentPrincipal() p: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: CancelPresaleDto,
  ): Promise<ConsolePresale> {
    return this.presale.cancel(p, id, body.reason);
  }

  /** The cooperative's pre-sale orders: which can ship (balance paid), which wait for the harvest or the balance. */
  @SignedIn()
  @Get('console/cooperatives/:coopId/presale-orders')
  cooperativeOrders(@CurrentPrincipal() p: Principal, @Param('coopId') coopId: string): Promise<ConsolePresaleOrder[]> {
    return this.presale.cooperativeOrders(p, coopId);
  }

  /** Ships a pre-sale order: its deposit order and its balance order, one parcel. */
  @SignedIn()
  @Post('console/presale-orders/:orderId/ship')
  @HttpCode(200)
  ship(@CurrentPrincipal() p: Principal, @Param('orderId') orderId: string, @Body() body: ShipDto) {
    return this.presale.ship(p, orderId, body.carrier, body.trackingNumber);
  }
}
