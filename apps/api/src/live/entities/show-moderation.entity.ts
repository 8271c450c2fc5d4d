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
import { Show } from './show.entity';

/** A mute (until a time) or a ban (for the whole show) of one user in one show. Lifting deletes the row. */
@Entity('show_moderation')
@Index('show_moderation_one', ['showId', 'userId', 'kind'], { unique: true })
@Check('show_moderation_kind', `"kind" IN ('mute','ban')`)
export class ShowModeration {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'show_id', type: 'uuid' })
  showId!: string;

  @ManyToOne(() => Show, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'show_id' })
  show?: Relation<Show>;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ type: 'varchar', length: 4 })
  kind!: 'mute' | 'ban';

  /** Mutes end at this time; bans have none. */
  @Column({ type: 'timestamptz', nullable: true })
  until!: Date | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
