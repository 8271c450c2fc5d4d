import type { OrderDto } from './orders';

/**
 * Parcel tracking (物流跟踪): the steps of a shipped order's parcel as the carrier reports them, oldest first.
 * `collected` 揽收, `in_transit` 运输中, `delivering` 派送中, `delivered` 签收, `problem` 疑难 (held, refused,
 * address problem), `returned` 退回.
 */
export const PARCEL_STATUSES = ['collected', 'in_transit', 'delivering', 'delivered', 'problem', 'returned'] as const;
export type ParcelStatus = (typeof PARCEL_STATUSES)[number];

export interface ParcelEventDto {
  /** When the carrier recorded the step (ISO 8601). */
  at: string;
  status: ParcelStatus;
  /** The carrier's own words (Chinese), e.g. 【杭州市】快件已到达西湖区营业部. */
  text: string;
}

/** GET /api/orders/:id: the order with its parcel's steps (empty until it ships, or when tracking is off). */
export type OrderDetailDto = OrderDto & { tracking: ParcelEventDto[] };
