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
import { Show } from './show.entity';

/** A chat message, stored as plain text. Moderation marks it deleted (kept for the record, never shown). */
@Entity('chat_messages')
@Index('chat_messages_show_time', ['showId', 'createdAt'])
@Index('chat_messages_user_time', ['showId', 'userId', 'createdAt'])
export class ChatMessageRow {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'show_id', type: 'uuid' })
  showId!: string;

  @ManyToOne(() => Show, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'show_id' })
  show?: Relation<Show>;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  /** The author's display name when the message was sent. */
  @Column({ name: 'display_name', type: 'varchar', length: 40 })
  displayName!: string;

  @Column({ type: 'varchar', length: 200 })
  text!: string;

  @Column({ name: 'from_host', type: 'boolean', default: false })
  fromHost!: boolean;

  @Column({ type: 'boolean', default: false })
  deleted!: boolean;

  @Column({ name: 'deleted_by', type: 'uuid', nullable: true })
  deletedBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
