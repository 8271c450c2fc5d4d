import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import {
  formatLandMu,
  type LinkMemberRequest,
  type MembersQuery,
  type MemberView,
  type Page,
  type UpdateMemberRequest,
  BULK_MEMBERS_MAX_LINES,
  type BulkLinkMembersRequest,
  type BulkLinkMembersResponse,
  type BulkMemberRow,
} from '@xiangbo/contracts';
import { maskIdNumber, maskName, parseMemberLines } from '@xiangbo/domain';
import type { Principal } from '../auth/principal';
import { ValidationException } from '../common/app.exception';
import { Household } from '../households/entities/household.entity';
import { IdNumberHasher } from '../households/id-number-hasher';
import { Cooperative } from './entities/cooperative.entity';
import { Membership } from './entities/membership.entity';
import { assertCooperativeAccess, isUuid } from './cooperative-access';
import { CooperativeErrorCode, CooperativeException } from './cooperatives.exception';
import { isUniqueViolation, todayInChina } from './db-errors';

const ID_PROBLEMS = {
  format: 'must be an 18-character resident ID number',
  birth_date: 'contains a birth date that does not exist',
  checksum: 'the check character does not match: a digit is mistyped',
} as const;

type LinkBody = Required<Pick<LinkMemberRequest, 'idNumber' | 'joinedAt'>> &
  Required<Pick<UpdateMemberRequest, 'shareUnits' | 'landMuHundredths' | 'labourRole'>>;

/**
 * Member households of a cooperative. The cooperative links households that are in the platform's registry
 * (found by the keyed hash of the head's ID number; it cannot create households) and records shares, land and
 * labour; the registry status is shown, never changed here. Names are masked for the cooperative's staff too.
 *
 * Decision: a household is an active member of at most one cooperative (partial unique index
 * memberships_one_active), so its share of a sale is never counted twice. Linking one that is active elsewhere
 * is refused with the other cooperative's name; once it has left there (left_at recorded, never deleted), it
 * can be linked here, from its leaving date on.
 */
