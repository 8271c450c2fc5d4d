import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, UploadedFile } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import {
  createAfterSalesSchema,
  decideAfterSalesSchema,
  decideDisputeSchema,
  escalateAfterSalesSchema,
  returnShipmentSchema,
  setPromisesSchema,
  type AdminDisputeView,
  type AfterSalesView,
  type CooperativePromises,
} from '@xiangbo/contracts';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { Public, Roles, SignedIn } from '../common/access.decorators';
import { AfterSalesService, type UploadedBytes } from './after-sales.service';
import { ImageUpload } from '../storage/image-upload.decorator';

class CreateAfterSalesDto extends createZodDto(createAfterSalesSchema) {}
class DecideAfterSalesDto extends createZodDto(decideAfterSalesSchema) {}
class ReturnShipmentDto extends createZodDto(returnShipmentSchema) {}
class EscalateDto extends createZodDto(escalateAfterSalesSchema) {}
class DecideDisputeDto extends createZodDto(decideDisputeSchema) {}
class DisputeQueueQuery extends createZodDto(
  z.object({ status: z.enum(['open', 'decided'], { message: 'must be open or decided' }).default('open') }),
) {}
class SetPromisesDto extends createZodDto(setPromisesSchema) {}
class NoteDto extends createZodDto(
  z.object({ note: z.string().trim().max(300, { message: 'must be at most 300 characters' }).optional() }),
) {}

/** After-sales (售后): the buyer's requests per order, the cooperative's answers, the promises it chose. */
@ApiTags('after-sales')
@ApiBearerAuth()
@Controller()
export class AfterSalesController {
  constructor(private readonly afterSales: AfterSalesService) {}

  @SignedIn()
  @Post('orders/:id/after-sales')
  create(
    @CurrentPrincipal() p: Principal,
    @Param('id') orderId: string,
    @Body() body: CreateAfterSalesDto,
  ): Promise<AfterSalesView> {
    return this.afterSales.create(p, orderId, body);
  }

  @SignedIn()
  @Get('orders/:id/after-sales')
  forOrder(@CurrentPrincipal() p: Principal, @Param('id') orderId: string): Promise<AfterSalesView[]> {
    return this.afterSales.forOrder(p, orderId);
  }

  /** One photo per call (multipart field "photo"), to the caller's undecided request, at most 6. */
  @SignedIn()
  @Post('after-sales/:id/photos')
  @ImageUpload()
  addPhoto(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @UploadedFile() file: UploadedBytes | undefined,
  ): Promise<AfterSalesView> {
    return this.afterSales.addPhoto(p, id, file);
  }

  @SignedIn()
  @Post('after-sales/:id/return-shipment')
  @HttpCode(200)
  shipReturn(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: ReturnShipmentDto,
  ): Promise<AfterSalesView> {
    return this.afterSales.shipReturn(p, id, body.carrier, body.trackingNumber);
  }

  @Public()
  @Get('cooperatives/:id/promises')
  promises(@Param('id') id: string): Promise<CooperativePromises> {
    return this.afterSales.promisesOf(id);
  }

  @Roles('coop_admin')
  @Put('console/cooperatives/:coopId/promises')
  setPromises(
    @CurrentPrincipal() p: Principal,
    @Param('coopId') coopId: string,
    @Body() body: SetPromisesDto,
  ): Promise<CooperativePromises> {
    return this.afterSales.setPromises(p, coopId, body);
  }

  @Roles('coop_admin', 'host')
  @Get('console/cooperatives/:coopId/after-sales')
  forCooperative(@CurrentPrincipal() p: Principal, @Param('coopId') coopId: string): Promise<AfterSalesView[]> {
    return this.afterSales.forCooperative(p, coopId);
  }

  @Roles('coop_admin', 'host')
  @Post('console/after-sales/:id/decision')
  @HttpCode(200)
  decide(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: DecideAfterSalesDto,
  ): Promise<AfterSalesView> {
    return this.afterSales.decide(p, id, body.accept, body.note || undefined);
  }

  @Roles('coop_admin', 'host')
  @Post('console/after-sales/:id/received')
  @HttpCode(200)
  received(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: NoteDto): Promise<AfterSalesView> {
    return this.afterSales.received(p, id, body.note || undefined);
  }

  /** 申请平台介入: the buyer takes a refused (or unanswered) request to the platform, once, with a note. */
  @SignedIn()
  @Post('after-sales/:id/escalation')
  escalate(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: EscalateDto,
  ): Promise<AfterSalesView> {
    return this.afterSales.escalate(p, id, body.note);
  }

  /** 平台管理 → 售后纠纷: open disputes oldest first (or the latest decided). */
  @Roles('platform_admin')
  @Get('admin/after-sales/disputes')
  disputes(@Query() q: DisputeQueueQuery): Promise<AdminDisputeView[]> {
    return this.afterSales.disputeQueue(q.status);
  }

  @Roles('platform_admin')
  @Post('admin/after-sales/disputes/:id/decision')
  @HttpCode(200)
  decideDispute(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: DecideDisputeDto,
  ): Promise<AfterSalesView> {
    return this.afterSales.decideDispute(p, id, body);
  }
}
