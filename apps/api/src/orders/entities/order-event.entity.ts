import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Every transition of an order: from, to, who (a user, the system or the payment provider), when, why. */
@Entity('order_events')
@Index('order_events_order', ['orderId', 'at'])
export class OrderEvent {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @Column({ name: 'from_status', type: 'varchar', length: 20, nullable: true })
  fromStatus!: string | null;

  @Column({ name: 'to_status', type: 'varchar', length: 20 })
  toStatus!: string;

  /** buyer | cooperative | system | provider */
  @Column({ name: 'actor_kind', type: 'varchar', length: 12 })
  actorKind!: 'buyer' | 'cooperative' | 'system' | 'provider';

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ type: 'varchar', length: 300, default: '' })
  note!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at!: Date;
}
