import { CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Relation } from 'typeorm';
import { User } from '../../users/user.entity';
import { Show } from './show.entity';

/** A buyer subscribed to one show (订阅): reminded before it starts and when it goes live. */
@Entity('show_subscriptions')
@Index('show_subscriptions_user', ['userId'])
export class ShowSubscription {
  @PrimaryColumn({ name: 'show_id', type: 'uuid' })
  showId!: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => Show, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'show_id' })
  show?: Relation<Show>;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
