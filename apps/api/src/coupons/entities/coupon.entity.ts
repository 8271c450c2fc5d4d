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
} from 'typeorm';
import type { CouponValidity } from '@xiangbo/contracts';
import { fenColumn } from '../../database/money.transformer';
import { Show } from '../../live/entities/show.entity';

/**
 * A live coupon (直播间专享券) the host dropped in a show: `quantity` of them, handed out by one guarded increment of
 * `claimed` per batch of claims (never above quantity: the statement's condition and the CHECK), at most
 * `per_viewer_limit` per viewer. Usable on an order of the show's cooperative whose amount reaches `min_spend_fen`.
 */
@Entity('coupons')
@Index('coupons_show', ['showId', 'createdAt'])
@Check('coupons_claimed', `"claimed" >= 0 AND "claimed" <= "quantity"`)
@Check('coupons_amounts', `"amount_off_fen" > 0 AND "min_spend_fen" >= 0`)
@Check('coupons_limits', `"quantity" > 0 AND "per_viewer_limit" > 0`)
@Check('coupons_validity', `"validity" IN ('show','24h')`)
@Check('coupons_status', `"status" IN ('live','stopped')`)
export class Coupon {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'show_id', type: 'uuid' })
  showId!: string;

  @ManyToOne(() => Show, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'show_id' })
  show?: Relation<Show>;

  @Column({ name: 'cooperative_id', type: 'uuid' })
  cooperativeId!: string;

  @Column(fenColumn({ name: 'amount_off_fen' }))
  amountOffFen!: number;

  @Column(fenColumn({ name: 'min_spend_fen', default: 0 }))
  minSpendFen!: number;

  @Column({ type: 'integer' })
  quantity!: number;

  @Column({ type: 'integer', default: 0 })
  claimed!: number;

  @Column({ name: 'per_viewer_limit', type: 'integer' })
  perViewerLimit!: number;

  @Column({ type: 'varchar', length: 4 })
  validity!: CouponValidity;

  @Column({ type: 'varchar', length: 10, default: 'live' })
  status!: 'live' | 'stopped';

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
