import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { fenColumn } from '../../database/money.transformer';
import { Coupon } from './coupon.entity';

/**
 * One coupon a viewer claimed: the n-th of that coupon for that viewer (unique (coupon, user, n), 1 ≤ n ≤ the
 * per-viewer limit — a second guard behind the batch's cap). claimed → used by compare-and-set when an order takes
 * it (with the order and the discount); used → claimed, once, when that order is cancelled or expires unpaid.
 */
@Entity('coupon_claims')
@Index('coupon_claims_nth', ['couponId', 'userId', 'n'], { unique: true })
@Index('coupon_claims_user', ['userId', 'claimedAt'])
@Index('coupon_claims_order', ['orderId'], { where: `"order_id" IS NOT NULL` })
@Check('coupon_claims_status', `"status" IN ('claimed','used')`)
@Check('coupon_claims_n', `"n" >= 1`)
@Check('coupon_claims_use', `("status" = 'used') = ("order_id" IS NOT NULL)`)
export class CouponClaim {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'coupon_id', type: 'uuid' })
  couponId!: string;

  @ManyToOne(() => Coupon, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'coupon_id' })
  coupon?: Relation<Coupon>;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ type: 'integer' })
  n!: number;

  @Column({ type: 'varchar', length: 10, default: 'claimed' })
  status!: 'claimed' | 'used';

  /** Until when it can be used (24 h coupons); null: while its show is live. */
  @Column({ name: 'valid_until', type: 'timestamptz', nullable: true })
  validUntil!: Date | null;

  @Column({ name: 'order_id', type: 'uuid', nullable: true })
  orderId!: string | null;

  @Column(fenColumn({ name: 'discount_fen', nullable: true }))
  discountFen!: number | null;

  @Column({ name: 'claimed_at', type: 'timestamptz' })
  claimedAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}
