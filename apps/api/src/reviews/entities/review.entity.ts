import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Relation,
  Unique,
} from 'typeorm';
import { OrderLine } from '../../orders/entities/order-line.entity';

export interface StoredReviewPhoto {
  key: string;
  thumbKey: string;
  width: number;
  height: number;
}

/** A buyer's review of one completed order line. Written once; the cooperative replies, the platform hides. */
@Entity('reviews')
@Unique('reviews_one_per_line', ['orderLineId'])
@Index('reviews_product_visible', ['productId', 'createdAt'])
@Index('reviews_cooperative', ['cooperativeId', 'createdAt'])
@Check('reviews_rating', `"rating" BETWEEN 1 AND 5`)
export class Review {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @Column({ name: 'order_line_id', type: 'uuid' })
  orderLineId!: string;

  @ManyToOne(() => OrderLine, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'order_line_id' })
  orderLine?: Relation<OrderLine>;

  @Column({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @Column({ name: 'cooperative_id', type: 'uuid' })
  cooperativeId!: string;

  @Column({ name: 'buyer_id', type: 'uuid' })
  buyerId!: string;

  /** The buyer's display name masked when the review was written (王*明): public pages never join users. */
  @Column({ name: 'buyer_masked', type: 'varchar', length: 40 })
  buyerMasked!: string;

  @Column({ type: 'smallint' })
  rating!: number;

  @Column({ type: 'varchar', length: 500 })
  text!: string;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  photos!: StoredReviewPhoto[];

  @Column({ name: 'reply_text', type: 'varchar', length: 300, nullable: true })
  replyText!: string | null;

  @Column({ name: 'replied_at', type: 'timestamptz', nullable: true })
  repliedAt!: Date | null;

  @Column({ name: 'replied_by', type: 'uuid', nullable: true })
  repliedBy!: string | null;

  @Column({ type: 'boolean', default: false })
  hidden!: boolean;

  @Column({ name: 'hidden_reason', type: 'varchar', length: 200, nullable: true })
  hiddenReason!: string | null;

  @Column({ name: 'report_count', type: 'integer', default: 0 })
  reportCount!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** One report of a review by one user (a user reports a review once). */
@Entity('review_reports')
@Unique('review_reports_once', ['reviewId', 'reporterId'])
export class ReviewReport {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('review_reports_review')
  @Column({ name: 'review_id', type: 'uuid' })
  reviewId!: string;

  @ManyToOne(() => Review, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'review_id' })
  review?: Relation<Review>;

  @Column({ name: 'reporter_id', type: 'uuid' })
  reporterId!: string;

  @Column({ type: 'varchar', length: 200 })
  reason!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
