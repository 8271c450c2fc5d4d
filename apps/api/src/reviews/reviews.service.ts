import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  MAX_REVIEW_PHOTOS,
  REVIEW_PHOTO_WINDOW_HOURS,
  type ConsoleReview,
  type CreateReviewRequest,
  type OrderReviewsResponse,
  type ProductReviewsResponse,
  type PublicReview,
} from '@xiangbo/contracts';
import { maskName } from '@xiangbo/domain';
import { RateLimiterService } from '../auth/rate-limiter.service';
import type { Principal } from '../auth/principal';
import { cooperativeScope, isUuid } from '../common/cooperative-scope';
import { processImage, StorageService } from '../storage';
import { Review } from './entities/review.entity';
import { isUniqueViolation, ReviewsRepository } from './reviews.repository';
import { ReviewErrorCode, ReviewException } from './reviews.exception';

/** Reports one user may file per hour (reporting is for abuse, not for burying a competitor's reviews). */
export const REPORTS_PER_HOUR = 20;
const HOUR_MS = 3_600_000;

export interface UploadedBytes {
  buffer: Buffer;
}

/**
 * Reviews (评价): a buyer reviews each line of a completed order once (stars, text, then up to 6 photos within a
 * day); the public sees visible reviews with the buyer's name masked; the cooperative's admin replies; anyone
 * signed in reports; the platform hides or shows again.
 */
@Injectable()
export class ReviewsService {
  constructor(
    private readonly repo: ReviewsRepository,
    private readonly storage: StorageService,
    private readonly limiter: RateLimiterService,
  ) {}

  private notFoundOrder() {
    return new ReviewException(ReviewErrorCode.ORDER_NOT_FOUND, 'order not found');
  }
  private notFoundReview() {
    return new ReviewException(ReviewErrorCode.REVIEW_NOT_FOUND, 'review not found');
  }

  toPublic(r: Review): PublicReview {
    return {
      id: r.id,
      rating: r.rating,
      text: r.text,
      photos: r.photos.map((ph) => ({
        url: this.storage.url(ph.key),
        thumbUrl: this.storage.url(ph.thumbKey),
        width: ph.width,
        height: ph.height,
      })),
      buyerMasked: r.buyerMasked,
      createdAt: r.createdAt.toISOString(),
      reply: r.replyText && r.repliedAt ? { text: r.replyText, at: r.repliedAt.toISOString() } : null,
    };
  }

  private toConsole(r: Review & { productName: string }): ConsoleReview {
    return {
      ...this.toPublic(r),
      productId: r.productId,
      productName: r.productName,
      orderId: r.orderId,
      hidden: r.hidden,
      hiddenReason: r.hiddenReason,
      reports: r.reportCount,
    };
  }

  private photosUntil(r: Review): Date {
    return new Date(r.createdAt.getTime() + REVIEW_PHOTO_WINDOW_HOURS * HOUR_MS);
  }

  async create(buyerId: string, orderId: string, body: CreateReviewRequest): Promise<PublicReview> {
    if (!isUuid(orderId)) throw this.notFoundOrder();
    return this.repo.transaction(async (m) => {
      const order = await this.repo.orderForReview(m, orderId);
      // Another buyer's order is indistinguishable from a missing one.
      if (!order || order.buyerId !== buyerId) throw this.notFoundOrder();
      if (order.status !== 'completed') {
        throw new ReviewException(
          ReviewErrorCode.ORDER_NOT_COMPLETED,
          'reviews open once the order is completed (confirm receipt first)',
        );
      }
      const line = order.lines.find((l) => l.id === body.lineId);
      if (!line) {
        throw new ReviewException(ReviewErrorCode.LINE_NOT_IN_ORDER, 'this line is not part of the order', [
          { field: 'lineId', message: 'is not a line of this order' },
        ]);
      }
      try {
        const review = await this.repo.insert(m, {
          orderId,
          orderLineId: line.id,
          productId: line.productId,
          cooperativeId: order.cooperativeId,
          buyerId,
          buyerMasked: maskName((await this.repo.displayName(m, buyerId)) || '买家'),
          rating: body.rating,
          text: body.text,
        });
        return this.toPublic(review);
      } catch (e) {
        if (isUniqueViolation(e, 'reviews_one_per_line')) {
          throw new ReviewException(ReviewErrorCode.ALREADY_REVIEWED, 'this line has already been reviewed');
        }
        throw e;
      }
    });
  }

  /**
   * Adds a photo to the caller's own review within REVIEW_PHOTO_WINDOW_HOURS, at most MAX_REVIEW_PHOTOS: the image is
   * checked and converted first (the existing WebP pipeline), then recorded under the review's row lock, so two
   * uploads at once never make a seventh.
   */
  async addPhoto(buyerId: string, reviewId: string, file: UploadedBytes | undefined): Promise<PublicReview> {
    if (!isUuid(reviewId)) throw this.notFoundReview();
    const check = (r: Review | null): Review => {
      if (!r || r.buyerId !== buyerId) throw this.notFoundReview();
      if (Date.now() > this.photosUntil(r).getTime()) {
        throw new ReviewException(
          ReviewErrorCode.PHOTO_WINDOW_CLOSED,
          `photos can be added within ${REVIEW_PHOTO_WINDOW_HOURS} hours of writing the review`,
        );
      }
      if (r.photos.length >= MAX_REVIEW_PHOTOS) {
        throw new ReviewException(ReviewErrorCode.PHOTO_LIMIT, `a review has at most ${MAX_REVIEW_PHOTOS} photos`);
      }
      return r;
    };
    check(await this.repo.byId(this.repo.manager, reviewId));
    const image = await processImage(file?.buffer);
    const base = `reviews/${reviewId}/${randomUUID()}`;
    const photo = { key: `${base}.webp`, thumbKey: `${base}-thumb.webp`, width: image.width, height: image.height };
    await this.storage.put(photo.key, image.original, image.contentType);
    await this.storage.put(photo.thumbKey, image.thumb, image.contentType);
    try {
      return await this.repo.transaction(async (m) => {
        const review = check(await this.repo.byId(m, reviewId, true));
        review.photos = [...review.photos, photo];
        await this.repo.setPhotos(m, reviewId, review.photos);
        return this.toPublic(review);
      });
    } catch (e) {
      await Promise.all([this.storage.delete(photo.key), this.storage.delete(photo.thumbKey)]).catch(() => undefined);
      throw e;
    }
  }

