import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Review, ReviewReport, StoredReviewPhoto } from './entities/review.entity';

export interface OrderForReview {
  id: string;
  buyerId: string;
  cooperativeId: string;
  status: string;
  lines: { id: string; productId: string; productName: string }[];
}

/** Postgres unique_violation. */
export const isUniqueViolation = (e: unknown, constraint: string): boolean =>
  typeof e === 'object' &&
  e !== null &&
  (e as { code?: string }).code === '23505' &&
  (e as { constraint?: string }).constraint === constraint;

/**
 * Every statement of the reviews feature. It writes only its own tables (reviews, review_reports); it reads an
 * order, its lines and the buyer's display name to decide whether a review may be written (read-only).
 */
@Injectable()
export class ReviewsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** For reads outside a transaction. */
  get manager(): EntityManager {
    return this.db.manager;
  }

  async orderForReview(m: EntityManager, orderId: string): Promise<OrderForReview | null> {
    const rows: {
      id: string;
      buyer_id: string;
      cooperative_id: string;
      status: string;
      line_id: string | null;
      product_id: string | null;
      product_name: string | null;
    }[] = await m.query(
      `SELECT o.id, o.buyer_id, o.cooperative_id, o.status, l.id AS line_id, l.product_id, l.product_name
         FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id
        WHERE o.id = $1 ORDER BY l.id`,
      [orderId],
    );
    if (!rows.length) return null;
    return {
      id: rows[0].id,
      buyerId: rows[0].buyer_id,
      cooperativeId: rows[0].cooperative_id,
      status: rows[0].status,
      lines: rows.flatMap((r) =>
        r.line_id && r.product_id && r.product_name !== null
          ? [{ id: r.line_id, productId: r.product_id, productName: r.product_name }]
          : [],
      ),
    };
  }

  async displayName(m: EntityManager, userId: string): Promise<string> {
    const [row]: { display_name: string }[] = await m.query(`SELECT display_name FROM users WHERE id = $1`, [userId]);
    return row?.display_name ?? '';
  }

  insert(
    m: EntityManager,
    review: Omit<
      Review,
      | 'id'
      | 'createdAt'
      | 'photos'
      | 'replyText'
      | 'repliedAt'
      | 'repliedBy'
      | 'hidden'
      | 'hiddenReason'
      | 'reportCount'
    >,
  ): Promise<Review> {
    const repo = m.getRepository(Review);
    return repo.save(repo.create({ ...review, photos: [] }));
  }

  byId(m: EntityManager, id: string, lock = false): Promise<Review | null> {
    return m.getRepository(Review).findOne({ where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' } } : {}) });
  }

  byOrder(m: EntityManager, orderId: string): Promise<Review[]> {
    return m.getRepository(Review).find({ where: { orderId } });
  }

  async setPhotos(m: EntityManager, id: string, photos: StoredReviewPhoto[]): Promise<void> {
    await m.getRepository(Review).update({ id }, { photos });
  }

  async setReply(m: EntityManager, id: string, text: string, by: string): Promise<void> {
    await m.getRepository(Review).update({ id }, { replyText: text, repliedAt: new Date(), repliedBy: by });
  }

  async setHidden(m: EntityManager, id: string, hidden: boolean, reason: string | null): Promise<void> {
    await m.getRepository(Review).update({ id }, { hidden, hiddenReason: reason });
  }

  /** Records one report and counts it on the review in the same transaction (the unique key makes it once). */
  async addReport(m: EntityManager, reviewId: string, reporterId: string, reason: string): Promise<void> {
    await m.getRepository(ReviewReport).insert({ reviewId, reporterId, reason });
    await m
      .createQueryBuilder()
      .update(Review)
      .set({ reportCount: () => 'report_count + 1' })
      .where('id = :id', { id: reviewId })
      .execute();
  }

  /** Visible reviews of a product, newest first, with the summary over all of them. */
  async productPage(productId: string, page: number, pageSize: number) {
    const m = this.db.manager;
    const [items, stats] = await Promise.all([
      m.getRepository(Review).find({
        where: { productId, hidden: false },
        order: { createdAt: 'DESC', id: 'DESC' },
        skip: (page - 1) * pageSize,
        take: pageSize,
      }),
      m.query(`SELECT rating, count(*)::int AS n FROM reviews WHERE product_id = $1 AND NOT hidden GROUP BY rating`, [
        productId,
      ]) as Promise<{ rating: number; n: number }[]>,
    ]);
    return { items, stats };
  }

  async productExists(productId: string): Promise<boolean> {
    const rows = await this.db.query(`SELECT 1 FROM products WHERE id = $1 AND published`, [productId]);
    return rows.length > 0;
  }

  /** A cooperative's reviews (hidden ones too), newest first, with the product's name. */
  forCooperative(cooperativeId: string, limit: number): Promise<(Review & { productName: string })[]> {
    return this.withProductNames(
      this.db.manager
        .getRepository(Review)
        .find({ where: { cooperativeId }, order: { createdAt: 'DESC' }, take: limit }),
    );
  }

  /** Reported reviews for the platform, most reported first. */
  reported(limit: number): Promise<(Review & { productName: string })[]> {
    return this.withProductNames(
      this.db.manager
        .getRepository(Review)
        .createQueryBuilder('r')
        .where('r.report_count > 0')
        .orderBy('r.report_count', 'DESC')
        .addOrderBy('r.created_at', 'DESC')
        .take(limit)
        .getMany(),
    );
  }

  async withProductName(review: Review): Promise<Review & { productName: string }> {
    return (await this.withProductNames(Promise.resolve([review])))[0];
  }

  private async withProductNames(reviews: Promise<Review[]>): Promise<(Review & { productName: string })[]> {
    const list = await reviews;
    if (!list.length) return [];
    const names: { id: string; name_zh: string }[] = await this.db.query(
      `SELECT id, name_zh FROM products WHERE id = ANY($1::uuid[])`,
      [[...new Set(list.map((r) => r.productId))]],
    );
    const byId = new Map(names.map((n) => [n.id, n.name_zh]));
    return list.map((r) => Object.assign(r, { productName: byId.get(r.productId) ?? '' }));
  }
}
