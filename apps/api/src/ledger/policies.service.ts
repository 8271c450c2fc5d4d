import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type {
  PlatformFeeRequest,
  SharingPoliciesResponse,
  SharingPolicyDto,
  SharingPolicyInput,
} from '@xiangbo/contracts';
import { type SharingPolicy, validatePolicy } from '@xiangbo/domain';
import type { Principal } from '../auth/principal';
import { ForbiddenException, ValidationException } from '../common/app.exception';
import { APP_CONFIG, AppConfig } from '../config/config';
import { SharingPolicyVersion } from './entities/sharing-policy.entity';
import { assertCoopScope } from './ledger-access';
import { LedgerErrorCode, LedgerException } from './ledger.exception';

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
    // only when the platform carries coupons: the cooperative's case is the default (and old exports' shape)
    ...(r.couponCarrier === 'platform' ? { couponCarrier: 'platform' as const } : {}),
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
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The platform's fee for a cooperative now: its latest version's, or PLATFORM_FEE_BP before its first. */
  private async platformFee(m: EntityManager, cooperativeId: string): Promise<number> {
    const last = await m
      .getRepository(SharingPolicyVersion)
      .findOne({ where: { cooperativeId }, order: { version: 'DESC' } });
    return last?.platformFeeBp ?? this.config.PLATFORM_FEE_BP;
  }

  async book(m: EntityManager | undefined, cooperativeId: string): Promise<PolicyBook> {
    const rows = await (m ?? this.db.manager)
      .getRepository(SharingPolicyVersion)
      .find({ where: { cooperativeId }, order: { version: 'ASC' } });
    return new PolicyBook(rows);
  }

  async list(p: Principal, cooperativeId: string): Promise<SharingPoliciesResponse> {
    assertCoopScope(p, cooperativeId, 'read');
    return {
      versions: await this.dtos(cooperativeId),
      platformFeeBp: await this.platformFee(this.db.manager, cooperativeId),
    };
  }

  /**
   * A new version by the cooperative's admin: its own shares, and the platform's fee as the platform set it (a
   * different platformFeeBp is refused, so a cooperative can never lower or raise the platform's fee).
   */
  async create(p: Principal, cooperativeId: string, input: SharingPolicyInput): Promise<SharingPolicyDto> {
    assertCoopScope(p, cooperativeId, 'manage');
    const fee = await this.platformFee(this.db.manager, cooperativeId);
    if (input.platformFeeBp !== undefined && input.platformFeeBp !== fee) {
      throw new ForbiddenException(
        `platformFeeBp: the platform's fee is set by the platform (now ${fee} basis points), not by the cooperative`,
      );
    }
    return this.insertVersion(p, cooperativeId, {
      parts: {
        platformFeeBp: fee,
        purchase: input.purchase,
        dividendBp: input.dividendBp,
        wagesBp: input.wagesBp,
        dividendWeights: input.dividendWeights,
      },
      effectiveFrom: input.effectiveFrom,
      note: input.note ?? '',
      keepPlatformFee: false,
    });
  }

  /**
   * The platform admin sets a cooperative's fee: a new version with the latest version's shares and the new fee,
   * in force from now. (Before the cooperative's first version its fee is PLATFORM_FEE_BP.)
   */
  async setPlatformFee(p: Principal, cooperativeId: string, body: PlatformFeeRequest): Promise<SharingPolicyDto> {
    if (!p.has('platform_admin')) throw new ForbiddenException();
    const [coop] = /^[0-9a-f-]{36}$/i.test(cooperativeId)
      ? await this.db.query(`SELECT 1 FROM cooperatives WHERE id = $1`, [cooperativeId])
      : [];
    if (!coop) throw new LedgerException(LedgerErrorCode.COOPERATIVE_NOT_FOUND, 'cooperative not found');
    const last = await this.db
      .getRepository(SharingPolicyVersion)
      .findOne({ where: { cooperativeId }, order: { version: 'DESC' } });
    if (!last) {
      throw new LedgerException(
        LedgerErrorCode.POLICY_REQUIRED,
        `this cooperative has no sharing policy yet: its first version takes the platform's default fee (${this.config.PLATFORM_FEE_BP} basis points)`,
      );
    }
    const latest = toDomainPolicy(last);
    return this.insertVersion(p, cooperativeId, {
      parts: {
        ...latest,
        platformFeeBp: body.platformFeeBp,
        ...(body.couponCarrier ? { couponCarrier: body.couponCarrier } : {}),
      },
      effectiveFrom: undefined,
      note: body.note || `平台服务费调整为 ${body.platformFeeBp / 100}% (platform fee set by the platform)`,
      keepPlatformFee: true,
    });
  }

  private async insertVersion(
    p: Principal,
    cooperativeId: string,
    v: {
      parts: Omit<SharingPolicy, 'version'>;
      effectiveFrom: string | undefined;
      note: string;
      /** true: the platform's own change (its fee stands); false: the cooperative's (the fee is re-read). */
      keepPlatformFee: boolean;
    },
  ): Promise<SharingPolicyDto> {
    const input = { effectiveFrom: v.effectiveFrom, note: v.note };
    const parts = {
      platformFeeBp: v.parts.platformFeeBp,
      purchase: v.parts.purchase,
      dividendBp: v.parts.dividendBp,
      wagesBp: v.parts.wagesBp,
      dividendWeights: v.parts.dividendWeights,
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
      // Under the lock: a fee the platform set meanwhile wins over the one the cooperative's form was read with.
      const platformFeeBp = v.keepPlatformFee ? parts.platformFeeBp : (last?.platformFeeBp ?? parts.platformFeeBp);
      if (platformFeeBp !== parts.platformFeeBp && validatePolicy({ ...parts, platformFeeBp }).length) {
        throw new ValidationException([
          {
            field: 'platformFeeBp',
            message: 'the platform changed its fee meanwhile: check the shares and save again',
          },
        ]);
      }
      await m.getRepository(SharingPolicyVersion).insert({
        cooperativeId,
        version: next,
        platformFeeBp,
        purchaseKind: parts.purchase.kind,
        purchaseBp: parts.purchase.kind === 'percent' ? parts.purchase.bp : 0,
        purchaseFenPerUnit: parts.purchase.kind === 'per_unit' ? parts.purchase.fenPerUnit : 0,
        dividendBp: parts.dividendBp,
        wagesBp: parts.wagesBp,
        weightRegistered: parts.dividendWeights.registered,
        weightMonitored: parts.dividendWeights.monitored,
        weightLifted: parts.dividendWeights.lifted,
        weightNone: parts.dividendWeights.none,
        // who carries coupons is the platform's to set (with its fee); a cooperative's version keeps the last one
        couponCarrier: v.keepPlatformFee
          ? (v.parts.couponCarrier ?? 'cooperative')
          : (last?.couponCarrier ?? 'cooperative'),
        effectiveFrom: from,
        note: input.note,
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
