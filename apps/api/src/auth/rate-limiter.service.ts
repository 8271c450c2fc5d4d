import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface BucketState {
  hits: number;
  /** Seconds until the window resets. */
  retryAfter: number;
}

/**
 * Fixed-window counters in PostgreSQL: one atomic upsert per hit, so every API process shares the same
 * count and a restart forgets nothing.
 */
@Injectable()
export class RateLimiterService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async hit(key: string, windowSeconds: number): Promise<BucketState> {
    const rows: { hits: number; retry_after: number }[] = await this.db.query(
      `INSERT INTO rate_limit_buckets (key, window_start, hits) VALUES ($1, now(), 1)
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN rate_limit_buckets.window_start <= now() - make_interval(secs => $2) THEN 1 ELSE rate_limit_buckets.hits + 1 END,
         window_start = CASE WHEN rate_limit_buckets.window_start <= now() - make_interval(secs => $2) THEN now() ELSE rate_limit_buckets.window_start END
       RETURNING hits, CEIL(EXTRACT(EPOCH FROM (window_start + make_interval(secs => $2) - now())))::int AS retry_after`,
      [key, windowSeconds],
    );
    return { hits: rows[0].hits, retryAfter: Math.max(1, rows[0].retry_after) };
  }

  async peek(key: string, windowSeconds: number): Promise<BucketState> {
    const rows: { hits: number; retry_after: number }[] = await this.db.query(
      `SELECT hits, CEIL(EXTRACT(EPOCH FROM (window_start + make_interval(secs => $2) - now())))::int AS retry_after
         FROM rate_limit_buckets WHERE key = $1 AND window_start > now() - make_interval(secs => $2)`,
      [key, windowSeconds],
    );
    return rows.length
      ? { hits: rows[0].hits, retryAfter: Math.max(1, rows[0].retry_after) }
      : { hits: 0, retryAfter: 0 };
  }

  async reset(key: string): Promise<void> {
    await this.db.query('DELETE FROM rate_limit_buckets WHERE key = $1', [key]);
  }
}