  async forOrder(buyerId: string, orderId: string): Promise<OrderReviewsResponse> {
    if (!isUuid(orderId)) throw this.notFoundOrder();
    const m = this.repo.manager;
    const order = await this.repo.orderForReview(m, orderId);
    if (!order || order.buyerId !== buyerId) throw this.notFoundOrder();
    const reviews = new Map((await this.repo.byOrder(m, orderId)).map((r) => [r.orderLineId, r]));
    return {
      orderId,
      reviewable: order.status === 'completed',
      lines: order.lines.map((l) => {
        const r = reviews.get(l.id);
        return {
          lineId: l.id,
          productId: l.productId,
          productName: l.productName,
          review: r ? { ...this.toPublic(r), hidden: r.hidden, photosUntil: this.photosUntil(r).toISOString() } : null,
        };
      }),
    };
  }

  async forProduct(productId: string, page: number, pageSize: number): Promise<ProductReviewsResponse> {
    if (!isUuid(productId) || !(await this.repo.productExists(productId))) {
      throw new ReviewException(ReviewErrorCode.PRODUCT_NOT_FOUND, 'product not found');
    }
    const { items, stats } = await this.repo.productPage(productId, page, pageSize);
    const distribution: [number, number, number, number, number] = [0, 0, 0, 0, 0];
    for (const s of stats) distribution[s.rating - 1] = s.n;
    const count = distribution.reduce((a, b) => a + b, 0);
    const sum = distribution.reduce((a, n, i) => a + n * (i + 1), 0);
    return {
      productId,
      // One decimal, rounded half up on the exact ratio (4.65 → 4.7), as shops show it.
      average: count ? Math.round((sum * 10) / count) / 10 : null,
      count,
      distribution,
      items: items.map((r) => this.toPublic(r)),
      page,
      pageSize,
    };
  }

  async report(userId: string, reviewId: string, reason: string): Promise<void> {
    if (!isUuid(reviewId)) throw this.notFoundReview();
    const hits = await this.limiter.hit(`review-report:${userId}`, 3600);
    if (hits.hits > REPORTS_PER_HOUR) {
      throw new ReviewException(
        ReviewErrorCode.RATE_LIMITED,
        `too many reports; try again in ${hits.retryAfter} seconds`,
      );
    }
    await this.repo.transaction(async (m) => {
      const review = await this.repo.byId(m, reviewId);
      if (!review || review.hidden) throw this.notFoundReview();
      if (review.buyerId === userId) {
        throw new ReviewException(ReviewErrorCode.OWN_REVIEW, 'you cannot report your own review');
      }
      try {
        await this.repo.addReport(m, reviewId, userId, reason);
      } catch (e) {
        if (isUniqueViolation(e, 'review_reports_once')) {
          throw new ReviewException(ReviewErrorCode.ALREADY_REPORTED, 'you have already reported this review');
        }
        throw e;
      }
    });
  }

  async listForCooperative(p: Principal, cooperativeId: string): Promise<ConsoleReview[]> {
    if (cooperativeScope(p, cooperativeId, 'read') !== 'ok') throw this.notFoundReview();
    return (await this.repo.forCooperative(cooperativeId, 200)).map((r) => this.toConsole(r));
  }

  /** The cooperative's admin answers a review (once more replaces the answer); its host may read, not answer. */
  async reply(p: Principal, reviewId: string, text: string): Promise<ConsoleReview> {
    if (!isUuid(reviewId)) throw this.notFoundReview();
    return this.repo.transaction(async (m) => {
      const review = await this.repo.byId(m, reviewId, true);
      const scope = review ? cooperativeScope(p, review.cooperativeId, 'manage') : 'not_found';
      if (!review || scope === 'not_found') throw this.notFoundReview();
      if (scope === 'forbidden') {
        throw new ReviewException(ReviewErrorCode.REVIEW_READ_ONLY, "only the cooperative's admin answers reviews");
      }
      await this.repo.setReply(m, reviewId, text, p.userId);
      return this.toConsole(
        await this.repo.withProductName(
          Object.assign(review, { replyText: text, repliedAt: new Date(), repliedBy: p.userId }),
        ),
      );
    });
  }

  async reported(): Promise<ConsoleReview[]> {
    return (await this.repo.reported(200)).map((r) => this.toConsole(r));
  }

  async setHidden(reviewId: string, hidden: boolean, reason: string | undefined): Promise<ConsoleReview> {
    if (!isUuid(reviewId)) throw this.notFoundReview();
    return this.repo.transaction(async (m) => {
      const review = await this.repo.byId(m, reviewId, true);
      if (!review) throw this.notFoundReview();
      const hiddenReason = hidden ? reason?.trim() || null : null;
      await this.repo.setHidden(m, reviewId, hidden, hiddenReason);
      return this.toConsole(await this.repo.withProductName(Object.assign(review, { hidden, hiddenReason })));
    });
  }
}
