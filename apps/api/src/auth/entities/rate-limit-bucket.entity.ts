import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A fixed-window counter shared by every API process (sign-in attempts per account and per IP). */
@Entity('rate_limit_buckets')
export class RateLimitBucket {
  @PrimaryColumn({ type: 'varchar', length: 300 })
  key!: string;

  @Column({ name: 'window_start', type: 'timestamptz' })
  windowStart!: Date;

  @Column({ type: 'integer' })
  hits!: number;
}
