import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  Relation,
  UpdateDateColumn,
} from 'typeorm';
import type { OrderStatus } from '@xiangbo/domain';
import { Cooperative } from '../../cooperatives/entities/cooperative.entity';
import { fenColumn } from '../../database/money.transformer';
import { OrderLine } from './order-line.entity';
import { Payment } from './payment.entity';

export interface ShippingAddress {
  recipient: string;
  mobile: string;
  province: string;
  city: string;
  district: string;
  detail: string;
}

/** One cooperative's part of a checkout. The address is a snapshot, so editing the address book changes no order. */
@Entity('orders')
@Index('orders_buyer', ['buyerId', 'createdAt'])
@Index('orders_cooperative_status', ['cooperativeId', 'status'])
@Check(
  'orders_status',
  `"status" IN ('pending_payment','paid','shipped','delivered','completed','cancelled','refunded')`,
)
@Check('orders_amounts', `"total_fen" >= 0 AND "refunded_fen" >= 0 AND "refunded_fen" <= "total_fen"`)
export class Order {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Human-friendly number shown to buyers and printed on packing lists. */
  @Index('orders_number', { unique: true })
  @Column({ type: 'varchar', length: 20 })
  number!: string;

  @Column({ name: 'buyer_id', type: 'uuid' })
  buyerId!: string;

  @Column({ name: 'cooperative_id', type: 'uuid' })
  cooperativeId!: string;

  @ManyToOne(() => Cooperative, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'cooperative_id' })
  cooperative?: Relation<Cooperative>;

  @Column({ name: 'payment_id', type: 'uuid' })
  paymentId!: string;

  @ManyToOne(() => Payment, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'payment_id' })
  payment?: Relation<Payment>;

  @Column({ type: 'varchar', length: 20, default: 'pending_payment' })
  status!: OrderStatus;

  @Column(fenColumn({ name: 'subtotal_fen' }))
  subtotalFen!: number;

  @Column(fenColumn({ name: 'shipping_fen', default: 0 }))
  shippingFen!: number;

  @Column(fenColumn({ name: 'total_fen' }))
  totalFen!: number;

  @Column(fenColumn({ name: 'refunded_fen', default: 0 }))
  refundedFen!: number;

  @Column({ type: 'varchar', length: 3, default: 'CNY' })
  currency!: 'CNY';

  @Column({ type: 'jsonb' })
  address!: ShippingAddress;

  /** Province of the address, for the live ticker ("陕西的买家刚买了 2 盒") without personal data. */
  @Column({ name: 'buyer_province', type: 'varchar', length: 20 })
  buyerProvince!: string;

  @Column({ type: 'varchar', length: 40, nullable: true })
  carrier!: string | null;

  @Column({ name: 'tracking_number', type: 'varchar', length: 60, nullable: true })
  trackingNumber!: string | null;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'paid_at', type: 'timestamptz', nullable: true })
  paidAt!: Date | null;

  @Column({ name: 'shipped_at', type: 'timestamptz', nullable: true })
  shippedAt!: Date | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;

  /** When its completion was settled into the ledger (settle:order:<id>); null until then. */
  @Column({ name: 'settled_at', type: 'timestamptz', nullable: true })
  settledAt!: Date | null;

  /** Live show this order was placed in, if any (attribution for the show summary). */
  @Column({ name: 'show_id', type: 'uuid', nullable: true })
  showId!: string | null;

  @OneToMany(() => OrderLine, (l) => l.order)
  lines?: Relation<OrderLine[]>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
