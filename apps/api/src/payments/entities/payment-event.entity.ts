import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A provider event processed once: the row is inserted in the same transaction as the event's effect, so a
 * redelivered event (same id) finds it and changes nothing, and an effect that fails leaves no row (the provider
 * retries). Ids are Stripe event ids (`evt_…`) or `demo:<paymentId>:confirm` for the demo provider.
 */
@Entity('payment_events')
export class PaymentEvent {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  type!: string;

  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;
}
