import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * The public catalogue's hot reads (listing, search, product page) as named prepared statements on the
 * connection pool: PostgreSQL parses and plans each query shape once per connection instead of on every
 * request, and the call skips TypeORM's query-runner bookkeeping. Read-only, parameterised, outside any
 * transaction; every write still goes through TypeORM transactions.
 */
@Injectable()
export class PreparedReads {
  private readonly names = new Map<string, string>();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private get pool(): Pool {
    return (this.db.driver as PostgresDriver).master as Pool;
  }

  async query<T>(text: string, values: unknown[] = []): Promise<T[]> {
    let name = this.names.get(text);
    if (!name) {
      // Same text → same name on every connection; there are only a few dozen query shapes.
      name = `catalog_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
      this.names.set(text, name);
    }
    const result = await this.pool.query({ name, text, values });
    return result.rows as T[];
  }
}
