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
import type { NotificationKind } from '@xiangbo/contracts';
import { User } from '../../users/user.entity';

/** The in-app notification centre. `dedupeKey` makes a reminder sent twice (job retry, two processes) land once. */
@Entity('notifications')
@Index('notifications_user_time', ['userId', 'createdAt'])
@Index('notifications_dedupe', ['userId', 'dedupeKey'], { unique: true })
export class Notification {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'varchar', length: 20 })
  kind!: NotificationKind;

  @Column({ type: 'varchar', length: 100 })
  title!: string;

  @Column({ type: 'varchar', length: 300, default: '' })
  body!: string;

  @Column({ type: 'varchar', length: 200 })
  link!: string;

  @Column({ name: 'dedupe_key', type: 'varchar', length: 100 })
  dedupeKey!: string;

  @Column({ name: 'read_at', type: 'timestamptz', nullable: true })
  readAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
