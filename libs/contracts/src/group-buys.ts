import { z } from 'zod';
import { addressSchema } from './orders';

/** 拼团: a product's group price for N buyers who pay within a window. Limits shared by the API and the console form. */
export const GROUP_BUY_LIMITS = {
  minSize: 2,
  maxSize: 50,
  minWindowHours: 1,
  maxWindowHours: 168,
  /** Most units one member buys in a group. */
  maxQuantity: 20,
} as const;

export type GroupBuyStatus = 'open' | 'formed' | 'failed';

/** A product's group offer, as the product page and the console show it. */
export interface GroupBuyOffer {
  size: number;
  groupPriceFen: number;
  windowHours: number;
  active: boolean;
}

/** The console sets (or changes) a product's group offer; `active: false` stops new groups (open ones run on). */
export const groupOfferSchema = z.object({
  size: z.number().int().min(GROUP_BUY_LIMITS.minSize).max(GROUP_BUY_LIMITS.maxSize),
  groupPriceFen: z.number().int().min(1).max(100_000_000),
  windowHours: z.number().int().min(GROUP_BUY_LIMITS.minWindowHours).max(GROUP_BUY_LIMITS.maxWindowHours),
  active: z.boolean().optional().default(true),
});
export type GroupOfferRequest = z.input<typeof groupOfferSchema>;

const quantity = z.number().int().min(1).max(GROUP_BUY_LIMITS.maxQuantity);
const withAddress = <T extends z.ZodRawShape>(shape: T) => z.object({ ...shape, quantity, address: addressSchema });

/** POST /api/group-buys: open a group (the opener is its first member). */
export const openGroupSchema = withAddress({ productId: z.uuid({ message: 'must be a UUID' }) });
export type OpenGroupRequest = z.input<typeof openGroupSchema>;
/** POST /api/group-buys/:groupId/join */
export const joinGroupSchema = withAddress({});
export type JoinGroupRequest = z.input<typeof joinGroupSchema>;

/** The answer to opening or joining: the member's order at the group price and its payment (the existing routes). */
export interface GroupSeatResponse {
  groupId: string;
  orderId: string;
  paymentId: string;
  amountFen: number;
}

export interface GroupMemberView {
  /** Masked (王*明). */
  name: string;
  leader: boolean;
  paid: boolean;
}

/** GET /api/group-buys/:groupId (public: the shared link). `joined` counts paid members. */
export interface GroupBuyView {
  id: string;
  status: GroupBuyStatus;
  size: number;
  joined: number;
  /** Seats held by members who have not paid yet (their order is waiting for payment). */
  holding: number;
  expiresAt: string;
  createdAt: string;
  formedAt: string | null;
  groupPriceFen: number;
  product: {
    id: string;
    nameZh: string;
    nameEn: string | null;
    unit: string;
    priceFen: number;
    coverThumbUrl: string | null;
  };
  members: GroupMemberView[];
  /** For the signed-in viewer: their own membership, if any. */
  mine: { orderId: string | null; paid: boolean } | null;
}

/** GET /api/group-buys?productId=: open groups of a product with at least one paid member, soonest to close first. */
export interface OpenGroupSummary {
  id: string;
  size: number;
  joined: number;
  expiresAt: string;
  leaderName: string;
}

/** GET /api/group-buys/mine: the buyer's group orders, for the order list's 拼团中 / 已成团 / 拼团失败·已退款. */
export interface MyGroupOrder {
  orderId: string;
  groupId: string;
  status: GroupBuyStatus;
  refunded: boolean;
}

/** GET/PUT /api/console/products/:productId/group-offer: the offer and the product's latest groups. */
export interface ConsoleGroupOffer {
  productId: string;
  /** The product's normal price (the group price must be below it). */
  priceFen: number;
  offer: GroupBuyOffer | null;
  groups: { id: string; status: GroupBuyStatus; size: number; joined: number; expiresAt: string; createdAt: string }[];
}

export const openGroupsQuerySchema = z.object({ productId: z.uuid({ message: 'must be a UUID' }) });
