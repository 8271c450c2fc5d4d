import { Check, Column, CreateDateColumn, Entity, Index, OneToMany, PrimaryGeneratedColumn, Relation } from 'typeorm';
import type { LedgerKind } from '@xiangbo/domain';
import { LedgerPosting } from './ledger-posting.entity';

/**
 * A double-entry transaction in a cooperative's hash chain. Append-only: the database refuses UPDATE and
 * DELETE (trigger). hash = SHA-256 of the canonical content including prev_hash (libs/domain/src/ledger).
 */
@Entity('ledger_transactions')
@Index('ledger_transactions_chain', ['cooperativeId', 'seq'], { unique: true })
@Index('ledger_transactions_key', ['idempotencyKey'], { unique: true })
@Check(
  'ledger_transactions_kind',
  `"kind" IN ('payment','settlement','refund','reversal','refund_fee','dividend','payout')`,
)
export class LedgerTransactionRow {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'cooperative_id', type: 'uuid' })
  cooperativeId!: string;

  @Column({ type: 'integer' })
  seq!: number;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 200 })
  idempotencyKey!: string;

  @Column({ type: 'varchar', length: 12 })
  kind!: LedgerKind;

  /** Exactly the ISO string that was hashed. */
  @Column({ name: 'occurred_at', type: 'varchar', length: 30 })
  occurredAt!: string;

  @Column({ type: 'jsonb' })
  reference!: Record<string, unknown>;

  @Column({ name: 'prev_hash', type: 'char', length: 64 })
  prevHash!: string;

  @Column({ type: 'char', length: 64 })
  hash!: string;

  /** Order this transaction concerns (payment, settlement, refund), for receipts; null otherwise. */
  @Index('ledger_transactions_order')
  @Column({ name: 'order_id', type: 'uuid', nullable: true })
  orderId!: string | null;

  @OneToMany(() => LedgerPosting, (p) => p.transaction)
  postings?: Relation<LedgerPosting[]>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
