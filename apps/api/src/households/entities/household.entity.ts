import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { PovertyCause, RegistryStatus } from '@xiangbo/contracts';

/**
 * A farming household in the platform's registry (maintained by platform admins only).
 * The ID number is never stored in clear: a keyed hash (HMAC-SHA256) to find duplicates and a masked form to show.
 * `status` is a cache of the latest HouseholdStatusEvent, kept in the same transaction; the events are the record.
 */
@Entity('households')
@Check('households_status', `"status" IN ('registered','monitored','lifted','none')`)
@Check('households_size', `"household_size" BETWEEN 1 AND 30`)
export class Household {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Head of household (personal data: masked in every public or buyer-facing output). */
  @Column({ name: 'head_name', type: 'varchar', length: 40 })
  headName!: string;

  @Index('households_id_hash', { unique: true })
  @Column({ name: 'id_number_hash', type: 'char', length: 64 })
  idNumberHash!: string;

  /** e.g. 6101**********1234 */
  @Column({ name: 'id_number_masked', type: 'char', length: 18 })
  idNumberMasked!: string;

  @Column({ type: 'varchar', length: 20 })
  province!: string;

  @Column({ type: 'varchar', length: 30 })
  city!: string;

  @Column({ type: 'varchar', length: 30 })
  county!: string;

  @Column({ type: 'varchar', length: 30 })
  township!: string;

  @Index('households_village')
  @Column({ type: 'varchar', length: 30 })
  village!: string;

  @Column({ name: 'household_size', type: 'smallint' })
  householdSize!: number;

  @Column({ name: 'poverty_causes', type: 'text', array: true, default: () => "'{}'" })
  povertyCauses!: PovertyCause[];

  @Index('households_status_idx')
  @Column({ type: 'varchar', length: 12 })
  status!: RegistryStatus;

  /**
   * The household's phone, kept by the platform (payout confirmation codes go to it by SMS): PersonalDataCipher
   * ciphertext, never in clear; only platform admins set it or read it in full (access-logged).
   */
  @Column({ name: 'phone_encrypted', type: 'text', nullable: true })
  phoneEncrypted!: string | null;

  /** e.g. 138****1234 */
  @Column({ name: 'phone_masked', type: 'varchar', length: 20, nullable: true })
  phoneMasked!: string | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
