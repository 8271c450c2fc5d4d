import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { fenColumn } from '../../database/money.transformer';

/** A batch of payouts (兑付) prepared for the bank: households owed at least the threshold. */
@Entity('payout_batches')
@Index('payout_batches_coop', ['cooperativeId', 'createdAt'])
export class PayoutBatch {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'cooperative_id', type: 'uuid' })
  cooperativeId!: string;

  @Column(fenColumn({ name: 'threshold_fen' }))
  thresholdFen!: number;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/**
 * Money actually paid to one household: planned in a batch, recorded as paid (channel, reference, date — the
 * ledger's payout transaction is written then), confirmed by the household with the code sent by SMS to its
 * registry phone, or, without a phone, attested in person by an auditor assigned to the cooperative.
 */
@Entity('payouts')
@Index('payouts_household', ['householdId'])
@Index('payouts_batch', ['batchId'])
@Check('payouts_status', `"status" IN ('planned','paid','confirmed')`)
@Check('payouts_channel', `"channel" IS NULL OR "channel" IN ('bank','mobile','cash')`)
@Check('payouts_amount', `"amount_fen" > 0`)
@Check('payouts_confirm_route', `"confirm_route" IS NULL OR "confirm_route" IN ('sms','attest')`)
@Check('payouts_confirm_method', `"confirm_method" IS NULL OR "confirm_method" IN ('sms','attested','legacy')`)
export class Payout {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'batch_id', type: 'uuid' })
  batchId!: string;

  @Column({ name: 'cooperative_id', type: 'uuid' })
  cooperativeId!: string;

  @Column({ name: 'household_id', type: 'uuid' })
  householdId!: string;

  @Column(fenColumn({ name: 'amount_fen' }))
  amountFen!: number;

  @Column({ type: 'varchar', length: 10, default: 'planned' })
  status!: 'planned' | 'paid' | 'confirmed';

  @Column({ type: 'varchar', length: 10, nullable: true })
  channel!: 'bank' | 'mobile' | 'cash' | null;

  /** Bank or payment reference, or the receipt number for cash. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  reference!: string | null;

  @Column({ name: 'paid_on', type: 'date', nullable: true })
  paidOn!: string | null;

  @Column({ name: 'recorded_by', type: 'uuid', nullable: true })
  recordedBy!: string | null;

  /** SHA-256 of the one-time confirmation token in the household's link; the token itself is never stored. */
  @Index('payouts_confirm_token', { unique: true, where: '"confirm_token_hash" IS NOT NULL' })
  @Column({ name: 'confirm_token_hash', type: 'char', length: 64, nullable: true })
  confirmTokenHash!: string | null;

  /** 6-digit code a household can type instead of opening the link (hashed with the payout id). */
  @Column({ name: 'confirm_code_hash', type: 'char', length: 64, nullable: true })
  confirmCodeHash!: string | null;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt!: Date | null;

  /** Decided when recorded: `sms` (a code went to the registry phone) or `attest` (no phone: an auditor attests). */
  @Column({ name: 'confirm_route', type: 'varchar', length: 10, nullable: true })
  confirmRoute!: 'sms' | 'attest' | null;

  /** The registry phone the code went to, masked (what the console may show). */
  @Column({ name: 'sms_to_masked', type: 'varchar', length: 20, nullable: true })
  smsToMasked!: string | null;

  /** How it was confirmed: the household's code, an auditor's attestation, or the old link (before SMS). */
  @Column({ name: 'confirm_method', type: 'varchar', length: 10, nullable: true })
  confirmMethod!: 'sms' | 'attested' | 'legacy' | null;

  /** The auditor who attested, and their note (where, how the household was identified). */
  @Column({ name: 'attested_by', type: 'uuid', nullable: true })
  attestedBy!: string | null;

  @Column({ name: 'attest_note', type: 'varchar', length: 500, nullable: true })
  attestNote!: string | null;

  @Column({ name: 'ledger_transaction_id', type: 'uuid', nullable: true })
  ledgerTransactionId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
