import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import {
  cartItemSchema,
  mergeCartSchema,
  orderListQuerySchema,
  placeOrderSchema,
  refundRequestSchema,
  saveAddressSchema,
  type PlaceOrderResponse,
} from '@xiangbo/contracts';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { SignedIn } from '../common/access.decorators';
import { CartService } from './cart.service';
import { LifecycleService } from './lifecycle.service';
import { OrderHooks } from './order-hooks';
import { OrdersService } from './orders.service';

class PlaceOrderDto extends createZodDto(placeOrderSchema) {}
class CartItemDto extends createZodDto(cartItemSchema) {}
class CartQuantityDto extends createZodDto(z.object({ quantity: cartItemSchema.shape.quantity })) {}
class MergeCartDto extends createZodDto(mergeCartSchema) {}
class SaveAddressDto extends createZodDto(saveAddressSchema) {}
class OrderListQueryDto extends createZodDto(orderListQuerySchema) {}
class RefundRequestDto extends createZodDto(refundRequestSchema) {}

@ApiTags('orders')
@ApiBearerAuth()
@Controller()
export class OrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly lifecycle: LifecycleService,
    private readonly cart: CartService,
    private readonly hooks: OrderHooks,
  ) {}

  @SignedIn()
  @Post('orders')
  place(@CurrentPrincipal() p: Principal, @Body() body: PlaceOrderDto): Promise<PlaceOrderResponse> {
    return this.orders.place(p.userId, body);
  }

  @SignedIn()
  @Get('orders')
  list(@CurrentPrincipal() p: Principal, @Query() q: OrderListQueryDto) {
    return this.orders.listForBuyer(p.userId, q.status, q.page, q.pageSize);
  }

  @SignedIn()
  @Get('orders/:id')
  async get(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    const order = await this.orders.readable(p, id);
    // the order, and what other features add to its detail (the parcel's steps)
    const [dto, parts] = await Promise.all([this.orders.dto(order.id), this.hooks.detail(order.id)]);
    return { ...dto, ...parts };
  }

  @SignedIn()
  @Post('orders/:id/cancel')
  @HttpCode(200)
  cancel(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.lifecycle.cancelByBuyer(p, id);
  }

  @SignedIn()
  @Post('orders/:id/confirm-receipt')
  @HttpCode(200)
  confirm(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.lifecycle.confirmReceipt(p, id);
  }

  @SignedIn()
  @Post('orders/:id/refund-requests')
  requestRefund(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: RefundRequestDto) {
    return this.lifecycle.requestRefund(p, id, body.reason, body.amountFen);
  }

  /** The checkout (payment) of the buyer's orders: creates the provider intent if it is still missing. */
  @SignedIn()
  @Post('payments/:id/intent')
  @HttpCode(200)
  intent(@CurrentPrincipal() p: Principal, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.orders.ensureIntent(p.userId, id);
  }

  // ---- cart -----------------------------------------------------------------------------------------------

  @SignedIn()
  @Get('cart')
  cartLines(@CurrentPrincipal() p: Principal) {
    return this.cart.lines(p.userId);
  }

  @SignedIn()
  @Post('cart/items')
  addToCart(@CurrentPrincipal() p: Principal, @Body() body: CartItemDto) {
    return this.cart.set(p.userId, body.productId, body.quantity);
  }

  @SignedIn()
  @Put('cart/items/:productId')
  setQuantity(
    @CurrentPrincipal() p: Principal,
    @Param('productId', new ParseUUIDPipe()) productId: string,
    @Body() body: CartQuantityDto,
  ) {
    return this.cart.set(p.userId, productId, body.quantity);
  }

  @SignedIn()
  @Delete('cart/items/:productId')
  removeFromCart(@CurrentPrincipal() p: Principal, @Param('productId', new ParseUUIDPipe()) productId: string) {
    return this.cart.remove(p.userId, productId);
  }

  @SignedIn()
  @Post('cart/merge')
  @HttpCode(200)
  merge(@CurrentPrincipal() p: Principal, @Body() body: MergeCartDto) {
    return this.cart.merge(p.userId, body.items);
  }

  // ---- address book ---------------------------------------------------------------------------------------

  @SignedIn()
  @Get('addresses')
  addresses(@CurrentPrincipal() p: Principal) {
    return this.cart.addresses(p.userId);
  }

  @SignedIn()
  @Post('addresses')
  addAddress(@CurrentPrincipal() p: Principal, @Body() body: SaveAddressDto) {
    return this.cart.saveAddress(p.userId, body);
  }

  @SignedIn()
  @Put('addresses/:id')
  updateAddress(
    @CurrentPrincipal() p: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: SaveAddressDto,
  ) {
    return this.cart.saveAddress(p.userId, body, id);
  }

  @SignedIn()
  @Delete('addresses/:id')
  @HttpCode(204)
  async deleteAddress(@CurrentPrincipal() p: Principal, @Param('id', new ParseUUIDPipe()) id: string) {
    await this.cart.deleteAddress(p.userId, id);
  }
}
