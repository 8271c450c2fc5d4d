import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * SMS waiting to be sent, written in the transaction of what caused it (a payout recorded) and sent after it
 * commits, retried by a job until sent. The number and code travel encrypted in `payload`, which is erased once
 * the message is sent or given up; what stays is the masked number, the provider's message id and the outcome.
 */
@Entity('sms_outbox')
@Check('sms_outbox_status', `"status" IN ('pending','sent','failed')`)
@Index('sms_outbox_pending', ['createdAt'], { where: `"status" = 'pending'` })
export class SmsOutbox {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Idempotency key, e.g. `payout-confirm:<payout id>`: one message per key. */
  @Index('sms_outbox_key', { unique: true })
  @Column({ type: 'varchar', length: 100 })
  key!: string;

  @Column({ name: 'to_masked', type: 'varchar', length: 20 })
  toMasked!: string;

  /** PersonalDataCipher of {to, code, params}; null once sent or failed. */
  @Column({ type: 'text', nullable: true })
  payload!: string | null;

  @Column({ type: 'varchar', length: 10, default: 'pending' })
  status!: 'pending' | 'sent' | 'failed';

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'varchar', length: 300, nullable: true })
  lastError!: string | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  provider!: string | null;

  @Column({ name: 'message_id', type: 'varchar', length: 100, nullable: true })
  messageId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;
}
