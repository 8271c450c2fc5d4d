import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Relation,
} from 'typeorm';
import { GroupBuy } from './group-buy.entity';

export type GroupMemberStatus = 'holding' | 'pending' | 'paid' | 'left' | 'refunding';

/**
 * A seat in a group. Its id is the offer id on the member's order line (orders' `deal_id`), so orders' hooks reach
 * it: holding (seat taken, order being written) → pending (order written, reserve hook) → paid (afterPayment hook)
 * → refunding (the group failed: its refund opened, once, in the same transaction); or → left (order expired or
 * cancelled: release hook; or the order could not be placed). A buyer holds at most one live seat per group.
 */
@Entity('group_buy_members')
@Index('group_buy_members_one_seat', ['groupId', 'buyerId'], { unique: true, where: `"status" <> 'left'` })
@Index('group_buy_members_group', ['groupId', 'createdAt'])
@Index('group_buy_members_buyer', ['buyerId', 'createdAt'])
@Index('group_buy_members_order', ['orderId'])
@Check('group_buy_members_status', `"status" IN ('holding','pending','paid','left','refunding')`)
@Check('group_buy_members_quantity', `"quantity" > 0`)
export class GroupBuyMember {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'group_id', type: 'uuid' })
  groupId!: string;

  @ManyToOne(() => GroupBuy, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'group_id' })
  group?: Relation<GroupBuy>;

  @Column({ name: 'buyer_id', type: 'uuid' })
  buyerId!: string;

  @Column({ type: 'boolean', default: false })
  leader!: boolean;

  @Column({ type: 'integer' })
  quantity!: number;

  @Column({ type: 'varchar', length: 10, default: 'holding' })
  status!: GroupMemberStatus;

  @Column({ name: 'order_id', type: 'uuid', nullable: true })
  orderId!: string | null;

  @Column({ name: 'payment_id', type: 'uuid', nullable: true })
  paymentId!: string | null;

  @Column({ name: 'refund_id', type: 'uuid', nullable: true })
  refundId!: string | null;

  @Column({ name: 'paid_at', type: 'timestamptz', nullable: true })
  paidAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
