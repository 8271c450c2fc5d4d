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
import type { ShowStatus, ShowSummary } from '@xiangbo/contracts';
import { Cooperative } from '../../cooperatives/entities/cooperative.entity';
import { User } from '../../users/user.entity';

/** A live show of one cooperative, with one host: scheduled → live → ended (or cancelled before it starts). */
@Entity('shows')
@Index('shows_status_time', ['status', 'scheduledAt'])
@Index('shows_cooperative_time', ['cooperativeId', 'scheduledAt'])
@Check('shows_status', `"status" IN ('scheduled','live','ended','cancelled')`)
@Check('shows_counters', `"likes" >= 0 AND "peak_viewers" >= 0 AND "slow_mode_seconds" >= 0`)
export class Show {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'cooperative_id', type: 'uuid' })
  cooperativeId!: string;

  @ManyToOne(() => Cooperative, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'cooperative_id' })
  cooperative?: Relation<Cooperative>;

  @Column({ name: 'host_id', type: 'uuid' })
  hostId!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'host_id' })
  host?: Relation<User>;

  @Column({ type: 'varchar', length: 60 })
  title!: string;

  @Column({ type: 'text', default: '' })
  description!: string;

  /** Storage key of the cover image (thumbnail); null = the first product's photo. */
  @Column({ name: 'cover_key', type: 'varchar', length: 200, nullable: true })
  coverKey!: string | null;

  @Column({ name: 'scheduled_at', type: 'timestamptz' })
  scheduledAt!: Date;

  @Column({ type: 'varchar', length: 10, default: 'scheduled' })
  status!: ShowStatus;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  @Column({ name: 'slow_mode_seconds', type: 'integer', default: 0 })
  slowModeSeconds!: number;

  /** Likes, added in batches (at most twice a second per process) before they are broadcast. */
  @Column({ type: 'integer', default: 0 })
  likes!: number;

  @Column({ name: 'peak_viewers', type: 'integer', default: 0 })
  peakViewers!: number;

  /** Written when the show ends. */
  @Column({ type: 'jsonb', nullable: true })
  summary!: ShowSummary | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
