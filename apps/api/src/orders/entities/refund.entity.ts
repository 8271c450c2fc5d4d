import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { fenColumn } from '../../database/money.transformer';

/**
 * A refund of (part of) an order through the provider. Buyers request (status requested); the coop_admin
 * accepts (pending → provider → succeeded/failed) or declines with a reason.
 */
@Entity('refunds')
@Index('refunds_order', ['orderId'])
@Check('refunds_status', `"status" IN ('requested','declined','pending','succeeded','failed')`)
@Check('refunds_amount', `"amount_fen" > 0`)
export class Refund {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @Column({ name: 'payment_id', type: 'uuid' })
  paymentId!: string;

  @Column(fenColumn({ name: 'amount_fen' }))
  amountFen!: number;

  @Column({ type: 'varchar', length: 300 })
  reason!: string;

  @Column({ type: 'varchar', length: 10 })
  status!: 'requested' | 'declined' | 'pending' | 'succeeded' | 'failed';

  @Column({ name: 'provider_ref', type: 'varchar', length: 100, nullable: true })
  providerRef!: string | null;

  @Column({ name: 'requested_by', type: 'uuid' })
  requestedBy!: string;

  @Column({ name: 'decided_by', type: 'uuid', nullable: true })
  decidedBy!: string | null;

  @Column({ name: 'decision_note', type: 'varchar', length: 300, nullable: true })
  decisionNote!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;
}
