import { z } from 'zod';

/**
 * After-sales (售后): a buyer asks for a refund (仅退款) or a return (退货退款) of an order with a reason, words and
 * up to 6 photos; the cooperative's admin accepts or refuses with a reason; an accepted request is refunded through
 * the orders' one refund path. Promises a cooperative chooses (7天无理由, 坏果包赔, 48小时发货) are shown as
 * badges and bind it: a request a promise covers cannot be refused.
 */
export const AFTER_SALES_KINDS = ['refund', 'return'] as const;
export type AfterSalesKind = (typeof AFTER_SALES_KINDS)[number];

export const AFTER_SALES_REASONS = [
  /** 坏果/破损: covered by 坏果包赔 when a photo shows it. */
  'damaged',
  'quality',
  'not_as_described',
  'missing',
  /** 七天无理由: only with the 7天无理由 promise, within 7 days of delivery, a return. */
  'no_reason',
  /** 超时未发货: covered by 48小时发货 when the order was paid more than 48 hours ago and has not shipped. */
  'late_shipping',
  'other',
] as const;
export type AfterSalesReason = (typeof AFTER_SALES_REASONS)[number];

// The promises live apart from the schemas below, so the product page's 服务保障 badges (which need only them) do not
// evaluate zod and every schema of this file (this package has no side effects: the bundler drops what is unused).
export { PROMISES } from './after-sales-constants';
import { PROMISES } from './after-sales-constants';
export type PromiseKey = (typeof PROMISES)[number];
export type CooperativePromises = Record<PromiseKey, boolean>;

export const MAX_AFTER_SALES_PHOTOS = 6;
export const SEVEN_DAY_RETURN_DAYS = 7;
export const SHIP_PROMISE_HOURS = 48;

export const createAfterSalesSchema = z.object({
  kind: z.enum(AFTER_SALES_KINDS, { message: 'must be one of refund, return' }),
  reason: z.enum(AFTER_SALES_REASONS, { message: 'must be one of the listed reasons' }),
  text: z.string().trim().max(500, { message: 'must be at most 500 characters' }).default(''),
  /** Part of the order only; none = everything still refundable. */
  amountFen: z
    .number({ message: 'must be a whole number of fen' })
    .int({ message: 'must be a whole number of fen' })
    .min(1, { message: 'must be at least 1 fen' })
    .optional(),
});
export type CreateAfterSalesRequest = z.infer<typeof createAfterSalesSchema>;

export const decideAfterSalesSchema = z.object({
  accept: z.boolean({ message: 'must be true or false' }),
  /** Required when refusing: the buyer reads it. */
  note: z.string().trim().max(300, { message: 'must be at most 300 characters' }).optional(),
});
export type DecideAfterSalesRequest = z.infer<typeof decideAfterSalesSchema>;

export const returnShipmentSchema = z.object({
  carrier: z.string().trim().min(1, { message: 'is required' }).max(30, { message: 'must be at most 30 characters' }),
  trackingNumber: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{4,60}$/, { message: 'must be 4–60 letters, digits or dashes' }),
});
export type ReturnShipmentRequest = z.infer<typeof returnShipmentSchema>;

export const setPromisesSchema = z.object({
  sevenDayReturn: z.boolean({ message: 'must be true or false' }),
  badFruitCover: z.boolean({ message: 'must be true or false' }),
  shipWithin48h: z.boolean({ message: 'must be true or false' }),
});

/**
 * The platform's decision on disputes (平台介入): when the cooperative refused, or did not answer within
 * DISPUTE_ANSWER_HOURS (of the request, or of the goods sent back), the buyer escalates once with a note; a platform
 * admin refunds (all or part, at most what is still refundable) or upholds the refusal, with a reason both sides read.
 */
export const DISPUTE_ANSWER_HOURS = 48;

export const escalateAfterSalesSchema = z.object({
  note: z
    .string({ message: 'is required' })
    .trim()
    .min(1, { message: 'is required' })
    .max(500, { message: 'must be at most 500 characters' }),
});
export type EscalateAfterSalesRequest = z.infer<typeof escalateAfterSalesSchema>;

export const DISPUTE_OUTCOMES = ['refund', 'uphold'] as const;
export type DisputeOutcome = (typeof DISPUTE_OUTCOMES)[number];

export const decideDisputeSchema = z
  .object({
    outcome: z.enum(DISPUTE_OUTCOMES, { message: 'must be one of refund, uphold' }),
    /** Refund only: none = the request's amount. At most what the order can still refund. */
    amountFen: z
      .number({ message: 'must be a whole number of fen' })
      .int({ message: 'must be a whole number of fen' })
      .min(1, { message: 'must be at least 1 fen' })
      .optional(),
    /** Both sides read it. */
    note: z
      .string({ message: 'is required' })
      .trim()
      .min(1, { message: 'is required' })
      .max(300, { message: 'must be at most 300 characters' }),
  })
  .refine((b) => b.outcome === 'refund' || b.amountFen === undefined, {
    path: ['amountFen'],
    message: 'only with outcome refund',
  });
export type DecideDisputeRequest = z.infer<typeof decideDisputeSchema>;

/** open → refunded | upheld. */
export type DisputeStatus = 'open' | 'refunded' | 'upheld';

export interface AfterSalesDisputeView {
  id: string;
  status: DisputeStatus;
  /** Why the buyer could escalate: the cooperative refused, or did not answer in time. */
  because: 'refused' | 'unanswered';
  buyerNote: string;
  escalatedAt: string;
  /** The platform's reason, read by the buyer and the cooperative. */
  decisionNote: string | null;
  /** What the platform refunded (refunded only). */
  refundFen: number | null;
  decidedAt: string | null;
}

/** The platform's queue (平台管理 → 售后纠纷): the request, its dispute, the order and its cooperative. */
export interface AdminDisputeView extends AfterSalesView {
  dispute: AfterSalesDisputeView;
  cooperativeName: string;
  order: {
    status: string;
    totalFen: number;
    refundedFen: number;
    paidAt: string | null;
    lines: { name: string; quantity: number; unit: string; lineTotalFen: number }[];
  };
}

/**
 * requested → (return: awaiting_return → returned →) refunded, or refused; processing while the payment provider
 * works; failed when the provider refused (nothing was refunded); disputed while the platform decides.
 */
export type AfterSalesStatus =
  'requested' | 'awaiting_return' | 'returned' | 'processing' | 'refunded' | 'refused' | 'failed' | 'disputed';

export interface AfterSalesPhoto {
  url: string;
  thumbUrl: string;
  width: number;
  height: number;
}

export interface AfterSalesView {
  id: string;
  orderId: string;
  orderNumber: string;
  kind: AfterSalesKind;
  reason: AfterSalesReason;
  text: string;
  photos: AfterSalesPhoto[];
  amountFen: number;
  status: AfterSalesStatus;
  /** The cooperative's reason when it refused (or its note when it accepted). */
  decisionNote: string | null;
  /** The promise that covers this request (it cannot be refused), if any. */
  coveredBy: PromiseKey | null;
  returnShipment: { carrier: string; trackingNumber: string; at: string } | null;
  buyerMasked: string;
  createdAt: string;
  decidedAt: string | null;
  /** The buyer's escalation to the platform (平台介入) and its outcome, if any. */
  dispute: AfterSalesDisputeView | null;
  /**
   * When the buyer may escalate: now or past for a refused or long-unanswered request, a future time while the
   * cooperative still has time to answer; null when escalating is not possible (accepted, escalated, the buyer's turn).
   */
  escalatableFrom: string | null;
}
