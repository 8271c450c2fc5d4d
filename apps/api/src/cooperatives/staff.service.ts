import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull } from 'typeorm';
import {
  STAFF_ROLES,
  type CooperativeStaff,
  type MyInvitation,
  type StaffInvitationView,
  type StaffMember,
  type StaffRole,
} from '@xiangbo/contracts';
import type { Principal } from '../auth/principal';
import { ValidationException } from '../common/app.exception';
import { RoleAssignment } from '../users/role-assignment.entity';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { Cooperative } from './entities/cooperative.entity';
import { StaffInvitation } from './entities/staff-invitation.entity';
import { assertCooperativeAccess, cooperativeNotFound, isUuid } from './cooperative-access';
import { CooperativeErrorCode, CooperativeException } from './cooperatives.exception';
import { isUniqueViolation } from './db-errors';

/**
 * A cooperative's staff (hosts and admins) and the invitations that make people staff. An invitation names an
 * e-mail or mobile number; whoever signs in with it accepts it (even when the account existed before): nobody
 * becomes staff of a cooperative without saying yes.
 */
@Injectable()
export class StaffService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UsersService,
  ) {}

  async list(p: Principal, cooperativeId: string): Promise<CooperativeStaff> {
    assertCooperativeAccess(p, cooperativeId, 'read');
    const grants = await this.db.getRepository(RoleAssignment).find({
      where: { cooperativeId, role: In([...STAFF_ROLES]) },
      order: { createdAt: 'ASC' },
    });
    const people = grants.length
      ? await this.db.getRepository(User).find({ where: { id: In([...new Set(grants.map((g) => g.userId))]) } })
      : [];
    const byId = new Map(people.map((u) => [u.id, u]));
    const staff = new Map<string, StaffMember>();
    for (const g of grants) {
      const u = byId.get(g.userId);
      if (!u) continue;
      const s = staff.get(u.id) ?? {
        userId: u.id,
        displayName: u.displayName,
        email: u.email,
        mobile: u.mobile,
        roles: [],
        since: g.createdAt.toISOString(),
      };
      s.roles.push(g.role as StaffRole);
      staff.set(u.id, s);
    }
    const open = await this.db.getRepository(StaffInvitation).find({
      where: { cooperativeId, acceptedAt: IsNull(), revokedAt: IsNull() },
      order: { createdAt: 'DESC' },
    });
    const inviters = open.length
      ? await this.db.getRepository(User).find({ where: { id: In([...new Set(open.map((i) => i.invitedBy))]) } })
      : [];
    const inviterName = new Map(inviters.map((u) => [u.id, u.displayName]));
    return {
      staff: [...staff.values()],
      invitations: open.map((i) => toView(i, inviterName.get(i.invitedBy) ?? '')),
    };
  }

  async invite(
    p: Principal,
    cooperativeId: string,
    body: { identifier: string; role: StaffRole },
  ): Promise<StaffInvitationView> {
    assertCooperativeAccess(p, cooperativeId, 'manage');
    try {
      return await this.db.transaction(async (m) => {
        const existing = await this.users.findByIdentifier(body.identifier);
        if (existing) {
          const holds = await m
            .getRepository(RoleAssignment)
            .count({ where: { userId: existing.id, cooperativeId, role: body.role } });
          if (holds > 0) {
            throw new CooperativeException(
              CooperativeErrorCode.ALREADY_STAFF,
              `this person is already ${body.role} of the cooperative`,
            );
          }
        }
        const repo = m.getRepository(StaffInvitation);
        const saved = await repo.save(
          repo.create({ cooperativeId, identifier: body.identifier, role: body.role, invitedBy: p.userId }),
        );
        const me = await m.getRepository(User).findOne({ where: { id: p.userId } });
        return toView(saved, me?.displayName ?? '');
      });
    } catch (e) {
      if (isUniqueViolation(e, 'staff_invitations_open')) {
        throw new CooperativeException(
          CooperativeErrorCode.INVITATION_EXISTS,
          'this person already has an open invitation for this role',
        );
      }
      throw e;
    }
  }

  revoke(p: Principal, cooperativeId: string, invitationId: string): Promise<void> {
    assertCooperativeAccess(p, cooperativeId, 'manage');
    if (!isUuid(invitationId)) throw invitationNotFound();
    return this.db.transaction(async (m) => {
      const repo = m.getRepository(StaffInvitation);
      const inv = await repo.findOne({
        where: { id: invitationId, cooperativeId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!inv) throw invitationNotFound();
      assertOpen(inv);
      inv.revokedAt = new Date();
      await repo.save(inv);
    });
  }

  /** Takes a staff role away. The last coop_admin stays: a cooperative always has someone who can manage it. */
  removeRole(p: Principal, cooperativeId: string, userId: string, role: string): Promise<void> {
    assertCooperativeAccess(p, cooperativeId, 'manage');
    if (!(STAFF_ROLES as readonly string[]).includes(role)) {
      throw new ValidationException([{ field: 'role', message: 'must be host or coop_admin' }]);
    }
    if (!isUuid(userId)) throw roleNotHeld();
    return this.db.transaction(async (m) => {
      // Serialise role changes of this cooperative, so two admins removing each other cannot leave none.
      const coop = await m
        .getRepository(Cooperative)
        .findOne({ where: { id: cooperativeId }, lock: { mode: 'pessimistic_write' } });
      if (!coop) throw cooperativeNotFound();
      const repo = m.getRepository(RoleAssignment);
      const grant = await repo.findOne({ where: { userId, cooperativeId, role: role as StaffRole } });
      if (!grant) throw roleNotHeld();
      if (role === 'coop_admin') {
        const admins = await repo.count({ where: { cooperativeId, role: 'coop_admin' } });
        if (admins <= 1) {
          throw new CooperativeException(
            CooperativeErrorCode.LAST_ADMIN,
            'this is the last admin of the cooperative: make someone else admin first',
          );
        }
      }
      await repo.delete({ id: grant.id });
    });
  }

  // ---------- The invitee ----------

  async mine(p: Principal): Promise<MyInvitation[]> {
    const identifiers = await this.identifiersOf(p.userId);
    if (identifiers.length === 0) return [];
    const rows = await this.db
      .getRepository(StaffInvitation)
      .createQueryBuilder('i')
      .innerJoinAndSelect('i.cooperative', 'c')
      .where('i.identifier IN (:...identifiers)', { identifiers })
      .andWhere('i.accepted_at IS NULL AND i.revoked_at IS NULL')
      .andWhere("c.status = 'approved'")
      .orderBy('i.created_at', 'DESC')
      .getMany();
    return rows.map((i) => ({
      id: i.id,
      cooperativeId: i.cooperativeId,
      cooperativeName: i.cooperative?.name ?? '',
      role: i.role,
      invitedAt: i.createdAt.toISOString(),
    }));
  }

  /** Accepts once, by the person the invitation names (their account's e-mail or mobile), and grants the role. */
  accept(p: Principal, invitationId: string): Promise<{ cooperativeId: string; role: StaffRole }> {
    if (!isUuid(invitationId)) throw invitationNotFound();
    return this.db.transaction(async (m) => {
      const identifiers = await this.identifiersOf(p.userId);
      const repo = m.getRepository(StaffInvitation);
      const inv = await repo.findOne({ where: { id: invitationId }, lock: { mode: 'pessimistic_write' } });
      // Someone else's invitation is "not found": its existence is none of the caller's business.
      if (!inv || !identifiers.includes(inv.identifier)) throw invitationNotFound();
      assertOpen(inv);
      inv.acceptedAt = new Date();
      inv.acceptedBy = p.userId;
      await repo.save(inv);
      await this.users.grant(m, p.userId, inv.role, inv.cooperativeId, inv.invitedBy);
      return { cooperativeId: inv.cooperativeId, role: inv.role };
    });
  }

  private async identifiersOf(userId: string): Promise<string[]> {
    const u = await this.db.getRepository(User).findOne({ where: { id: userId } });
    return [u?.email, u?.mobile].filter((x): x is string => Boolean(x));
  }
}

function toView(i: StaffInvitation, invitedBy: string): StaffInvitationView {
  return { id: i.id, identifier: i.identifier, role: i.role, invitedBy, invitedAt: i.createdAt.toISOString() };
}

function assertOpen(inv: StaffInvitation) {
  if (inv.acceptedAt) {
    throw new CooperativeException(
      CooperativeErrorCode.INVITATION_ALREADY_ACCEPTED,
      'this invitation was already accepted',
    );
  }
  if (inv.revokedAt) {
    throw new CooperativeException(CooperativeErrorCode.INVITATION_REVOKED, 'this invitation was withdrawn');
  }
}

function invitationNotFound() {
  return new CooperativeException(CooperativeErrorCode.INVITATION_NOT_FOUND, 'invitation not found');
}

function roleNotHeld() {
  return new CooperativeException(CooperativeErrorCode.ROLE_NOT_HELD, 'this person does not hold that role here');
}
