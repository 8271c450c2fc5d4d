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
import type { DealStatus } from '@xiangbo/contracts';
import { Product } from '../../catalog/entities/product.entity';
import { fenColumn } from '../../database/money.transformer';
import { Show } from './show.entity';

/**
 * A flash deal (秒杀) on a show's pinned product. `remaining` is taken by ONE conditional UPDATE inside the order
 * transaction and given back by orders' releaseReservation when an unpaid deal order expires
 * (`UPDATE flash_deals SET remaining = remaining + q`): the table name and that column are a contract with orders.
 */
@Entity('flash_deals')
@Index('flash_deals_show', ['showId', 'createdAt'])
@Index('flash_deals_open_end', ['endsAt'], { where: `"status" = 'open'` })
@Check('flash_deals_status', `"status" IN ('open','closed')`)
@Check('flash_deals_remaining', `"remaining" >= 0 AND "remaining" <= "quantity"`)
@Check('flash_deals_amounts', `"price_fen" > 0 AND "quantity" > 0 AND "per_buyer_cap" > 0`)
export class FlashDeal {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'show_id', type: 'uuid' })
  showId!: string;

  @ManyToOne(() => Show, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'show_id' })
  show?: Relation<Show>;

  @Column({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @ManyToOne(() => Product, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'product_id' })
  product?: Relation<Product>;

  @Column(fenColumn({ name: 'price_fen' }))
  priceFen!: number;

  /** The product's price when the deal was launched (原价). */
  @Column(fenColumn({ name: 'list_price_fen' }))
  listPriceFen!: number;

  @Column({ type: 'integer' })
  quantity!: number;

  @Column({ type: 'integer' })
  remaining!: number;

  @Column({ name: 'per_buyer_cap', type: 'integer' })
  perBuyerCap!: number;

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt!: Date;

  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt!: Date;

  @Column({ type: 'varchar', length: 10, default: 'open' })
  status!: DealStatus;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
