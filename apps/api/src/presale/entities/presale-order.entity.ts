import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type PresaleOrderStatus = 'deposit_paid' | 'balance_pending' | 'balance_paid' | 'refunding';

/**
 * A buyer's pre-sale order, keyed by its deposit order (written by the afterPayment hook when the deposit is paid):
 * deposit_paid → balance_pending (the balance order is written, `balance_order_id`) → balance_paid (its payment),
 * or → refunding (the pre-sale was cancelled, or the balance was not paid in time: the deposit's refund opened,
 * once, in the same transaction — `refund_id`).
 */
@Entity('presale_orders')
@Index('presale_orders_presale', ['presaleId', 'status'])
@Index('presale_orders_buyer', ['buyerId', 'createdAt'])
@Index('presale_orders_balance', ['balanceOrderId'], { unique: true, where: `"balance_order_id" IS NOT NULL` })
@Check('presale_orders_status', `"status" IN ('deposit_paid','balance_pending','balance_paid','refunding')`)
@Check('presale_orders_quantity', `"quantity" > 0`)
export class PresaleOrder {
  @PrimaryColumn({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @Column({ name: 'presale_id', type: 'uuid' })
  presaleId!: string;

  @Column({ name: 'buyer_id', type: 'uuid' })
  buyerId!: string;

  @Column({ type: 'integer' })
  quantity!: number;

  @Column({ type: 'varchar', length: 16, default: 'deposit_paid' })
  status!: PresaleOrderStatus;

  @Column({ name: 'balance_order_id', type: 'uuid', nullable: true })
  balanceOrderId!: string | null;

  @Column({ name: 'refund_id', type: 'uuid', nullable: true })
  refundId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
