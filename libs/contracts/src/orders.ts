import { z } from 'zod';
import { MOBILE_PATTERN } from './auth';

export const ORDER_STATUS_VALUES = [
  'pending_payment',
  'paid',
  'shipped',
  'delivered',
  'completed',
  'cancelled',
  'refunded',
] as const;
export type OrderStatusValue = (typeof ORDER_STATUS_VALUES)[number];

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, { message: 'is required' })
    .max(max, { message: `must be at most ${max} characters` });

export const addressSchema = z.object({
  recipient: text(40),
  mobile: z.string().trim().regex(MOBILE_PATTERN, { message: 'must be an 11-digit mainland mobile number' }),
  province: text(20),
  city: text(30),
  district: text(30),
  detail: text(200),
});
export type AddressInput = z.infer<typeof addressSchema>;

export const saveAddressSchema = addressSchema.extend({ isDefault: z.boolean().optional() });
export type SaveAddressRequest = z.infer<typeof saveAddressSchema>;

export interface AddressDto extends AddressInput {
  id: string;
  isDefault: boolean;
}

const quantity = z
  .number({ message: 'must be a number' })
  .int({ message: 'must be a whole number' })
  .min(1, { message: 'must be at least 1' })
  .max(999, { message: 'must be at most 999' });

export const orderItemSchema = z.object({ productId: z.uuid({ message: 'must be a product id' }), quantity });

export const placeOrderSchema = z
  .object({
    items: z.array(orderItemSchema).min(1, { message: 'must contain at least one item' }).max(50),
    address: addressSchema.optional(),
    /** Use a saved address instead of `address`. */
    addressId: z.uuid().optional(),
    /** Remove the ordered products from the server cart once the orders exist. */
    fromCart: z.boolean().optional(),
    /**
     * The live show the purchase was started from (its GMV and impact count the order). The show must be live and
     * list every product ordered, else 400 SHOW_NOT_LIVE / PRODUCT_NOT_IN_SHOW.
     */
    showId: z.uuid({ message: 'must be a show id' }).optional(),
    /**
     * A live coupon the buyer holds (its claim id, 我的优惠券): used on this checkout's order of its cooperative.
     * Left out, the best usable one is applied; null, none.
     */
    couponId: z.uuid({ message: 'must be a UUID' }).nullable().optional(),
  })
  .refine((v) => Boolean(v.address || v.addressId), {
    message: 'an address or addressId is required',
    path: ['address'],
  });
export type PlaceOrderRequest = z.infer<typeof placeOrderSchema>;

export const cartItemSchema = z.object({ productId: z.uuid({ message: 'must be a product id' }), quantity });
export const mergeCartSchema = z.object({ items: z.array(cartItemSchema).max(100) });

export interface CartLineDto {
  productId: string;
  quantity: number;
  nameZh: string;
  unit: string;
  priceFen: number;
  stock: number;
  published: boolean;
  coverThumbUrl: string | null;
  cooperative: { id: string; name: string };
}

export interface OrderLineDto {
  id: string;
  productId: string;
  productName: string;
  unit: string;
  unitPriceFen: number;
  quantity: number;
  lineTotalFen: number;
}

export interface OrderEventDto {
  fromStatus: string | null;
  toStatus: string;
  actorKind: 'buyer' | 'cooperative' | 'system' | 'provider';
  note: string;
  at: string;
}

export interface RefundDto {
  id: string;
  amountFen: number;
  reason: string;
  status: 'requested' | 'declined' | 'pending' | 'succeeded' | 'failed';
  decisionNote: string | null;
  createdAt: string;
}

export interface CheckoutDto {
  paymentId: string;
  provider: 'stripe' | 'demo';
  /** Stripe client secret for the Payment Element; null for the demo provider. */
  clientSecret: string | null;
  amountFen: number;
  orderIds: string[];
  paymentStatus: 'pending' | 'succeeded' | 'failed' | 'canceled';
}

export interface OrderDto {
  id: string;
  number: string;
  status: OrderStatusValue;
  cooperative: { id: string; name: string };
  lines: OrderLineDto[];
  subtotalFen: number;
  shippingFen: number;
  totalFen: number;
  /** A live coupon's discount taken off this order (total = subtotal + shipping − discount); 0 or absent: none. */
  discountFen?: number;
  refundedFen: number;
  currency: 'CNY';
  address: AddressInput;
  carrier: string | null;
  trackingNumber: string | null;
  expiresAt: string;
  paidAt: string | null;
  createdAt: string;
  events: OrderEventDto[];
  refunds: RefundDto[];
  paymentId: string;
}

/** POST /api/orders answers with the (first) order and the checkout it belongs to. */
export interface PlaceOrderResponse extends OrderDto {
  checkout: CheckoutDto;
  orders: OrderDto[];
}

export const shipOrderSchema = z.object({
  carrier: text(40),
  trackingNumber: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{4,60}$/, { message: 'must be 4–60 letters, digits or dashes' }),
});
export const shipBatchSchema = z.object({
  orders: z
    .array(shipOrderSchema.extend({ orderId: z.uuid() }))
    .min(1)
    .max(200),
});

export const refundRequestSchema = z.object({
  reason: text(300),
  /** Fen; omitted = everything still refundable. */
  amountFen: z.number().int().min(1).optional(),
});
export const refundDecisionSchema = z.object({ note: z.string().trim().max(300).optional() });

export const orderListQuerySchema = z.object({
  status: z.enum(ORDER_STATUS_VALUES).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const ORDER_REFUSAL_CODES = ['SOLD_OUT', 'LIMIT_REACHED', 'PRODUCT_UNAVAILABLE'] as const;
export type OrderRefusalCode = (typeof ORDER_REFUSAL_CODES)[number];
