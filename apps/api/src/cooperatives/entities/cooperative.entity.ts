import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { CooperativeStatus } from '@xiangbo/contracts';

/** A farmers' cooperative (合作社): applies, is approved by a platform admin, then sells. */
@Entity('cooperatives')
@Check('cooperatives_status', `"status" IN ('pending','approved','rejected')`)
export class Cooperative {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** 统一社会信用代码, 18 characters, checksum-validated. */
  @Index('cooperatives_uscc', { unique: true })
  @Column({ type: 'char', length: 18 })
  uscc!: string;

  @Column({ type: 'varchar', length: 20 })
  province!: string;

  @Column({ type: 'varchar', length: 30 })
  city!: string;

  @Column({ type: 'varchar', length: 30 })
  county!: string;

  @Column({ type: 'varchar', length: 30 })
  township!: string;

  @Column({ type: 'varchar', length: 30 })
  village!: string;

  @Column({ type: 'text', default: '' })
  story!: string;

  @Column({ name: 'contact_name', type: 'varchar', length: 40 })
  contactName!: string;

  @Column({ name: 'contact_phone', type: 'varchar', length: 20 })
  contactPhone!: string;

  /** Storage key of the logo image (see StorageService), null when none. */
  @Column({ name: 'logo_key', type: 'varchar', length: 200, nullable: true })
  logoKey!: string | null;

  @Index('cooperatives_status_idx')
  @Column({ type: 'varchar', length: 10, default: 'pending' })
  status!: CooperativeStatus;

  @Column({ name: 'review_reason', type: 'varchar', length: 500, nullable: true })
  reviewReason!: string | null;

  @Column({ name: 'applicant_id', type: 'uuid' })
  applicantId!: string;

  @Column({ name: 'reviewed_by', type: 'uuid', nullable: true })
  reviewedBy!: string | null;

  @Column({ name: 'reviewed_at', type: 'timestamptz', nullable: true })
  reviewedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
