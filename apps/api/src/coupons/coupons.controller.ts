import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import {
  couponQuoteSchema,
  dropCouponSchema,
  type ClaimCouponResponse,
  type ConsoleCoupon,
  type CouponQuote,
  type MyCoupon,
  type RoomCoupon,
} from '@xiangbo/contracts';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { Public, SignedIn } from '../common/access.decorators';
import { CouponsService } from './coupons.service';

class DropCouponDto extends createZodDto(dropCouponSchema) {}
class CouponQuoteDto extends createZodDto(couponQuoteSchema) {}

/** 直播间专享券: the room's coupons and one-tap claims; the buyer's coupons and checkout quote; the host's drops. */
@ApiTags('coupons')
@ApiBearerAuth()
@Controller()
export class CouponsController {
  constructor(private readonly coupons: CouponsService) {}

  /** The show's coupons (anyone may watch; a signed-in viewer also learns how many they hold). */
  @Public()
  @Get('shows/:showId/coupons')
  room(@CurrentPrincipal() p: Principal | undefined, @Param('showId') showId: string): Promise<RoomCoupon[]> {
    return this.coupons.room(showId, p?.userId ?? null);
  }

  /** One tap: 领取. 409 COUPONS_GONE / COUPON_LIMIT_REACHED / COUPON_CLOSED. */
  @SignedIn()
  @Post('coupons/:couponId/claim')
  claim(@CurrentPrincipal() p: Principal, @Param('couponId') couponId: string): Promise<ClaimCouponResponse> {
    return this.coupons.claim(p.userId, couponId);
  }

  /** 我的优惠券. */
  @SignedIn()
  @Get('me/coupons')
  mine(@CurrentPrincipal() p: Principal): Promise<MyCoupon[]> {
    return this.coupons.mine(p.userId);
  }

  /** The coupons a checkout can use, best first (what POST /api/orders applies when none is chosen). */
  @SignedIn()
  @Post('coupons/quote')
  quote(@CurrentPrincipal() p: Principal, @Body() body: CouponQuoteDto): Promise<CouponQuote> {
    return this.coupons.quote(p.userId, body);
  }

  /** The host console: the show's coupons with claimed / used / paid counts. */
  @SignedIn()
  @Get('console/shows/:showId/coupons')
  console(@CurrentPrincipal() p: Principal, @Param('showId') showId: string): Promise<ConsoleCoupon[]> {
    return this.coupons.console(p, showId);
  }

  /** The host drops a coupon in the live show; the room hears it at once. */
  @SignedIn()
  @Post('console/shows/:showId/coupons')
  drop(
    @CurrentPrincipal() p: Principal,
    @Param('showId') showId: string,
    @Body() body: DropCouponDto,
  ): Promise<ConsoleCoupon> {
    return this.coupons.drop(p, showId, body);
  }

  /** Stops a drop (coupons already claimed stay usable). */
  @SignedIn()
  @Post('console/shows/:showId/coupons/:couponId/stop')
  stop(
    @CurrentPrincipal() p: Principal,
    @Param('showId') showId: string,
    @Param('couponId') couponId: string,
  ): Promise<ConsoleCoupon> {
    return this.coupons.stop(p, showId, couponId);
  }
}
