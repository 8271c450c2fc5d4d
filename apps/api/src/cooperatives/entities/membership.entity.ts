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
import { Household } from '../../households/entities/household.entity';
import { Cooperative } from './cooperative.entity';
import type { LabourRole } from '@xiangbo/contracts';

/**
 * A household's membership of a cooperative: share units (for dividends), land contributed and labour role.
 * A household is an active member of at most one cooperative at a time (partial unique index), so the same
 * poor household can never be counted in two cooperatives' impact figures; leaving is recorded (left_at),
 * never deleted, and only then can another cooperative link it.
 */
@Entity('memberships')
@Index('memberships_one_active', ['householdId'], { unique: true, where: '"left_at" IS NULL' })
@Index('memberships_cooperative', ['cooperativeId'])
@Check('memberships_share_units', `"share_units" >= 0`)
@Check('memberships_land', `"land_mu_hundredths" >= 0`)
@Check('memberships_labour_role', `"labour_role" IN ('grower','worker','manager','none')`)
export class Membership {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'cooperative_id', type: 'uuid' })
  cooperativeId!: string;

  @ManyToOne(() => Cooperative, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'cooperative_id' })
  cooperative?: Relation<Cooperative>;

  @Column({ name: 'household_id', type: 'uuid' })
  householdId!: string;

  @ManyToOne(() => Household, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'household_id' })
  household?: Relation<Household>;

  @Column({ name: 'share_units', type: 'integer', default: 0 })
  shareUnits!: number;

  /** Land contributed in hundredths of a mu (亩), integer: 1.25 亩 = 125. */
  @Column({ name: 'land_mu_hundredths', type: 'integer', default: 0 })
  landMuHundredths!: number;

  @Column({ name: 'labour_role', type: 'varchar', length: 20, default: 'none' })
  labourRole!: LabourRole;

  @Column({ name: 'joined_at', type: 'date' })
  joinedAt!: string;

  @Column({ name: 'left_at', type: 'date', nullable: true })
  leftAt!: string | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
