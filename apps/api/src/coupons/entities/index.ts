import { CouponClaim } from './coupon-claim.entity';
import { Coupon } from './coupon.entity';

export { Coupon, CouponClaim };

/** The live coupons' entities, registered in database/entities.ts. */
export const COUPON_ENTITIES = [Coupon, CouponClaim];
