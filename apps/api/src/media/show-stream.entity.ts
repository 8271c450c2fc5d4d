import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  OneToOne,
  PrimaryColumn,
  Relation,
  UpdateDateColumn,
} from 'typeorm';
import type { IngestStatus } from '@xiangbo/contracts';
import type { RecordedRange } from '@xiangbo/domain';
import { Show } from '../live/entities/show.entity';

/**
 * A show's video: the host's stream key (a secret, shown only to those who run the show, replaced by a reset),
 * the public playback id (never derived from the key, so viewers never learn it), what the media server last
 * saw of the ingest, and the recording.
 */
@Entity('show_streams')
@Check('show_streams_recording', `"recording" IN ('none','recording','ready')`)
export class ShowStream {
  @PrimaryColumn({ name: 'show_id', type: 'uuid' })
  showId!: string;

  @OneToOne(() => Show, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'show_id' })
  show?: Relation<Show>;

  @Column({ name: 'stream_key', type: 'varchar', length: 64, unique: true })
  streamKey!: string;

  @Column({ name: 'playback_id', type: 'varchar', length: 32, unique: true })
  playbackId!: string;

  /** The media server is receiving the host's stream now. */
  @Column({ type: 'boolean', default: false })
  receiving!: boolean;

  /** The media server's session that holds the accepted publish. */
  @Column({ name: 'publisher_session', type: 'varchar', length: 64, nullable: true })
  publisherSession!: string | null;

  /** The key the current publish was accepted with (a reset key cuts it off). */
  @Column({ name: 'publisher_key', type: 'varchar', length: 64, nullable: true })
  publisherKey!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  ingest!: IngestStatus | null;

  @Column({ name: 'last_refusal', type: 'varchar', length: 40, nullable: true })
  lastRefusal!: string | null;

  @Column({ type: 'varchar', length: 10, default: 'none' })
  recording!: 'none' | 'recording' | 'ready';

  /** Gap-free ranges of the finished recording (wall clock → replay time), for the chapters. */
  @Column({ name: 'recording_ranges', type: 'jsonb', nullable: true })
  recordingRanges!: RecordedRange[] | null;

  /** Length of the finished recording in milliseconds. */
  @Column({ name: 'recording_ms', type: 'integer', nullable: true })
  recordingMs!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
