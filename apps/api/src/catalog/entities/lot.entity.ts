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
import { Product } from './product.entity';

/** A harvest batch (批次) of a product; its supplies say which member households supplied how much. */
@Entity('lots')
@Index('lots_product', ['productId', 'harvestDate'])
@Index('lots_code', ['productId', 'code'], { unique: true })
@Check('lots_quantity', `"quantity" > 0`)
export class Lot {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @ManyToOne(() => Product, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'product_id' })
  product?: Relation<Product>;

  @Column({ type: 'varchar', length: 40 })
  code!: string;

  @Column({ name: 'harvest_date', type: 'date' })
  harvestDate!: string;

  /** In the product's unit; equals the sum of the supplies. */
  @Column({ type: 'integer' })
  quantity!: number;

  @Column({ type: 'varchar', length: 300, default: '' })
  note!: string;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
