import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Relation } from 'typeorm';
import { Product } from '../../catalog/entities/product.entity';
import { Show } from './show.entity';

/** The products a show presents, in order. */
@Entity('show_products')
@Index('show_products_product', ['productId'])
export class ShowProduct {
  @PrimaryColumn({ name: 'show_id', type: 'uuid' })
  showId!: string;

  @PrimaryColumn({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @ManyToOne(() => Show, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'show_id' })
  show?: Relation<Show>;

  @ManyToOne(() => Product, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'product_id' })
  product?: Relation<Product>;

  @Column({ type: 'smallint', default: 0 })
  position!: number;
}
