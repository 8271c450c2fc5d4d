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
  Unique,
} from 'typeorm';
import { Cooperative } from '../../cooperatives/entities/cooperative.entity';
import { User } from '../../users/user.entity';

export interface StoredMessagePhoto {
  key: string;
  thumbKey: string;
  width: number;
  height: number;
}

/**
 * One buyer's conversation with one cooperative (客服). Its subject is the product or order the buyer last asked
 * about; each side's unread count moves in the same transaction as the message that changes it.
 */
@Entity('conversations')
@Unique('conversations_one_per_buyer', ['cooperativeId', 'buyerId'])
@Index('conversations_cooperative_recent', ['cooperativeId', 'lastMessageAt'])
@Index('conversations_buyer_recent', ['buyerId', 'lastMessageAt'])
@Check('conversations_subject', `"subject_kind" IS NULL OR "subject_kind" IN ('product','order')`)
@Check('conversations_unread', `"buyer_unread" >= 0 AND "staff_unread" >= 0`)
export class Conversation {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'cooperative_id', type: 'uuid' })
  cooperativeId!: string;

  @ManyToOne(() => Cooperative, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'cooperative_id' })
  cooperative?: Relation<Cooperative>;

  @Column({ name: 'buyer_id', type: 'uuid' })
  buyerId!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'buyer_id' })
  buyer?: Relation<User>;

  /** The buyer's display name masked when the conversation was opened: staff never see more of the buyer here. */
  @Column({ name: 'buyer_masked', type: 'varchar', length: 40 })
  buyerMasked!: string;

  @Column({ name: 'subject_kind', type: 'varchar', length: 10, nullable: true })
  subjectKind!: 'product' | 'order' | null;

  @Column({ name: 'subject_id', type: 'uuid', nullable: true })
  subjectId!: string | null;

  @Column({ name: 'buyer_unread', type: 'integer', default: 0 })
  buyerUnread!: number;

  @Column({ name: 'staff_unread', type: 'integer', default: 0 })
  staffUnread!: number;

  @Column({ name: 'buyer_read_at', type: 'timestamptz', nullable: true })
  buyerReadAt!: Date | null;

  @Column({ name: 'staff_read_at', type: 'timestamptz', nullable: true })
  staffReadAt!: Date | null;

  @Column({ name: 'last_message_at', type: 'timestamptz', nullable: true })
  lastMessageAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** One message of a conversation: text, a photo, or the card of the product/order the buyer asks about. */
@Entity('conversation_messages')
@Unique('conversation_messages_client_once', ['conversationId', 'clientId'])
@Index('conversation_messages_page', ['conversationId', 'id'])
@Check('conversation_messages_side', `"sender_side" IN ('buyer','staff')`)
@Check('conversation_messages_kind', `"kind" IN ('text','photo','product','order')`)
export class ConversationMessage {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'conversation_id', type: 'uuid' })
  conversationId!: string;

  @ManyToOne(() => Conversation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'conversation_id' })
  conversation?: Relation<Conversation>;

  @Column({ name: 'sender_side', type: 'varchar', length: 5 })
  senderSide!: 'buyer' | 'staff';

  /** Who wrote it (a staff member's id is never shown to the buyer). */
  @Column({ name: 'sender_id', type: 'uuid' })
  senderId!: string;

  @Column({ type: 'varchar', length: 7 })
  kind!: 'text' | 'photo' | 'product' | 'order';

  @Column({ type: 'varchar', length: 500, default: '' })
  text!: string;

  @Column({ type: 'jsonb', nullable: true })
  photo!: StoredMessagePhoto | null;

  /** The product or order of a card message. */
  @Column({ name: 'ref_id', type: 'uuid', nullable: true })
  refId!: string | null;

  @Column({ name: 'client_id', type: 'varchar', length: 64, nullable: true })
  clientId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

export const MESSAGE_ENTITIES = [Conversation, ConversationMessage];
