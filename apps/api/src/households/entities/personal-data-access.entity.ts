import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Every staff read of a household's personal data (name in clear, registry detail): who, what, when, why. */
@Entity('personal_data_access_log')
@Index('personal_data_access_household', ['householdId', 'at'])
@Index('personal_data_access_actor', ['actorId', 'at'])
export class PersonalDataAccess {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'actor_id', type: 'uuid' })
  actorId!: string;

  @Column({ name: 'actor_role', type: 'varchar', length: 20 })
  actorRole!: string;

  @Column({ name: 'household_id', type: 'uuid', nullable: true })
  householdId!: string | null;

  /** e.g. household.read, household.search, household.export, registry.import */
  @Column({ type: 'varchar', length: 40 })
  action!: string;

  @Column({ type: 'varchar', length: 200, default: '' })
  detail!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at!: Date;
}
