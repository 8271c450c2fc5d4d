import { Check, Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Server-side cart of a signed-in buyer (a guest cart lives in the browser and merges on sign in). */
@Entity('cart_items')
@Check('cart_items_quantity', `"quantity" > 0 AND "quantity" <= 999`)
export class CartItem {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @PrimaryColumn({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @Column({ type: 'integer' })
  quantity!: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
