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
import { Household } from './household.entity';
import type { RegistryStatus } from '@xiangbo/contracts';

/** An entry into or exit from a registry status (动态调整): an event with its date, reason and author, never an overwrite. */
@Entity('household_status_events')
@Index('household_status_events_household', ['householdId', 'effectiveDate'])
@Check('household_status_events_status', `"status" IN ('registered','monitored','lifted','none')`)
export class HouseholdStatusEvent {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'household_id', type: 'uuid' })
  householdId!: string;

  @ManyToOne(() => Household, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'household_id' })
  household?: Relation<Household>;

  @Column({ type: 'varchar', length: 12 })
  status!: RegistryStatus;

  /** The date the status took effect (may be earlier than when it was recorded). */
  @Column({ name: 'effective_date', type: 'date' })
  effectiveDate!: string;

  @Column({ type: 'varchar', length: 500 })
  reason!: string;

  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedBy!: string;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
