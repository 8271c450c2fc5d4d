import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Me, Page, Role, RoleGrant, UserSearchQuery } from '@xiangbo/contracts';
import { GroupedReads } from '../common/grouped-reads';
import { RoleAssignment } from './role-assignment.entity';
import { User } from './user.entity';
import { UsersRepository } from './users.repository';

@Injectable()
export class UsersService {
  /** The access guard's reads of roles, grouped while one is in flight (never cached: see GroupedReads). */
  private readonly accessRoles: GroupedReads<string, RoleGrant[]>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    repo: UsersRepository,
  ) {
    this.accessRoles = new GroupedReads(
      (ids) => repo.rolesOfMany(ids),
      () => [],
    );
  }

  findById(id: string): Promise<User | null> {
    return this.db.getRepository(User).findOne({ where: { id } });
  }

  /** By e-mail (case-insensitive) or mainland mobile number. */
  findByIdentifier(identifier: string): Promise<User | null> {
    const id = identifier.trim();
    const repo = this.db.getRepository(User);
    return id.includes('@')
      ? repo.findOne({ where: { email: id.toLowerCase() } })
      : repo.findOne({ where: { mobile: id } });
  }

  /**
   * A user's roles as they are now, for deciding a request: read after the request arrived, with the other requests'
   * reads of the same moment in one statement (a burst of buyers costs one query per round trip, not one each).
   */
  rolesForAccess(userId: string): Promise<RoleGrant[]> {
    return this.accessRoles.load(userId);
  }

  async rolesOf(userId: string, manager: EntityManager = this.db.manager): Promise<RoleGrant[]> {
    const rows = await manager.getRepository(RoleAssignment).find({ where: { userId }, order: { createdAt: 'ASC' } });
    return rows.map((r) => ({ role: r.role, cooperativeId: r.cooperativeId }));
  }

  /** Grants a role once (granting it again changes nothing). */
  async grant(
    manager: EntityManager,
    userId: string,
    role: Role,
    cooperativeId: string | null,
    grantedBy: string | null,
  ) {
    await manager
      .createQueryBuilder()
      .insert()
      .into(RoleAssignment)
      .values({ userId, role, cooperativeId, grantedBy })
      .orIgnore()
      .execute();
  }

  async search(q: UserSearchQuery): Promise<Page<Me>> {
    const qb = this.db.getRepository(User).createQueryBuilder('u').orderBy('u.created_at', 'DESC');
    if (q.q) {
      const like = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.where('u.email ILIKE :like OR u.mobile LIKE :like OR u.display_name ILIKE :like', { like });
    }
    const [rows, total] = await qb
      .skip((q.page - 1) * q.pageSize)
      .take(q.pageSize)
      .getManyAndCount();
    const roles = rows.length
      ? await this.db
          .getRepository(RoleAssignment)
          .createQueryBuilder('r')
          .where('r.user_id IN (:...ids)', { ids: rows.map((r) => r.id) })
          .getMany()
      : [];
    return {
      items: rows.map((u) => ({
        id: u.id,
        email: u.email,
        mobile: u.mobile,
        displayName: u.displayName,
        roles: roles.filter((r) => r.userId === u.id).map((r) => ({ role: r.role, cooperativeId: r.cooperativeId })),
        createdAt: u.createdAt.toISOString(),
      })),
      total,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  /** Roles with the cooperatives' names, for people to read (the access guard uses the cheaper rolesOf). */
  async namedRolesOf(userId: string, manager: EntityManager = this.db.manager): Promise<RoleGrant[]> {
    const rows: { role: Role; cooperative_id: string | null; name: string | null }[] = await manager.query(
      `SELECT r.role, r.cooperative_id, c.name FROM role_assignments r LEFT JOIN cooperatives c ON c.id = r.cooperative_id
        WHERE r.user_id = $1 ORDER BY r.created_at`,
      [userId],
    );
    return rows.map((r) => ({ role: r.role, cooperativeId: r.cooperative_id, cooperativeName: r.name }));
  }

  async toMe(user: User, manager?: EntityManager): Promise<Me> {
    return {
      id: user.id,
      email: user.email,
      mobile: user.mobile,
      displayName: user.displayName,
      roles: await this.namedRolesOf(user.id, manager),
      createdAt: user.createdAt.toISOString(),
    };
  }
}
