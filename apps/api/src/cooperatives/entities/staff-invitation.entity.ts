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
import { Cooperative } from '../../cooperatives/entities/cooperative.entity';
import type { StaffRole } from '@xiangbo/contracts';

/** A coop_admin invites a host or another admin by e-mail or mobile; the invitee accepts after signing in. */
@Entity('staff_invitations')
@Check('staff_invitations_role', `"role" IN ('host','coop_admin')`)
@Index('staff_invitations_open', ['cooperativeId', 'identifier', 'role'], {
  unique: true,
  where: '"accepted_at" IS NULL AND "revoked_at" IS NULL',
})
export class StaffInvitation {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'cooperative_id', type: 'uuid' })
  cooperativeId!: string;

  @ManyToOne(() => Cooperative, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'cooperative_id' })
  cooperative?: Relation<Cooperative>;

  /** Lower-cased e-mail or 11-digit mobile number. */
  @Index('staff_invitations_identifier')
  @Column({ type: 'varchar', length: 254 })
  identifier!: string;

  @Column({ type: 'varchar', length: 20 })
  role!: StaffRole;

  @Column({ name: 'invited_by', type: 'uuid' })
  invitedBy!: string;

  @Column({ name: 'accepted_by', type: 'uuid', nullable: true })
  acceptedBy!: string | null;

  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true })
  acceptedAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
