import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AccessLogEntry, AccessLogQuery, Page } from '@xiangbo/contracts';
import { maskName } from '@xiangbo/domain';
import { PersonalDataAccess } from './entities/personal-data-access.entity';

export interface PersonalDataAccessRecord {
  actorId: string;
  /** The role the actor acted in (platform_admin, coop_admin, host, auditor). */
  actorRole: string;
  householdId: string | null;
  /** e.g. household.read, household.search, registry.import, member.read */
  action: string;
  /** What was looked at or asked for; never an ID number in clear. Cut to 200 characters. */
  detail: string;
}

/**
 * The personal-data access log: every staff read of a household's personal data (clear name, registry details)
 * writes one row. Other features call `record` inside the transaction of the read they log, so a read that fails
 * leaves no row and a row is never lost for a read that happened.
 */
@Injectable()
export class PersonalDataAccessService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async record(manager: EntityManager | undefined, entry: PersonalDataAccessRecord): Promise<void> {
    const m = manager ?? this.db.manager;
    await m.getRepository(PersonalDataAccess).insert({
      actorId: entry.actorId,
      actorRole: entry.actorRole.slice(0, 20),
      householdId: entry.householdId,
      action: entry.action.slice(0, 40),
      detail: [...entry.detail].slice(0, 200).join(''),
    });
  }

  /** Platform admins search the log; newest first, with the actor's display name and the household's masked name. */
  async search(q: AccessLogQuery): Promise<Page<AccessLogEntry>> {
    const qb = this.db
      .createQueryBuilder()
      .from(PersonalDataAccess, 'a')
      .leftJoin('users', 'u', 'u.id = a.actor_id')
      .leftJoin('households', 'h', 'h.id = a.household_id')
      .select([
        'a.id AS id',
        'a.at AS at',
        'a.actor_id AS "actorId"',
        'u.display_name AS "actorName"',
        'a.actor_role AS "actorRole"',
        'a.household_id AS "householdId"',
        'h.head_name AS "headName"',
        'a.action AS action',
        'a.detail AS detail',
      ]);
    if (q.actorId) qb.andWhere('a.actor_id = :actorId', { actorId: q.actorId });
    if (q.householdId) qb.andWhere('a.household_id = :householdId', { householdId: q.householdId });
    if (q.action) qb.andWhere('a.action = :action', { action: q.action });
    // Dates are China's calendar days: "from 2025-03-01" starts at 2025-03-01 00:00 in UTC+8.
    if (q.from) qb.andWhere(`a.at >= (:from::date)::timestamp AT TIME ZONE 'Asia/Shanghai'`, { from: q.from });
    if (q.to) qb.andWhere(`a.at < ((:to::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`, { to: q.to });
    const total = await qb.clone().select('count(*)::int', 'n').getRawOne<{ n: number }>();
    const rows = await qb
      .orderBy('a.at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .offset((q.page - 1) * q.pageSize)
      .limit(q.pageSize)
      .getRawMany<{
        id: string;
        at: Date;
        actorId: string;
        actorName: string | null;
        actorRole: string;
        householdId: string | null;
        headName: string | null;
        action: string;
        detail: string;
      }>();
    return {
      items: rows.map((r) => ({
        id: r.id,
        at: new Date(r.at).toISOString(),
        actorId: r.actorId,
        actorName: r.actorName,
        actorRole: r.actorRole,
        householdId: r.householdId,
        householdNameMasked: r.headName ? maskName(r.headName) : null,
        action: r.action,
        detail: r.detail,
      })),
      total: total?.n ?? 0,
      page: q.page,
      pageSize: q.pageSize,
    };
  }
}