@Injectable()
export class MembersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly hasher: IdNumberHasher,
  ) {}

  async list(p: Principal, cooperativeId: string, q: MembersQuery): Promise<Page<MemberView>> {
    assertCooperativeAccess(p, cooperativeId, 'read');
    const qb = this.db
      .getRepository(Membership)
      .createQueryBuilder('m')
      .innerJoinAndSelect('m.household', 'h')
      .where('m.cooperative_id = :cooperativeId', { cooperativeId });
    if (q.state === 'active') qb.andWhere('m.left_at IS NULL');
    if (q.state === 'left') qb.andWhere('m.left_at IS NOT NULL');
    const [rows, total] = await qb
      .orderBy('m.left_at', 'DESC', 'NULLS FIRST')
      .addOrderBy('h.village', 'ASC')
      .addOrderBy('m.joined_at', 'ASC')
      .addOrderBy('m.id', 'ASC')
      .skip((q.page - 1) * q.pageSize)
      .take(q.pageSize)
      .getManyAndCount();
    return { items: rows.map(toView), total, page: q.page, pageSize: q.pageSize };
  }

  async link(p: Principal, cooperativeId: string, body: LinkBody): Promise<MemberView> {
    assertCooperativeAccess(p, cooperativeId, 'manage');
    const protectedId = this.hasher.protect(body.idNumber);
    if ('error' in protectedId) {
      throw new ValidationException([{ field: 'idNumber', message: ID_PROBLEMS[protectedId.error] }]);
    }
    if (body.joinedAt > todayInChina()) {
      throw new ValidationException([{ field: 'joinedAt', message: 'must not be in the future' }]);
    }
    try {
      return await this.db.transaction(async (m) => {
        const household = await m
          .getRepository(Household)
          .findOne({ where: { idNumberHash: protectedId.hash }, lock: { mode: 'pessimistic_write' } });
        if (!household) {
          throw new CooperativeException(
            CooperativeErrorCode.HOUSEHOLD_NOT_IN_REGISTRY,
            'no household with this ID number is in the registry; the platform keeps the registry',
          );
        }
        await this.assertNotActiveMember(m, household.id, cooperativeId);
        const lastLeft = await m
          .getRepository(Membership)
          .createQueryBuilder('x')
          .select('max(x.left_at)::text', 'lastLeft')
          .where('x.household_id = :id', { id: household.id })
          .getRawOne<{ lastLeft: string | null }>();
        if (lastLeft?.lastLeft && body.joinedAt < lastLeft.lastLeft) {
          throw new ValidationException([
            {
              field: 'joinedAt',
              message: `must be on or after ${lastLeft.lastLeft}, when the household left its previous cooperative`,
            },
          ]);
        }
        const repo = m.getRepository(Membership);
        const saved = await repo.save(
          repo.create({
            cooperativeId,
            householdId: household.id,
            shareUnits: body.shareUnits,
            landMuHundredths: body.landMuHundredths,
            labourRole: body.labourRole,
            joinedAt: body.joinedAt,
            leftAt: null,
            createdBy: p.userId,
          }),
        );
        saved.household = household;
        return toView(saved);
      });
    } catch (e) {
      if (isUniqueViolation(e, 'memberships_one_active')) {
        // Lost a race with another link of the same household: answer as if it had come first.
        throw new CooperativeException(
          CooperativeErrorCode.ALREADY_MEMBER_ELSEWHERE,
          'this household has just been linked by another cooperative',
        );
      }
      throw e;
    }
  }

  update(p: Principal, cooperativeId: string, membershipId: string, body: UpdateMemberRequest): Promise<MemberView> {
    assertCooperativeAccess(p, cooperativeId, 'manage');
    return this.db.transaction(async (m) => {
      const ms = await this.activeMembership(m, cooperativeId, membershipId);
      if (body.shareUnits !== undefined) ms.shareUnits = body.shareUnits;
      if (body.landMuHundredths !== undefined) ms.landMuHundredths = body.landMuHundredths;
      if (body.labourRole !== undefined) ms.labourRole = body.labourRole;
      await m
        .getRepository(Membership)
        .update(
          { id: ms.id },
          { shareUnits: ms.shareUnits, landMuHundredths: ms.landMuHundredths, labourRole: ms.labourRole },
        );
      return toView(ms);
    });
  }

  /** Records that the household left (the membership stays, with its dates). */
  leave(p: Principal, cooperativeId: string, membershipId: string, leftAt: string): Promise<MemberView> {
    assertCooperativeAccess(p, cooperativeId, 'manage');
    return this.db.transaction(async (m) => {
      const ms = await this.activeMembership(m, cooperativeId, membershipId);
      if (leftAt < ms.joinedAt) {
        throw new ValidationException([
          { field: 'leftAt', message: `must be on or after the joining date ${ms.joinedAt}` },
        ]);
      }
      if (leftAt > todayInChina()) {
        throw new ValidationException([{ field: 'leftAt', message: 'must not be in the future' }]);
      }
      await m.getRepository(Membership).update({ id: ms.id }, { leftAt });
      return toView({ ...ms, leftAt });
    });
  }

  private async activeMembership(m: EntityManager, cooperativeId: string, membershipId: string): Promise<Membership> {
    if (!isUuid(membershipId)) throw membershipNotFound();
    const ms = await m
      .getRepository(Membership)
      .createQueryBuilder('m')
      .innerJoinAndSelect('m.household', 'h')
      .where('m.id = :membershipId AND m.cooperative_id = :cooperativeId', { membershipId, cooperativeId })
      .setLock('pessimistic_write', undefined, ['m'])
      .getOne();
    if (!ms) throw membershipNotFound();
    if (ms.leftAt) {
      throw new CooperativeException(
        CooperativeErrorCode.MEMBERSHIP_ENDED,
        `this household left the cooperative on ${ms.leftAt}; link it again to start a new membership`,
      );
    }
    return ms;
  }

  /**
   * Links many households at once from pasted lines or a CSV (ID number, shares, land), a verdict per line. The
   * preview (`commit` false) writes nothing; the commit links every line that is `ok` in one transaction, the
   * registry rows locked, and answers the same report with those lines `linked`. The registry stays the
   * platform's: a line whose household is not in it is reported, never created.
   */
  async bulkLink(
    p: Principal,
    cooperativeId: string,
    body: Required<BulkLinkMembersRequest>,
  ): Promise<BulkLinkMembersResponse> {
    assertCooperativeAccess(p, cooperativeId, 'manage');
    if (body.joinedAt > todayInChina()) {
      throw new ValidationException([{ field: 'joinedAt', message: 'must not be in the future' }]);
    }
    const { lines, skipped } = parseMemberLines(body.text);
    if (!lines.length) throw new ValidationException([{ field: 'text', message: 'no ID numbers found' }]);
    if (lines.length > BULK_MEMBERS_MAX_LINES) {
      throw new ValidationException([{ field: 'text', message: `at most ${BULK_MEMBERS_MAX_LINES} lines at once` }]);
    }
    const work = async (m: EntityManager): Promise<BulkLinkMembersResponse> => {
      const prepared = lines.map((l) => ({ l, id: this.hasher.protect(l.idNumber) }));
      const hashes = [...new Set(prepared.flatMap((x) => ('hash' in x.id ? [x.id.hash] : [])))].sort();
      const households = hashes.length
        ? await m.getRepository(Household).find({
            where: { idNumberHash: In(hashes) },
            order: { id: 'ASC' },
            ...(body.commit ? { lock: { mode: 'pessimistic_write' as const } } : {}),
          })
        : [];
      const byHash = new Map(households.map((h) => [h.idNumberHash, h]));
      const ids = households.map((h) => h.id);
      const active = ids.length
        ? await m.getRepository(Membership).find({ where: { householdId: In(ids), leftAt: IsNull() } })
        : [];
      const activeOf = new Map(active.map((ms) => [ms.householdId, ms.cooperativeId]));
      const otherIds = [...new Set(active.map((ms) => ms.cooperativeId).filter((c) => c !== cooperativeId))];
      const others = otherIds.length ? await m.getRepository(Cooperative).find({ where: { id: In(otherIds) } }) : [];
      const nameOf = new Map(others.map((c) => [c.id, c.name]));
      const lastLeft: { household_id: string; last_left: string }[] = ids.length
        ? await m.query(
            `SELECT household_id, max(left_at)::text AS last_left FROM memberships
              WHERE household_id = ANY($1) AND left_at IS NOT NULL GROUP BY household_id`,
            [ids],
          )
        : [];
      const leftOn = new Map(lastLeft.map((r) => [r.household_id, r.last_left]));

      const seen = new Set<string>();
      const rows: BulkMemberRow[] = [];
      const repo = m.getRepository(Membership);
      for (const { l, id } of prepared) {
        const base = {
          line: l.line,
          idMasked: 'masked' in id ? id.masked : maskIdNumber(l.idNumber),
          shareUnits: l.shareUnits,
          landMuHundredths: l.landMuHundredths,
        };
        if ('error' in id) {
          rows.push({ ...base, status: 'invalid_id', reason: id.error });
          continue;
        }
        if (seen.has(id.hash)) {
          rows.push({ ...base, status: 'duplicate' });
          continue;
        }
        seen.add(id.hash);
        const h = byHash.get(id.hash);
        const withHead = h ? { ...base, headMasked: maskName(h.headName) } : base;
        if (l.invalidValues) rows.push({ ...withHead, status: 'invalid_values' });
        else if (!h) rows.push({ ...withHead, status: 'not_in_registry' });
        else if (activeOf.get(h.id) === cooperativeId) rows.push({ ...withHead, status: 'already_member' });
        else if (activeOf.has(h.id))
          rows.push({ ...withHead, status: 'member_elsewhere', reason: nameOf.get(activeOf.get(h.id) ?? '') ?? '' });
        else if ((leftOn.get(h.id) ?? '') > body.joinedAt)
          rows.push({ ...withHead, status: 'invalid_values', reason: `joined_before_left:${leftOn.get(h.id)}` });
        else if (!body.commit) rows.push({ ...withHead, status: 'ok' });
        else {
          await repo.insert({
            cooperativeId,
            householdId: h.id,
            shareUnits: l.shareUnits,
            landMuHundredths: l.landMuHundredths,
            labourRole: 'none',
            joinedAt: body.joinedAt,
            leftAt: null,
            createdBy: p.userId,
          });
          rows.push({ ...withHead, status: 'linked' });
        }
      }
      const linked = rows.filter((r) => r.status === 'linked').length;
      return {
        committed: body.commit,
        rows,
        linkable: rows.filter((r) => r.status === 'ok').length + linked,
        linked,
        skipped,
      };
    };
    if (!body.commit) return work(this.db.manager);
    try {
      return await this.db.transaction(work);
    } catch (e) {
      if (isUniqueViolation(e, 'memberships_one_active')) {
        throw new CooperativeException(
          CooperativeErrorCode.ALREADY_MEMBER_ELSEWHERE,
          'one of these households has just been linked by another cooperative: check the list again',
        );
      }
      throw e;
    }
  }

  private async assertNotActiveMember(m: EntityManager, householdId: string, cooperativeId: string) {
    const active = await m.getRepository(Membership).findOne({ where: { householdId, leftAt: IsNull() } });
    if (!active) return;
    if (active.cooperativeId === cooperativeId) {
      throw new CooperativeException(
        CooperativeErrorCode.ALREADY_MEMBER,
        'this household is already a member of this cooperative',
      );
    }
    const other = await m.getRepository(Cooperative).findOne({ where: { id: active.cooperativeId } });
    const name = other?.name ?? '';
    throw new CooperativeException(
      CooperativeErrorCode.ALREADY_MEMBER_ELSEWHERE,
      `this household is a member of ${name}; it can join here once it has left there`,
      { cooperativeName: name },
    );
  }
}

function toView(ms: Membership): MemberView {
  const h = ms.household as Household;
  return {
    id: ms.id,
    householdId: ms.householdId,
    headName: maskName(h.headName),
    idNumberMasked: h.idNumberMasked,
    village: h.village,
    registryStatus: h.status,
    shareUnits: ms.shareUnits,
    landMuHundredths: ms.landMuHundredths,
    landMu: formatLandMu(ms.landMuHundredths),
    labourRole: ms.labourRole,
    joinedAt: ms.joinedAt,
    leftAt: ms.leftAt,
  };
}

function membershipNotFound() {
  return new CooperativeException(CooperativeErrorCode.MEMBERSHIP_NOT_FOUND, 'membership not found');
}
