import { z } from 'zod';

/** Reviews (评价): only for a completed order's line, one per line; stars, text, up to 6 photos. */
export const MAX_REVIEW_PHOTOS = 6;
export const REVIEW_TEXT_MAX = 500;
/** A review's photos can be added for this long after it was written (then it is as the public saw it). */
export const REVIEW_PHOTO_WINDOW_HOURS = 24;

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, { message: 'is required' })
    .max(max, { message: `must be at most ${max} characters` });

export const createReviewSchema = z.object({
  /** The order line reviewed (one review per line). */
  lineId: z.uuid({ message: 'must be a UUID' }),
  rating: z
    .number({ message: 'must be a whole number from 1 to 5' })
    .int({ message: 'must be a whole number from 1 to 5' })
    .min(1, { message: 'must be a whole number from 1 to 5' })
    .max(5, { message: 'must be a whole number from 1 to 5' }),
  text: text(REVIEW_TEXT_MAX),
});
export type CreateReviewRequest = z.infer<typeof createReviewSchema>;

export const replyReviewSchema = z.object({ text: text(300) });
export type ReplyReviewRequest = z.infer<typeof replyReviewSchema>;

export const reportReviewSchema = z.object({ reason: text(200) });
export type ReportReviewRequest = z.infer<typeof reportReviewSchema>;

export const hideReviewSchema = z.object({ hidden: z.boolean(), reason: z.string().trim().max(200).optional() });
export type HideReviewRequest = z.infer<typeof hideReviewSchema>;

export const reviewListQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(50).default(10),
});
export type ReviewListQuery = z.infer<typeof reviewListQuerySchema>;

export interface ReviewPhoto {
  url: string;
  thumbUrl: string;
  width: number;
  height: number;
}

export interface PublicReview {
  id: string;
  rating: number;
  text: string;
  photos: ReviewPhoto[];
  /** The buyer's display name masked (王*明); never an id. */
  buyerMasked: string;
  createdAt: string;
  reply: { text: string; at: string } | null;
}

export interface ProductReviewsResponse {
  productId: string;
  /** Average stars over visible reviews, one decimal; null without reviews. */
  average: number | null;
  count: number;
  /** Visible reviews by stars: index 0 = 1 star … index 4 = 5 stars. */
  distribution: [number, number, number, number, number];
  items: PublicReview[];
  page: number;
  pageSize: number;
}

/** The buyer's view of one order: which lines can be reviewed and what they wrote. */
export interface OrderReviewLine {
  lineId: string;
  productId: string;
  productName: string;
  review: (PublicReview & { hidden: boolean; photosUntil: string }) | null;
}
export interface OrderReviewsResponse {
  orderId: string;
  /** Reviews open only when the order is completed. */
  reviewable: boolean;
  lines: OrderReviewLine[];
}

/** The cooperative's and the platform's view: with the product, the report count and whether it is hidden. */
export interface ConsoleReview extends PublicReview {
  productId: string;
  productName: string;
  orderId: string;
  hidden: boolean;
  hiddenReason: string | null;
  reports: number;
}
