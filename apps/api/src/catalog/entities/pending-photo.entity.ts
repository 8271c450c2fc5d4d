import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Relation,
} from 'typeorm';
import { Cooperative } from '../../cooperatives/entities/cooperative.entity';

/**
 * A photo a cooperative uploaded for a product it has not saved yet (the new-product form). Creating the product
 * turns it into a ProductPhoto in the same transaction; one no product took is swept away (row and files) after
 * PENDING_PHOTO_TTL_HOURS. Only the cooperative that uploaded it can attach it.
 */
@Entity('pending_photos')
@Index('pending_photos_cooperative', ['cooperativeId', 'createdAt'])
@Index('pending_photos_created', ['createdAt'])
export class PendingPhoto {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'cooperative_id', type: 'uuid' })
  cooperativeId!: string;

  @ManyToOne(() => Cooperative, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cooperative_id' })
  cooperative?: Relation<Cooperative>;

  /** The coop_admin who uploaded it. */
  @Column({ name: 'uploaded_by', type: 'uuid' })
  uploadedBy!: string;

  @Column({ name: 'storage_key', type: 'varchar', length: 200 })
  storageKey!: string;

  @Column({ name: 'thumb_key', type: 'varchar', length: 200 })
  thumbKey!: string;

  @Column({ type: 'integer' })
  width!: number;

  @Column({ type: 'integer' })
  height!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
