import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuditorView } from '@xiangbo/contracts';
import { isUuid } from '../common/cooperative-scope';
import { Cooperative } from '../cooperatives/entities/cooperative.entity';
import { RoleAssignment } from '../users/role-assignment.entity';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { AuditErrorCode, AuditException } from './audit.exception';

/** Platform admins assign auditors to cooperatives: a role_assignments row (role 'auditor', the cooperative). */
@Injectable()
export class AuditorsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UsersService,
  ) {}

  private async cooperative(cooperativeId: string): Promise<Cooperative> {
    const coop = isUuid(cooperativeId)
      ? await this.db.getRepository(Cooperative).findOne({ where: { id: cooperativeId } })
      : null;
    if (!coop) throw new AuditException(AuditErrorCode.COOPERATIVE_NOT_FOUND, 'cooperative not found');
    return coop;
  }

  async list(cooperativeId: string): Promise<AuditorView[]> {
    await this.cooperative(cooperativeId);
    const rows: {
      user_id: string;
      display_name: string;
      email: string | null;
      mobile: string | null;
      created_at: Date;
    }[] = await this.db.query(
      `SELECT r.user_id, u.display_name, u.email, u.mobile, r.created_at
           FROM role_assignments r JOIN users u ON u.id = r.user_id
          WHERE r.role = 'auditor' AND r.cooperative_id = $1 ORDER BY r.created_at`,
      [cooperativeId],
    );
    return rows.map((r) => ({
      userId: r.user_id,
      displayName: r.display_name,
      email: r.email,
      mobile: r.mobile,
      assignedAt: new Date(r.created_at).toISOString(),
    }));
  }

  /** Grants 'auditor' for the cooperative (again: no change). */
  async assign(adminId: string, cooperativeId: string, userId: string): Promise<AuditorView[]> {
    const coop = await this.cooperative(cooperativeId);
    if (coop.status !== 'approved') {
      throw new AuditException(AuditErrorCode.COOPERATIVE_NOT_APPROVED, 'only approved cooperatives can have auditors');
    }
    const user = await this.db.getRepository(User).findOne({ where: { id: userId } });
    if (!user) throw new AuditException(AuditErrorCode.USER_NOT_FOUND, 'user not found');
    await this.db.transaction((m) => this.users.grant(m, userId, 'auditor', cooperativeId, adminId));
    return this.list(cooperativeId);
  }

  async revoke(cooperativeId: string, userId: string): Promise<AuditorView[]> {
    await this.cooperative(cooperativeId);
    const res = isUuid(userId)
      ? await this.db.getRepository(RoleAssignment).delete({ userId, role: 'auditor', cooperativeId })
      : { affected: 0 };
    if (!res.affected) {
      throw new AuditException(AuditErrorCode.AUDITOR_NOT_ASSIGNED, 'this user is not an auditor of this cooperative');
    }
    return this.list(cooperativeId);
  }
}
