import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  OneToOne,
  PrimaryColumn,
  Relation,
  UpdateDateColumn,
} from 'typeorm';
import { Product } from '../../catalog/entities/product.entity';
import { fenColumn } from '../../database/money.transformer';

/**
 * A product's group offer (拼团): N buyers who all pay within `window_hours` of the group's opening each pay
 * `group_price_fen` a unit. One per product, set by its cooperative; `active = false` stops new groups. The catalogue
 * reads this table to list group-buy products (`?kind=group`) and to show the offer on the product page.
 */
@Entity('group_buy_offers')
@Check('group_buy_offers_size', `"size" BETWEEN 2 AND 50`)
@Check('group_buy_offers_window', `"window_hours" BETWEEN 1 AND 168`)
@Check('group_buy_offers_price', `"group_price_fen" > 0`)
export class GroupBuyOffer {
  @PrimaryColumn({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @OneToOne(() => Product, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'product_id' })
  product?: Relation<Product>;

  @Column({ name: 'cooperative_id', type: 'uuid' })
  cooperativeId!: string;

  @Column({ type: 'integer' })
  size!: number;

  @Column(fenColumn({ name: 'group_price_fen' }))
  groupPriceFen!: number;

  @Column({ name: 'window_hours', type: 'integer' })
  windowHours!: number;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ name: 'updated_by', type: 'uuid' })
  updatedBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
