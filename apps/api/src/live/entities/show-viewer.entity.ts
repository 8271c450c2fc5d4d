import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, Relation } from 'typeorm';
import { Show } from './show.entity';

/** Who watched a show (user id, or the anonymous browser's random id): the summary's unique viewers. */
@Entity('show_viewers')
export class ShowViewer {
  @PrimaryColumn({ name: 'show_id', type: 'uuid' })
  showId!: string;

  @PrimaryColumn({ name: 'viewer_key', type: 'varchar', length: 64 })
  viewerKey!: string;

  @ManyToOne(() => Show, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'show_id' })
  show?: Relation<Show>;

  @Column({ name: 'first_seen_at', type: 'timestamptz', default: () => 'now()' })
  firstSeenAt!: Date;
}
