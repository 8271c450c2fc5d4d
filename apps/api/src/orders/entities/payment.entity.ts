import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { fenColumn } from '../../database/money.transformer';

/** One payment for one checkout (the orders of several cooperatives are paid together). */
@Entity('payments')
@Check('payments_status', `"status" IN ('pending','succeeded','failed','canceled')`)
@Check('payments_provider', `"provider" IN ('stripe','demo')`)
export class Payment {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('payments_buyer')
  @Column({ name: 'buyer_id', type: 'uuid' })
  buyerId!: string;

  @Column({ type: 'varchar', length: 10 })
  provider!: 'stripe' | 'demo';

  @Index('payments_provider_ref', { unique: true, where: '"provider_ref" IS NOT NULL' })
  @Column({ name: 'provider_ref', type: 'varchar', length: 100, nullable: true })
  providerRef!: string | null;

  @Column({ name: 'client_secret', type: 'varchar', length: 200, nullable: true, select: false })
  clientSecret!: string | null;

  @Column({ type: 'varchar', length: 10, default: 'pending' })
  status!: 'pending' | 'succeeded' | 'failed' | 'canceled';

  @Column(fenColumn({ name: 'amount_fen' }))
  amountFen!: number;

  @Column({ type: 'varchar', length: 3, default: 'CNY' })
  currency!: 'CNY';

  /** The provider's real processing fee (from the balance transaction), once known. */
  @Column(fenColumn({ name: 'fee_fen', nullable: true }))
  feeFen!: number | null;

  @Column({ name: 'charge_ref', type: 'varchar', length: 100, nullable: true })
  chargeRef!: string | null;

  @Column(fenColumn({ name: 'refunded_fen', default: 0 }))
  refundedFen!: number;

  @Column({ name: 'failure_message', type: 'varchar', length: 300, nullable: true })
  failureMessage!: string | null;

  @Column({ name: 'dispute_ref', type: 'varchar', length: 100, nullable: true })
  disputeRef!: string | null;

  @Column({ name: 'succeeded_at', type: 'timestamptz', nullable: true })
  succeededAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
