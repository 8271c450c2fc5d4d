import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { Product } from '../../catalog/entities/product.entity';
import { fenColumn } from '../../database/money.transformer';
import { Order } from './order.entity';

/** A line with the product's name, unit and price as they were when ordered. */
@Entity('order_lines')
@Index('order_lines_product', ['productId'])
@Check('order_lines_quantity', `"quantity" > 0`)
@Check('order_lines_total', `"line_total_fen" = "unit_price_fen" * "quantity"`)
export class OrderLine {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('order_lines_order')
  @Column({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @ManyToOne(() => Order, (o) => o.lines, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'order_id' })
  order?: Relation<Order>;

  @Column({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @ManyToOne(() => Product, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'product_id' })
  product?: Relation<Product>;

  @Column({ name: 'product_name', type: 'varchar', length: 80 })
  productName!: string;

  @Column({ type: 'varchar', length: 10 })
  unit!: string;

  @Column(fenColumn({ name: 'unit_price_fen' }))
  unitPriceFen!: number;

  @Column({ type: 'integer' })
  quantity!: number;

  @Column(fenColumn({ name: 'line_total_fen' }))
  lineTotalFen!: number;

  /** Flash deal the price came from, if any. */
  @Column({ name: 'deal_id', type: 'uuid', nullable: true })
  dealId!: string | null;
}
