import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Stock held for an unpaid order. The product's stock was decremented when it was taken; it comes back exactly
 * once, when a conditional UPDATE moves the reservation from held to released. Paying converts it.
 */
@Entity('reservations')
@Index('reservations_expiry', ['expiresAt'], { where: `"status" = 'held'` })
@Index('reservations_order', ['orderId'])
@Check('reservations_status', `"status" IN ('held','converted','released')`)
@Check('reservations_quantity', `"quantity" > 0`)
export class Reservation {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @Column({ name: 'product_id', type: 'uuid' })
  productId!: string;

  /** Flash deal whose quantity this holds (live shows), else null. */
  @Column({ name: 'deal_id', type: 'uuid', nullable: true })
  dealId!: string | null;

  @Column({ type: 'integer' })
  quantity!: number;

  @Column({ type: 'varchar', length: 10, default: 'held' })
  status!: 'held' | 'converted' | 'released';

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'released_at', type: 'timestamptz', nullable: true })
  releasedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
