import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { fenColumn } from '../../database/money.transformer';

/**
 * One immutable version of a cooperative's sharing policy (利益联结机制). A new version applies to orders paid
 * after its effective_from; the database refuses UPDATE and DELETE (trigger), so old versions never change.
 */
@Entity('sharing_policies')
@Index('sharing_policies_version', ['cooperativeId', 'version'], { unique: true })
@Check('sharing_policies_purchase_kind', `"purchase_kind" IN ('percent','per_unit')`)
@Check('sharing_policies_coupon_carrier', `"coupon_carrier" IN ('cooperative','platform')`)
@Check(
  'sharing_policies_bp',
  `"platform_fee_bp" BETWEEN 0 AND 2000 AND "dividend_bp" BETWEEN 0 AND 10000 AND "wages_bp" BETWEEN 0 AND 10000 AND "purchase_bp" BETWEEN 0 AND 10000`,
)
export class SharingPolicyVersion {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'cooperative_id', type: 'uuid' })
  cooperativeId!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'platform_fee_bp', type: 'integer' })
  platformFeeBp!: number;

  @Column({ name: 'purchase_kind', type: 'varchar', length: 10 })
  purchaseKind!: 'percent' | 'per_unit';

  @Column({ name: 'purchase_bp', type: 'integer', default: 0 })
  purchaseBp!: number;

  @Column(fenColumn({ name: 'purchase_fen_per_unit', default: 0 }))
  purchaseFenPerUnit!: number;

  @Column({ name: 'dividend_bp', type: 'integer' })
  dividendBp!: number;

  @Column({ name: 'wages_bp', type: 'integer' })
  wagesBp!: number;

  @Column({ name: 'weight_registered', type: 'integer', default: 100 })
  weightRegistered!: number;

  @Column({ name: 'weight_monitored', type: 'integer', default: 100 })
  weightMonitored!: number;

  @Column({ name: 'weight_lifted', type: 'integer', default: 100 })
  weightLifted!: number;

  @Column({ name: 'weight_none', type: 'integer', default: 100 })
  weightNone!: number;

  /** Who carries live coupons' discounts: the cooperative, or the platform (set by the platform, with its fee). */
  @Column({ name: 'coupon_carrier', type: 'varchar', length: 12, default: 'cooperative' })
  couponCarrier!: 'cooperative' | 'platform';

  /** Applies to orders paid at or after this instant. */
  @Column({ name: 'effective_from', type: 'timestamptz' })
  effectiveFrom!: Date;

  /** Why this version was made (the change log). */
  @Column({ type: 'varchar', length: 500, default: '' })
  note!: string;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
