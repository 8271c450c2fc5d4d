import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A settlement job of one cooperative: resumable (each order settles in its own transaction), with progress. */
@Entity('settlement_runs')
@Index('settlement_runs_coop', ['cooperativeId', 'createdAt'])
@Check('settlement_runs_status', `"status" IN ('queued','running','done','failed')`)
export class SettlementRun {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'cooperative_id', type: 'uuid' })
  cooperativeId!: string;

  @Column({ type: 'varchar', length: 8, default: 'queued' })
  status!: 'queued' | 'running' | 'done' | 'failed';

  /** Orders to settle when the run started, and how many are done. */
  @Column({ type: 'integer', default: 0 })
  total!: number;

  @Column({ type: 'integer', default: 0 })
  done!: number;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error!: string | null;

  /** Orders the run could not settle, with the reason (e.g. no sharing policy in force when it was paid). */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  skipped!: { orderId: string; orderNumber: string; reason: string }[];

  @Column({ name: 'started_by', type: 'uuid' })
  startedBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
