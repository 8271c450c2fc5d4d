import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { RoleGrant } from '@xiangbo/contracts';
import { DataSource } from 'typeorm';

/** Statements of users that are worth more than the entity repository's (read on every request). */
@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The roles of several users in one statement, each user's oldest first (as rolesOf). */
  async rolesOfMany(userIds: string[]): Promise<Map<string, RoleGrant[]>> {
    const rows: { user_id: string; role: RoleGrant['role']; cooperative_id: string | null }[] = await this.db.query(
      `SELECT user_id, role, cooperative_id FROM role_assignments
        WHERE user_id = ANY($1::uuid[]) ORDER BY user_id, created_at, id`,
      [userIds],
    );
    const out = new Map<string, RoleGrant[]>();
    for (const r of rows) {
      const grants = out.get(r.user_id) ?? [];
      if (!grants.length) out.set(r.user_id, grants);
      grants.push({ role: r.role, cooperativeId: r.cooperative_id });
    }
    return out;
  }
}
