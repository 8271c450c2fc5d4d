import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { Product } from '../../catalog/entities/product.entity';
import { Show } from './show.entity';

/** One pinning of a product in a show (the replay timeline); at most one open pin per show. */
@Entity('pins')
@Index('pins_show_time', ['showId', 'pinnedAt'])
@Index('pins_one_open', ['showId'], { unique: true, where: `"unpinned_at" IS NULL` })
export class Pin {
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

  @Column({ name: 'pinned_by', type: 'uuid' })
  pinnedBy!: string;

  @Column({ name: 'pinned_at', type: 'timestamptz', default: () => 'now()' })
  pinnedAt!: Date;

  @Column({ name: 'unpinned_at', type: 'timestamptz', nullable: true })
  unpinnedAt!: Date | null;
}
