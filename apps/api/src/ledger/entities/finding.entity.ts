import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An auditor's finding (问题线索): raised, answered by the cooperative, closed by the auditor. */
@Entity('findings')
@Index('findings_coop', ['cooperativeId', 'status'])
@Check('findings_status', `"status" IN ('open','answered','closed')`)
export class Finding {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'cooperative_id', type: 'uuid' })
  cooperativeId!: string;

  @Column({ name: 'auditor_id', type: 'uuid' })
  auditorId!: string;

  @Column({ type: 'varchar', length: 120 })
  title!: string;

  @Column({ type: 'text' })
  body!: string;

  /** What it concerns, e.g. a ledger transaction seq, an order id, a household id. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  subject!: Record<string, unknown>;

  @Column({ type: 'varchar', length: 10, default: 'open' })
  status!: 'open' | 'answered' | 'closed';

  @Column({ type: 'text', nullable: true })
  answer!: string | null;

  @Column({ name: 'answered_by', type: 'uuid', nullable: true })
  answeredBy!: string | null;

  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true })
  answeredAt!: Date | null;

  @Column({ name: 'closing_note', type: 'text', nullable: true })
  closingNote!: string | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
