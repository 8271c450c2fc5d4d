import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A published, signed chain head of one cooperative (docs/ledger.md, "Anchoring"): taken daily and at the end of
 * each settlement run, kept forever (the dated history on the transparency page). Anyone who kept a copy can check
 * a later export against it with `verify-ledger --head SEQ:HASH`.
 */
@Entity('ledger_heads')
@Index('ledger_heads_coop_at', ['cooperativeId', 'at'])
@Index('ledger_heads_daily', ['cooperativeId', 'day'], { unique: true, where: `"reason" = 'daily'` })
export class LedgerHead {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'cooperative_id', type: 'uuid' })
  cooperativeId!: string;

  @Column({ type: 'integer' })
  seq!: number;

  @Column({ type: 'char', length: 64 })
  hash!: string;

  /** When the head was taken: exactly the ISO string that was signed. */
  @Column({ type: 'varchar', length: 30 })
  at!: string;

  /** The China day (Asia/Shanghai) it was taken on. */
  @Column({ type: 'date' })
  day!: string;

  /** `daily` or `settlement` (the end of a settlement run). */
  @Column({ type: 'varchar', length: 12 })
  reason!: 'daily' | 'settlement';

  @Column({ name: 'key_id', type: 'varchar', length: 16 })
  keyId!: string;

  /** Ed25519 signature (base64) of headSigningPayload. */
  @Column({ type: 'varchar', length: 100 })
  signature!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
