import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { SharingPoliciesResponse, SharingPolicyDto, SharingPolicyInput } from '@xiangbo/contracts';
import { type SharingPolicy, validatePolicy } from '@xiangbo/domain';
import type { Principal } from '../auth/principal';
import { ValidationException } from '../common/app.exception';
import { SharingPolicyVersion } from './entities/sharing-policy.entity';
import { assertCoopScope } from './ledger-access';

/** A stored version as the domain's SharingPolicy (what splits lines and what the export carries). */
export function toDomainPolicy(r: SharingPolicyVersion): SharingPolicy {
  return {
    version: r.version,
    platformFeeBp: r.platformFeeBp,
    purchase:
      r.purchaseKind === 'percent'
        ? { kind: 'percent', bp: r.purchaseBp }
        : { kind: 'per_unit', fenPerUnit: r.purchaseFenPerUnit },
    dividendBp: r.dividendBp,
    wagesBp: r.wagesBp,
    dividendWeights: {
      registered: r.weightRegistered,
      monitored: r.weightMonitored,
      lifted: r.weightLifted,
      none: r.weightNone,
    },
  };
}

/** The versions of a cooperative in version order, and the one in force at an instant (latest effective_from ≤ at). */
export class PolicyBook {
  constructor(readonly versions: SharingPolicyVersion[]) {}

  inForce(at: Date): SharingPolicyVersion | null {
    let found: SharingPolicyVersion | null = null;
    for (const v of this.versions) if (v.effectiveFrom.getTime() <= at.getTime()) found = v;
    return found;
  }
}

/** Clock skew allowed for "effective from now" sent by a browser. */
const SKEW_MS = 5 * 60_000;

/**
 * Sharing policies (利益联结机制): versioned, never edited (the database refuses UPDATE and DELETE). A new version
 * applies to orders paid at or after its effectiveFrom, which is never in the past and never before the previous
 * version's, so "latest version" and "latest effectiveFrom" always agree.
 */
@Injectable()
export class PoliciesService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async book(m: EntityManager | undefined, cooperativeId: string): Promise<PolicyBook> {
    const rows = await (m ?? this.db.manager)
      .getRepository(SharingPolicyVersion)
      .find({ where: { cooperativeId }, order: { version: 'ASC' } });
    return new PolicyBook(rows);
  }

  async list(p: Principal, cooperativeId: string): Promise<SharingPoliciesResponse> {
    assertCoopScope(p, cooperativeId, 'read');
    return { versions: await this.dtos(cooperativeId) };
  }

  async create(p: Principal, cooperativeId: string, input: SharingPolicyInput): Promise<SharingPolicyDto> {
    assertCoopScope(p, cooperativeId, 'manage');
    const parts = {
      platformFeeBp: input.platformFeeBp,
      purchase: input.purchase,
      dividendBp: input.dividendBp,
      wagesBp: input.wagesBp,
      dividendWeights: input.dividendWeights,
    };
    const problems = validatePolicy(parts);
    const now = Date.now();
    const effectiveFrom = input.effectiveFrom ? new Date(input.effectiveFrom) : new Date(now);
    if (effectiveFrom.getTime() < now - SKEW_MS)
      problems.push({
        field: 'effectiveFrom',
        message: 'must not be in the past: a new version applies to orders paid from now on',
      });
    if (problems.length) throw new ValidationException(problems);
    const version = await this.db.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`policy:${cooperativeId}`]);
      const last = await m
        .getRepository(SharingPolicyVersion)
        .findOne({ where: { cooperativeId }, order: { version: 'DESC' } });
      const from = new Date(Math.max(effectiveFrom.getTime(), now));
      if (last && from.getTime() < last.effectiveFrom.getTime()) {
        throw new ValidationException([
          {
            field: 'effectiveFrom',
            message: `must not be before version ${last.version} takes effect (${last.effectiveFrom.toISOString()})`,
          },
        ]);
      }
      const next = (last?.version ?? 0) + 1;
      await m.getRepository(SharingPolicyVersion).insert({
        cooperativeId,
        version: next,
        platformFeeBp: parts.platformFeeBp,
        purchaseKind: parts.purchase.kind,
        purchaseBp: parts.purchase.kind === 'percent' ? parts.purchase.bp : 0,
        purchaseFenPerUnit: parts.purchase.kind === 'per_unit' ? parts.purchase.fenPerUnit : 0,
        dividendBp: parts.dividendBp,
        wagesBp: parts.wagesBp,
        weightRegistered: parts.dividendWeights.registered,
        weightMonitored: parts.dividendWeights.monitored,
        weightLifted: parts.dividendWeights.lifted,
        weightNone: parts.dividendWeights.none,
        effectiveFrom: from,
        note: input.note ?? '',
        createdBy: p.userId,
      });
      return next;
    });
    const dtos = await this.dtos(cooperativeId);
    return dtos.find((d) => d.version === version) as SharingPolicyDto;
  }

  private async dtos(cooperativeId: string): Promise<SharingPolicyDto[]> {
    const rows: (SharingPolicyVersion & { createdByName: string | null })[] = [];
    const raw = await this.db
      .getRepository(SharingPolicyVersion)
      .createQueryBuilder('s')
      .leftJoin('users', 'u', 'u.id = s.created_by')
      .addSelect('u.display_name', 'created_by_name')
      .where('s.cooperative_id = :cooperativeId', { cooperativeId })
      .orderBy('s.version', 'DESC')
      .getRawAndEntities();
    raw.entities.forEach((e, i) =>
      rows.push(
        Object.assign(e, { createdByName: (raw.raw[i] as { created_by_name: string | null }).created_by_name }),
      ),
    );
    const inForce = new PolicyBook([...rows].reverse()).inForce(new Date());
    return rows.map((r) => ({
      ...toDomainPolicy(r),
      effectiveFrom: r.effectiveFrom.toISOString(),
      note: r.note,
      createdAt: r.createdAt.toISOString(),
      createdByName: r.createdByName,
      inForce: inForce?.version === r.version,
    }));
  }
}
