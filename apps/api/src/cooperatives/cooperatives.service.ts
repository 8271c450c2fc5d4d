import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import type {
  AdminApplicationsQuery,
  AdminCooperativeApplication,
  CooperativeApplication,
  ConsoleCooperative,
  MyCooperativeApplication,
  Page,
  PublicCooperative,
  PublicCooperativeSummary,
  PublicCooperativesQuery,
  UpdateCooperativeProfileRequest,
} from '@xiangbo/contracts';
import { maskPhone } from '@xiangbo/domain';
import type { Principal } from '../auth/principal';
import { Product } from '../catalog/entities/product.entity';
import { Household } from '../households/entities/household.entity';
import { processImage, StorageService } from '../storage';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { Cooperative } from './entities/cooperative.entity';
import { Membership } from './entities/membership.entity';
import { assertCooperativeAccess, cooperativeNotFound, isUuid } from './cooperative-access';
import { CooperativeErrorCode, CooperativeException } from './cooperatives.exception';
import { isUniqueViolation } from './db-errors';

/** An applicant may have this many applications waiting at once (stops a flood of junk applications). */
export const MAX_PENDING_APPLICATIONS = 3;
const SNIPPET_CHARS = 80;

/** Applying, platform review, the public pages and the cooperative's own profile. */
@Injectable()
export class CooperativesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UsersService,
    private readonly storage: StorageService,
  ) {}

  // ---------- Applying ----------

  /**
   * A signed-in user applies. A USCC can be on the platform once; the exception is the same applicant applying
   * again after a rejection, which reopens their application (same id) with the corrected details.
   */
  async apply(userId: string, body: CooperativeApplication): Promise<MyCooperativeApplication> {
    try {
      return await this.db.transaction(async (m) => {
        const repo = m.getRepository(Cooperative);
        const existing = await repo.findOne({ where: { uscc: body.uscc }, lock: { mode: 'pessimistic_write' } });
        if (existing && !(existing.status === 'rejected' && existing.applicantId === userId)) throw usccTaken();
        const pending = await repo.count({ where: { applicantId: userId, status: 'pending' } });
        if (pending >= MAX_PENDING_APPLICATIONS) {
          throw new CooperativeException(
            CooperativeErrorCode.TOO_MANY_PENDING_APPLICATIONS,
            `you already have ${pending} applications waiting for review`,
          );
        }
        const fields = {
          name: body.name,
          uscc: body.uscc,
          province: body.province,
          city: body.city,
          county: body.county,
          township: body.township,
          village: body.village,
          story: body.story,
          contactName: body.contactName,
          contactPhone: body.contactPhone,
          status: 'pending' as const,
          reviewReason: null,
          reviewedBy: null,
          reviewedAt: null,
        };
        const saved = existing
          ? await repo.save(Object.assign(existing, fields))
          : await repo.save(repo.create({ ...fields, applicantId: userId, logoKey: null }));
        return this.toMine(saved);
      });
    } catch (e) {
      if (isUniqueViolation(e, 'cooperatives_uscc')) throw usccTaken(); // two applications raced
      throw e;
    }
  }

  async myApplications(userId: string): Promise<MyCooperativeApplication[]> {
    const rows = await this.db
      .getRepository(Cooperative)
      .find({ where: { applicantId: userId }, order: { createdAt: 'DESC' } });
    return rows.map((c) => this.toMine(c));
  }

  /** The logo: by the cooperative's admins, or by the applicant while the application is still open. */
  async setLogo(p: Principal, cooperativeId: string, bytes: Buffer | undefined): Promise<{ logoUrl: string }> {
    if (!isUuid(cooperativeId)) throw cooperativeNotFound();
    const current = await this.db.getRepository(Cooperative).findOne({ where: { id: cooperativeId } });
    if (!current) throw cooperativeNotFound();
    const applicantWhilePending = current.applicantId === p.userId && current.status === 'pending';
    if (!applicantWhilePending) assertCooperativeAccess(p, cooperativeId, 'manage');

    const image = await processImage(bytes);
    const key = `cooperatives/${cooperativeId}/logo-${randomUUID()}.webp`;
    await this.storage.put(key, image.thumb, image.contentType);
    let previous: string | null = null;
    try {
      await this.db.transaction(async (m) => {
        const c = await m
          .getRepository(Cooperative)
          .findOne({ where: { id: cooperativeId }, lock: { mode: 'pessimistic_write' } });
        if (!c) throw cooperativeNotFound();
        previous = c.logoKey;
        await m.getRepository(Cooperative).update({ id: cooperativeId }, { logoKey: key });
      });
    } catch (e) {
      await this.storage.delete(key);
      throw e;
    }
    if (previous) await this.storage.delete(previous).catch(() => undefined);
    return { logoUrl: this.storage.url(key) };
  }

  // ---------- Platform review ----------

  async listApplications(q: AdminApplicationsQuery): Promise<Page<AdminCooperativeApplication>> {
    const [rows, total] = await this.db.getRepository(Cooperative).findAndCount({
      where: q.status ? { status: q.status } : {},
      // Oldest waiting first: applications are reviewed in the order they came in.
      order: { createdAt: q.status === 'pending' ? 'ASC' : 'DESC' },
      skip: (q.page - 1) * q.pageSize,
      take: q.pageSize,
    });
    const applicantIds = [...new Set(rows.map((r) => r.applicantId))];
    const applicants = applicantIds.length
      ? await this.db.getRepository(User).find({ where: { id: In(applicantIds) } })
      : [];
    const byId = new Map(applicants.map((u) => [u.id, u]));
    return {
      items: rows.map((c) => {
        const u = byId.get(c.applicantId);
        return {
          ...this.toMine(c),
          story: c.story,
          contactName: c.contactName,
          contactPhone: c.contactPhone,
          applicant: {
            id: c.applicantId,
            displayName: u?.displayName ?? '',
            email: u?.email ?? null,
            mobile: u?.mobile ?? null,
          },
        };
      }),
      total,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  /** Approves a pending application and makes its applicant the cooperative's first coop_admin, atomically. */
  approve(adminId: string, id: string): Promise<MyCooperativeApplication> {
    return this.db.transaction(async (m) => {
      const c = await this.pendingForReview(m, adminId, id);
      c.status = 'approved';
      c.reviewReason = null;
      c.reviewedBy = adminId;
      c.reviewedAt = new Date();
      const saved = await m.getRepository(Cooperative).save(c);
      await this.users.grant(m, c.applicantId, 'coop_admin', c.id, adminId);
      return this.toMine(saved);
    });
  }

  reject(adminId: string, id: string, reason: string): Promise<MyCooperativeApplication> {
    return this.db.transaction(async (m) => {
      const c = await this.pendingForReview(m, adminId, id);
      c.status = 'rejected';
      c.reviewReason = reason;
      c.reviewedBy = adminId;
      c.reviewedAt = new Date();
      return this.toMine(await m.getRepository(Cooperative).save(c));
    });
  }

  private async pendingForReview(m: EntityManager, adminId: string, id: string): Promise<Cooperative> {
    if (!isUuid(id)) throw cooperativeNotFound();
    const c = await m.getRepository(Cooperative).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!c) throw cooperativeNotFound();
    if (c.status !== 'pending') {
      throw new CooperativeException(
        CooperativeErrorCode.ALREADY_REVIEWED,
        `this application was already ${c.status}; only pending applications can be reviewed`,
      );
    }
    if (c.applicantId === adminId) {
      throw new CooperativeException(
        CooperativeErrorCode.CANNOT_REVIEW_OWN_APPLICATION,
        'another platform admin has to review your own application',
      );
    }
    return c;
  }

  // ---------- Public ----------

  async listPublic(q: PublicCooperativesQuery): Promise<Page<PublicCooperativeSummary>> {
    const qb = this.db
      .getRepository(Cooperative)
      .createQueryBuilder('c')
      .where("c.status = 'approved'")
      .orderBy('c.reviewed_at', 'DESC', 'NULLS LAST')
      .addOrderBy('c.id', 'ASC');
    if (q.province) qb.andWhere('c.province = :province', { province: q.province });
    if (q.q) {
      const like = `%${q.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      qb.andWhere('(c.name ILIKE :like OR c.county ILIKE :like OR c.township ILIKE :like OR c.village ILIKE :like)', {
        like,
      });
    }
    const [rows, total] = await qb
      .skip((q.page - 1) * q.pageSize)
      .take(q.pageSize)
      .getManyAndCount();
    const counts = await this.productCounts(rows.map((r) => r.id));
    return {
      items: rows.map((c) => ({
        id: c.id,
        name: c.name,
        ...region(c),
        storySnippet: snippet(c.story),
        logoUrl: this.logoUrl(c),
        productCount: counts.get(c.id) ?? 0,
      })),
      total,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  async getPublic(id: string): Promise<PublicCooperative> {
    if (!isUuid(id)) throw cooperativeNotFound();
    const c = await this.db.getRepository(Cooperative).findOne({ where: { id, status: 'approved' } });
    if (!c) throw cooperativeNotFound();
    const [members] = await this.db
      .getRepository(Membership)
      .createQueryBuilder('m')
      .innerJoin(Household, 'h', 'h.id = m.household_id')
      .select('count(*)::int', 'memberCount')
      .addSelect("count(*) FILTER (WHERE h.status IN ('registered','monitored'))::int", 'poorCount')
      .where('m.cooperative_id = :id AND m.left_at IS NULL', { id })
      .getRawMany<{ memberCount: number; poorCount: number }>();
    const counts = await this.productCounts([id]);
    return {
      id: c.id,
      name: c.name,
      ...region(c),
      story: c.story,
      contactName: c.contactName,
      // A public page is read by anyone (and by scrapers): the number is masked; the cooperative's staff see it
      // in full in their console, the platform in the application.
      contactPhone: maskPhone(c.contactPhone),
      logoUrl: this.logoUrl(c),
      memberCount: members?.memberCount ?? 0,
      registeredOrMonitoredMemberCount: members?.poorCount ?? 0,
      productCount: counts.get(id) ?? 0,
      approvedAt: c.reviewedAt?.toISOString() ?? null,
    };
  }

  /** Published products per cooperative. */
  private async productCounts(ids: string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .getRepository(Product)
      .createQueryBuilder('p')
      .select('p.cooperative_id', 'cooperativeId')
      .addSelect('count(*)::int', 'n')
      .where('p.cooperative_id IN (:...ids) AND p.published = true', { ids })
      .groupBy('p.cooperative_id')
      .getRawMany<{ cooperativeId: string; n: number }>();
    return new Map(rows.map((r) => [r.cooperativeId, r.n]));
  }

  // ---------- Console ----------

  async getForConsole(p: Principal, id: string): Promise<ConsoleCooperative> {
    assertCooperativeAccess(p, id, 'read');
    const c = await this.db.getRepository(Cooperative).findOne({ where: { id } });
    if (!c) throw cooperativeNotFound();
    return this.toConsole(c, p.hasFor(id, 'coop_admin'));
  }

  updateProfile(p: Principal, id: string, body: UpdateCooperativeProfileRequest): Promise<ConsoleCooperative> {
    assertCooperativeAccess(p, id, 'manage');
    return this.db.transaction(async (m) => {
      const repo = m.getRepository(Cooperative);
      const c = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!c) throw cooperativeNotFound();
      // Only the fields the schema allows reach here; name, USCC, region and status are not among them.
      if (body.story !== undefined) c.story = body.story;
      if (body.contactName !== undefined) c.contactName = body.contactName;
      if (body.contactPhone !== undefined) c.contactPhone = body.contactPhone;
      return this.toConsole(await repo.save(c), true);
    });
  }

  private toConsole(c: Cooperative, canManage: boolean): ConsoleCooperative {
    return {
      id: c.id,
      name: c.name,
      uscc: c.uscc,
      status: c.status,
      ...region(c),
      story: c.story,
      contactName: c.contactName,
      contactPhone: c.contactPhone,
      logoUrl: this.logoUrl(c),
      approvedAt: c.status === 'approved' ? (c.reviewedAt?.toISOString() ?? null) : null,
      canManage,
    };
  }

  private toMine(c: Cooperative): MyCooperativeApplication {
    return {
      id: c.id,
      name: c.name,
      uscc: c.uscc,
      ...region(c),
      status: c.status,
      reviewReason: c.status === 'rejected' ? c.reviewReason : null,
      logoUrl: this.logoUrl(c),
      createdAt: c.createdAt.toISOString(),
      reviewedAt: c.reviewedAt?.toISOString() ?? null,
    };
  }

  private logoUrl(c: Cooperative): string | null {
    return c.logoKey ? this.storage.url(c.logoKey) : null;
  }
}

function usccTaken() {
  return new CooperativeException(
    CooperativeErrorCode.USCC_TAKEN,
    'a cooperative with this unified social credit code is already on the platform or under review',
  );
}

function region(c: Cooperative) {
  return { province: c.province, city: c.city, county: c.county, township: c.township, village: c.village };
}

/** The start of the story on one line, cut at SNIPPET_CHARS characters (not UTF-16 units). */
export function snippet(story: string): string {
  const chars = [...story.replace(/\s+/g, ' ').trim()];
  return chars.length <= SNIPPET_CHARS ? chars.join('') : `${chars.slice(0, SNIPPET_CHARS).join('')}…`;
}
