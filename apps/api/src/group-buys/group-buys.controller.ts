import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import {
  groupOfferSchema,
  joinGroupSchema,
  openGroupSchema,
  openGroupsQuerySchema,
  type ConsoleGroupOffer,
  type GroupBuyView,
  type GroupSeatResponse,
  type MyGroupOrder,
  type OpenGroupSummary,
} from '@xiangbo/contracts';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { Public, SignedIn } from '../common/access.decorators';
import { GroupBuysService } from './group-buys.service';

class OpenGroupDto extends createZodDto(openGroupSchema) {}
class JoinGroupDto extends createZodDto(joinGroupSchema) {}
class GroupOfferDto extends createZodDto(groupOfferSchema) {}
class OpenGroupsQueryDto extends createZodDto(openGroupsQuerySchema) {}

/** 拼团: open a group, join one through its shared link, see it; the buyer's group orders. */
@ApiTags('group-buys')
@ApiBearerAuth()
@Controller()
export class GroupBuysController {
  constructor(private readonly groups: GroupBuysService) {}

  /** Opens a group at the product's group price: the opener's order and payment (pay with the payment routes). */
  @SignedIn()
  @Post('group-buys')
  open(@CurrentPrincipal() p: Principal, @Body() body: OpenGroupDto): Promise<GroupSeatResponse> {
    return this.groups.open(p.userId, body.productId, body.quantity, body.address);
  }

  /** Open groups of a product to join (someone has paid, a seat is free, time is left). */
  @Public()
  @Get('group-buys')
  list(@Query() q: OpenGroupsQueryDto): Promise<OpenGroupSummary[]> {
    return this.groups.openGroups(q.productId);
  }

  /** The buyer's group orders (their order list shows 拼团中 / 已成团 / 拼团失败·已退款). */
  @SignedIn()
  @Get('group-buys/mine')
  mine(@CurrentPrincipal() p: Principal): Promise<MyGroupOrder[]> {
    return this.groups.mine(p.userId);
  }

  /** The shared page: public, so the link opens signed out (sign in to join). */
  @Public()
  @Get('group-buys/:groupId')
  view(@CurrentPrincipal() p: Principal | undefined, @Param('groupId') groupId: string): Promise<GroupBuyView> {
    return this.groups.view(groupId, p?.userId ?? null);
  }

  @SignedIn()
  @Post('group-buys/:groupId/join')
  join(
    @CurrentPrincipal() p: Principal,
    @Param('groupId') groupId: string,
    @Body() body: JoinGroupDto,
  ): Promise<GroupSeatResponse> {
    return this.groups.join(p.userId, groupId, body.quantity, body.address);
  }

  // ---- the cooperative's console ---------------------------------------------------------------------------

  /** The cooperative's group orders: its order list marks those that cannot ship yet (拼团中). */
  @SignedIn()
  @Get('console/cooperatives/:coopId/group-orders')
  cooperativeOrders(@CurrentPrincipal() p: Principal, @Param('coopId') coopId: string): Promise<MyGroupOrder[]> {
    return this.groups.cooperativeOrders(p, coopId);
  }

  @SignedIn()
  @Get('console/products/:productId/group-offer')
  offer(
    @CurrentPrincipal() p: Principal,
    @Param('productId', new ParseUUIDPipe()) productId: string,
  ): Promise<ConsoleGroupOffer> {
    return this.groups.consoleOffer(p, productId);
  }

  @SignedIn()
  @Put('console/products/:productId/group-offer')
  setOffer(
    @CurrentPrincipal() p: Principal,
    @Param('productId', new ParseUUIDPipe()) productId: string,
    @Body() body: GroupOfferDto,
  ): Promise<ConsoleGroupOffer> {
    return this.groups.setOffer(p, productId, body);
  }
}
