import { z } from 'zod';

/** 直播间专享券: a coupon the host drops in a live show. Limits shared by the API and the console form. */
export const COUPON_LIMITS = {
  maxAmountOffFen: 1_000_000,
  maxMinSpendFen: 100_000_000,
  maxQuantity: 100_000,
  maxPerViewer: 10,
} as const;

/** How long a claimed coupon can be used: while the show is live, or 24 hours from the claim. */
export const COUPON_VALIDITIES = ['show', '24h'] as const;
export type CouponValidity = (typeof COUPON_VALIDITIES)[number];

const fen = (min: number, max: number) =>
  z
    .number({ message: 'must be a number' })
    .int({ message: 'must be a whole number of fen' })
    .min(min, { message: `must be at least ${min}` })
    .max(max, { message: `must be at most ${max} fen` });

/** POST /api/console/shows/:showId/coupons: the host drops a coupon in the room. */
export const dropCouponSchema = z
  .object({
    amountOffFen: fen(1, COUPON_LIMITS.maxAmountOffFen),
    /** Threshold (满 X 可用): the order's amount before the discount must reach it; 0 = no threshold. */
    minSpendFen: fen(0, COUPON_LIMITS.maxMinSpendFen),
    quantity: z.number().int().min(1).max(COUPON_LIMITS.maxQuantity),
    perViewerLimit: z.number().int().min(1).max(COUPON_LIMITS.maxPerViewer),
    validity: z.enum(COUPON_VALIDITIES, { message: `must be one of ${COUPON_VALIDITIES.join(', ')}` }),
  })
  .refine((v) => v.minSpendFen === 0 || v.minSpendFen > v.amountOffFen, {
    message: 'the threshold must be above the amount off (or 0 for none)',
    path: ['minSpendFen'],
  });
export type DropCouponRequest = z.input<typeof dropCouponSchema>;

/** A coupon as the room shows it (and the host console, with its counts). */
export interface LiveCoupon {
  id: string;
  showId: string;
  cooperativeId: string;
  cooperativeName: string;
  amountOffFen: number;
  minSpendFen: number;
  quantity: number;
  /** Claimed so far (never above quantity). */
  claimed: number;
  perViewerLimit: number;
  validity: CouponValidity;
  status: 'live' | 'stopped';
  createdAt: string;
}

/** The host console's view: also how many were used on orders (paid or waiting for payment). */
export interface ConsoleCoupon extends LiveCoupon {
  used: number;
  paid: number;
}

/** GET /api/shows/:showId/coupons for a signed-in viewer: each coupon and how many of it they hold. */
export interface RoomCoupon extends LiveCoupon {
  mine: number;
}

/** POST /api/coupons/:couponId/claim answers with the claimed coupon. */
export interface ClaimCouponResponse {
  claim: MyCoupon;
  coupon: LiveCoupon;
}

export type MyCouponStatus = 'usable' | 'used' | 'expired';

/** One coupon a buyer holds (我的优惠券). */
export interface MyCoupon {
  /** The claim's id: what an order names to use it (`couponId` of POST /api/orders). */
  id: string;
  couponId: string;
  showId: string;
  showTitle: string;
  cooperativeId: string;
  cooperativeName: string;
  amountOffFen: number;
  minSpendFen: number;
  status: MyCouponStatus;
  /** Until when it can be used (24 h coupons), or null (show coupons: while the show is live). */
  validUntil: string | null;
  claimedAt: string;
  orderId: string | null;
  discountFen: number | null;
}

/** POST /api/coupons/quote: which of the buyer's coupons a checkout can use, and the best one. */
export const couponQuoteSchema = z.object({
  items: z
    .array(
      z.object({
        productId: z.uuid({ message: 'must be a product id' }),
        quantity: z.number().int().min(1).max(999),
      }),
    )
    .min(1)
    .max(50),
});
export type CouponQuoteRequest = z.input<typeof couponQuoteSchema>;

export interface CouponQuote {
  /** The buyer's usable coupons for this checkout, best first, each with the discount it would give. */
  usable: (MyCoupon & { discountFen: number })[];
  /** The one checkout applies when the buyer does not choose (the best), or null. */
  best: (MyCoupon & { discountFen: number }) | null;
}

/** Server → room event (socket.io): a coupon was dropped or its counts changed. */
export type CouponEvent = LiveCoupon;
