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
import type { GroupBuyStatus } from '@xiangbo/contracts';
import { Product } from '../../catalog/entities/product.entity';
import { fenColumn } from '../../database/money.transformer';

/**
 * One group (一个团): opened by a buyer under the product's offer, with the offer's size and price copied at opening.
 * Its status moves once, by compare-and-set under the row lock: open → formed (when `size` members have paid within
 * the window) or open → failed (the window ended short; every paid member is refunded once).
 */
@Entity('group_buys')
@Index('group_buys_product_open', ['productId', 'expiresAt'], { where: `"status" = 'open'` })
@Index('group_buys_open_expiry', ['expiresAt'], { where: `"status" = 'open'` })
@Index('group_buys_failed', ['failedAt'], { where: `"status" = 'failed'` })
@Check('group_buys_status', `"status" IN ('open','formed','failed')`)
@Check('group_buys_size', `"size" BETWEEN 2 AND 50`)
@Check('group_buys_price', `"group_price_fen" > 0`)
export class GroupBuy {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @ManyToOne(() => Product, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'product_id' })
  product?: Relation<Product>;

  @Column({ name: 'cooperative_id', type: 'uuid' })
  cooperativeId!: string;

  @Column({ name: 'leader_id', type: 'uuid' })
  leaderId!: string;

  @Column({ type: 'integer' })
  size!: number;

  @Column(fenColumn({ name: 'group_price_fen' }))
  groupPriceFen!: number;

  @Column({ type: 'varchar', length: 10, default: 'open' })
  status!: GroupBuyStatus;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'formed_at', type: 'timestamptz', nullable: true })
  formedAt!: Date | null;

  @Column({ name: 'failed_at', type: 'timestamptz', nullable: true })
  failedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
