import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * 回访抽查: a random sample of a cooperative's confirmed payouts, drawn server-side (crypto randomness) for one
 * assigned auditor, who verifies each by phone or visit. The draw is recorded: how many were asked for, how many
 * confirmed payouts there were to draw from, and which were drawn (the checks).
 */
@Entity('payout_callback_samples')
@Index('payout_callback_samples_coop', ['cooperativeId', 'drawnAt'])
@Check('payout_callback_samples_size', `"requested_size" > 0`)
export class CallbackSample {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'cooperative_id', type: 'uuid' })
  cooperativeId!: string;

  @Column({ name: 'auditor_id', type: 'uuid' })
  auditorId!: string;

  @Column({ name: 'requested_size', type: 'int' })
  requestedSize!: number;

  /** Confirmed payouts of the cooperative at the time of the draw. */
  @Column({ type: 'int' })
  population!: number;

  @CreateDateColumn({ name: 'drawn_at', type: 'timestamptz' })
  drawnAt!: Date;
}

/** One drawn payout and the outcome of its call-back; a disputed outcome raises a finding. */
@Entity('payout_callback_checks')
@Unique('payout_callback_checks_once', ['sampleId', 'payoutId'])
@Index('payout_callback_checks_payout', ['payoutId'])
@Check('payout_callback_checks_outcome', `"outcome" IN ('pending','confirmed','disputed','unreachable')`)
@Check('payout_callback_checks_via', `"via" IS NULL OR "via" IN ('phone','visit')`)
export class CallbackCheck {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'sample_id', type: 'uuid' })
  sampleId!: string;

  @Column({ name: 'cooperative_id', type: 'uuid' })
  cooperativeId!: string;

  @Column({ name: 'payout_id', type: 'uuid' })
  payoutId!: string;

  /** Order of the draw. */
  @Column({ type: 'int' })
  position!: number;

  @Column({ type: 'varchar', length: 12, default: 'pending' })
  outcome!: 'pending' | 'confirmed' | 'disputed' | 'unreachable';

  @Column({ type: 'varchar', length: 10, nullable: true })
  via!: 'phone' | 'visit' | null;

  @Column({ type: 'varchar', length: 2000, default: '' })
  note!: string;

  @Column({ name: 'checked_by', type: 'uuid', nullable: true })
  checkedBy!: string | null;

  @Column({ name: 'checked_at', type: 'timestamptz', nullable: true })
  checkedAt!: Date | null;

  @Column({ name: 'finding_id', type: 'uuid', nullable: true })
  findingId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
