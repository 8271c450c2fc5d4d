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
  UpdateDateColumn,
} from 'typeorm';
import { Cooperative } from '../../cooperatives/entities/cooperative.entity';
import type { ProductCategory, ProductUnit } from '@xiangbo/contracts';
import { fenColumn } from '../../database/money.transformer';

/** A listing of one cooperative. Price in integer fen; stock in units; search_vector holds CJK bigrams. */
@Entity('products')
@Index('products_cooperative', ['cooperativeId'])
@Index('products_listing', ['published', 'category', 'originProvince'])
// Partial indexes for the public catalogue: each sort order reads only the page it returns (scanned backwards
// for the descending orders) and the total is counted from an index-only scan.
@Index('products_published_newest', ['createdAt', 'id'], { where: '"published"' })
@Index('products_published_sales', ['soldCount', 'createdAt', 'id'], { where: '"published"' })
@Index('products_published_price', ['priceFen', 'id'], { where: '"published"' })
@Index('products_published_cooperative', ['cooperativeId'], { where: '"published"' })
@Check('products_price', `"price_fen" >= 0`)
@Check('products_stock', `"stock" >= 0`)
@Check(
  'products_category',
  `"category" IN ('fungi','tea','fruit','grain_oil','dried','poultry_meat','handicraft','herbs','vegetables','other')`,
)
@Check('products_unit', `"unit" IN ('jin','kg','box','case','bag')`)
export class Product {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'cooperative_id', type: 'uuid' })
  cooperativeId!: string;

  @ManyToOne(() => Cooperative, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'cooperative_id' })
  cooperative?: Relation<Cooperative>;

  @Column({ name: 'name_zh', type: 'varchar', length: 80 })
  nameZh!: string;

  @Column({ name: 'name_en', type: 'varchar', length: 120, nullable: true })
  nameEn!: string | null;

  @Column({ name: 'description_zh', type: 'text', default: '' })
  descriptionZh!: string;

  @Column({ name: 'description_en', type: 'text', nullable: true })
  descriptionEn!: string | null;

  @Column({ type: 'varchar', length: 20 })
  category!: ProductCategory;

  @Column({ type: 'varchar', length: 10 })
  unit!: ProductUnit;

  @Column({ ...fenColumn({ name: 'price_fen' }) })
  priceFen!: number;

  @Column({ type: 'varchar', length: 3, default: 'CNY' })
  currency!: 'CNY';

  @Column({ type: 'integer', default: 0 })
  stock!: number;

  /** Most units one buyer may hold across unpaid and paid orders; null = no limit. */
  @Column({ name: 'per_buyer_limit', type: 'integer', nullable: true })
  perBuyerLimit!: number | null;

  /** Units sold (paid), for "已售 N" and sorting by sales. */
  @Column({ name: 'sold_count', type: 'integer', default: 0 })
  soldCount!: number;

  @Column({ name: 'origin_province', type: 'varchar', length: 20 })
  originProvince!: string;

  @Column({ name: 'origin_county', type: 'varchar', length: 30 })
  originCounty!: string;

  @Column({ name: 'origin_village', type: 'varchar', length: 30 })
  originVillage!: string;

  @Column({ name: 'shelf_life_days', type: 'integer', nullable: true })
  shelfLifeDays!: number | null;

  @Column({ type: 'varchar', length: 100, default: '' })
  storage!: string;

  /** Provinces shipped to; empty = all of mainland China. */
  @Column({ name: 'shipping_regions', type: 'text', array: true, default: () => "'{}'" })
  shippingRegions!: string[];

  @Column({ type: 'boolean', default: false })
  published!: boolean;

  // GIN index created by the migration; TypeORM cannot declare GIN, so it must leave it alone.
  @Index('products_search', { synchronize: false })
  @Column({ name: 'search_vector', type: 'tsvector', select: false, nullable: true })
  searchVector!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
