import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A buyer's saved shipping address (Chinese format). */
@Entity('addresses')
@Index('addresses_user', ['userId'])
export class Address {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ type: 'varchar', length: 40 })
  recipient!: string;

  @Column({ type: 'varchar', length: 11 })
  mobile!: string;

  @Column({ type: 'varchar', length: 20 })
  province!: string;

  @Column({ type: 'varchar', length: 30 })
  city!: string;

  @Column({ type: 'varchar', length: 30 })
  district!: string;

  @Column({ type: 'varchar', length: 200 })
  detail!: string;

  @Column({ name: 'is_default', type: 'boolean', default: false })
  isDefault!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
