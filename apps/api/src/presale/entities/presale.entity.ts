import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { fenColumn } from '../../database/money.transformer';

export type PresaleRowStatus = 'open' | 'harvested' | 'cancelled';

/**
 * A pre-sale (预售) of one product before its harvest, opened by its cooperative: a deposit and a balance per unit
 * (balance 0: full prepayment), the guaranteed purchase price per unit promised to the households (保底收购价, fixed
 * here at opening and used at settlement), the expected shipping window, and `cap` units (the households' promises,
 * presale_promises) of which `taken` are held by orders. open → harvested (balance due by `balance_due_at`) or
 * open → cancelled (a failed harvest: every deposit refunded). Its id is the offer id on its orders' lines.
 */
@Entity('presales')
@Index('presales_one_live_per_product', ['productId'], { unique: true, where: `"status" <> 'cancelled'` })
@Index('presales_cooperative', ['cooperativeId', 'createdAt'])
@Check('presales_status', `"status" IN ('open','harvested','cancelled')`)
@Check('presales_amounts', `"deposit_fen" > 0 AND "balance_fen" >= 0 AND "guaranteed_fen" >= 0`)
@Check('presales_taken', `"taken" >= 0 AND "taken" <= "cap"`)
@Check('presales_window', `"ship_from" <= "ship_to"`)
export class Presale {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @Column({ name: 'cooperative_id', type: 'uuid' })
  cooperativeId!: string;

  @Column(fenColumn({ name: 'deposit_fen' }))
  depositFen!: number;

  @Column(fenColumn({ name: 'balance_fen' }))
  balanceFen!: number;

  @Column(fenColumn({ name: 'guaranteed_fen' }))
  guaranteedFen!: number;

  @Column({ name: 'ship_from', type: 'date' })
  shipFrom!: string;

  @Column({ name: 'ship_to', type: 'date' })
  shipTo!: string;

  @Column({ name: 'balance_days', type: 'integer' })
  balanceDays!: number;

  @Column({ type: 'integer' })
  cap!: number;

  @Column({ type: 'integer', default: 0 })
  taken!: number;

  @Column({ type: 'varchar', length: 10, default: 'open' })
  status!: PresaleRowStatus;

  @Column({ name: 'balance_due_at', type: 'timestamptz', nullable: true })
  balanceDueAt!: Date | null;

  @Column({ name: 'harvested_at', type: 'timestamptz', nullable: true })
  harvestedAt!: Date | null;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;

  @Column({ name: 'cancel_reason', type: 'varchar', length: 200, nullable: true })
  cancelReason!: string | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
