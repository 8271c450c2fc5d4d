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
import { Cooperative } from '../cooperatives/entities/cooperative.entity';
import type { Role } from '@xiangbo/contracts';
import { User } from './user.entity';

/**
 * A role held by a user: platform-wide (buyer, platform_admin: cooperative_id null) or for one cooperative
 * (host, coop_admin, auditor). Someone can be host of one cooperative and admin of another.
 */
@Entity('role_assignments')
@Index('role_assignments_unique_scoped', ['userId', 'role', 'cooperativeId'], {
  unique: true,
  where: '"cooperative_id" IS NOT NULL',
})
@Index('role_assignments_unique_global', ['userId', 'role'], { unique: true, where: '"cooperative_id" IS NULL' })
@Check('role_assignments_role', `"role" IN ('buyer','host','coop_admin','auditor','platform_admin')`)
@Check('role_assignments_scope', `("role" IN ('host','coop_admin','auditor')) = ("cooperative_id" IS NOT NULL)`)
export class RoleAssignment {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, (u) => u.roles, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'varchar', length: 20 })
  role!: Role;

  @Column({ name: 'cooperative_id', type: 'uuid', nullable: true })
  cooperativeId!: string | null;

  @ManyToOne(() => Cooperative, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'cooperative_id' })
  cooperative?: Relation<Cooperative>;

  @Column({ name: 'granted_by', type: 'uuid', nullable: true })
  grantedBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
