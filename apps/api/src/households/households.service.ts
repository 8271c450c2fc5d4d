import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import type {
  CreateHouseholdRequest,
  HouseholdDetail,
  HouseholdPhoneView,
  HouseholdSearchQuery,
  HouseholdStatusEventView,
  HouseholdSummary,
  Page,
  RegistryStatus,
  StatusEventRequest,
  UpdateHouseholdRequest,
} from '@xiangbo/contracts';
import { maskIdNumber, maskPhone } from '@xiangbo/domain';
import { Principal } from '../auth/principal';
import { ValidationException } from '../common/app.exception';
import { Household } from './entities/household.entity';
import { HouseholdStatusEvent } from './entities/household-status-event.entity';
import { HouseholdErrorCodes, HouseholdException } from './households.exception';
import { IdNumberHasher } from './id-number-hasher';
import { PersonalDataAccessService } from './personal-data-access.service';
import { PersonalDataCipher } from './personal-data-cipher';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A search term that is a whole ID number (spaces allowed, as people type them) is matched by its keyed hash. */
const ID_NUMBER_LIKE = /^\d{17}[\dXx]$/;

export const ID_NUMBER_PROBLEMS = {
  format: 'format: must be 18 characters, digits with an optional final X',
  birth_date: 'birth date: the date of birth in it does not exist',
  checksum: 'checksum: the check character does not match',
} as const;

/** Who acts on the registry; the registry is platform admins' (the role every log row records). */
const REGISTRY_ROLE = 'platform_admin';

/**
 * The household registry: platform admins create, find, read and correct households and record status changes
 * as dated events (never an overwrite). Every read of personal data writes an access-log row in the same
 * transaction as the read. Other features use `findByIdNumber` and the exported IdNumberHasher/PersonalDataAccessService.
 */
@Injectable()
export class HouseholdsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly hasher: IdNumberHasher,
    private readonly access: PersonalDataAccessService,
    private readonly cipher: PersonalDataCipher,
  ) {}

  /** Validates and protects an ID number, or throws 400 naming `field` and the reason. */
  protectIdNumber(raw: string, field = 'idNumber'): { hash: string; masked: string } {
    const p = this.hasher.protect(raw);
    if ('error' in p) throw new ValidationException([{ field, message: ID_NUMBER_PROBLEMS[p.error] }]);
    return p;
  }

  /** The household with this ID number, if registered (throws 400 when the number itself is invalid). */
  async findByIdNumber(raw: string, manager: EntityManager = this.db.manager): Promise<Household | null> {
    const { hash } = this.protectIdNumber(raw);
    return manager.getRepository(Household).findOne({ where: { idNumberHash: hash } });
  }

  async create(actor: Principal, body: CreateHouseholdRequest): Promise<HouseholdDetail> {
    const { hash, masked } = this.protectIdNumber(body.idNumber);
    try {
      const id = await this.db.transaction(async (m) => {
        await this.refuseDuplicate(m, hash);
        const household = await m.getRepository(Household).save(
          m.getRepository(Household).create({
            headName: body.headName,
            idNumberHash: hash,
            idNumberMasked: masked,
            province: body.province,
            city: body.city,
            county: body.county,
            township: body.township,
            village: body.village,
            householdSize: body.householdSize,
            povertyCauses: body.povertyCauses ?? [],
            status: body.status,
            createdBy: actor.userId,
          }),
        );
        await m.getRepository(HouseholdStatusEvent).insert({
          householdId: household.id,
          status: body.status,
          effectiveDate: body.statusEffectiveDate,
          reason: body.statusReason || '登记建档',
          recordedBy: actor.userId,
        });
        await this.log(m, actor, household.id, 'household.create', `masked=${masked}`);
        return household.id;
      });
      return this.load(this.db.manager, id);
    } catch (e) {
      // Two admins registering the same person at once: the unique index decides, the loser gets the same 409.
      if (isUniqueViolation(e, 'households_id_hash')) await this.refuseDuplicate(this.db.manager, hash);
      throw e;
    }
  }

  async search(actor: Principal, q: HouseholdSearchQuery): Promise<Page<HouseholdSummary>> {
    const term = q.q?.replace(/\s+/g, '');
    const byIdNumber = term !== undefined && ID_NUMBER_LIKE.test(term);
    const protectedId = byIdNumber ? this.hasher.protect(term) : undefined;
    // The log says what was asked, never the ID number in clear.
    const detail = [
      q.q !== undefined && `q=${byIdNumber ? `id:${maskIdNumber(term)}` : q.q}`,
      q.village && `village=${q.village}`,
      q.status && `status=${q.status}`,
      `page=${q.page}`,
    ]
      .filter(Boolean)
      .join('; ');
    return this.db.transaction(async (m) => {
      const qb = m.getRepository(Household).createQueryBuilder('h');
      if (protectedId) {
        if ('error' in protectedId) qb.andWhere('false');
        else qb.andWhere('h.id_number_hash = :hash', { hash: protectedId.hash });
      } else if (q.q) {
        qb.andWhere(`h.head_name ILIKE :name ESCAPE '\\'`, { name: `%${escapeLike(q.q)}%` });
      }
      if (q.village) qb.andWhere(`h.village ILIKE :village ESCAPE '\\'`, { village: `%${escapeLike(q.village)}%` });
      if (q.status) qb.andWhere('h.status = :status', { status: q.status });
      const [rows, total] = await qb
        .orderBy('h.updated_at', 'DESC')
        .addOrderBy('h.id', 'ASC')
        .skip((q.page - 1) * q.pageSize)
        .take(q.pageSize)
        .getManyAndCount();
      await this.log(m, actor, null, 'household.search', detail);
      return { items: rows.map(toSummary), total, page: q.page, pageSize: q.pageSize };
    });
  }

  async detail(actor: Principal, id: string): Promise<HouseholdDetail> {
    return this.db.transaction(async (m) => {
      const detail = await this.load(m, id);
      await this.log(m, actor, id, 'household.read', '');
      return detail;
    });
  }

  /** Corrects the household's particulars; the ID number and the status are not changed here. */
  async update(actor: Principal, id: string, body: UpdateHouseholdRequest): Promise<HouseholdDetail> {
    return this.db.transaction(async (m) => {
      const household = await this.lock(m, id);
      const changed = (Object.keys(body) as (keyof UpdateHouseholdRequest)[]).filter((k) => body[k] !== undefined);
      Object.assign(household, Object.fromEntries(changed.map((k) => [k, body[k]])));
      await m.getRepository(Household).save(household);
      await this.log(m, actor, id, 'household.update', `fields=${changed.join(',')}`);
      return this.load(m, id);
    });
  }

  /**
   * Sets (or with null removes) the household's phone: the number SMS confirmation codes go to. Platform admins
   * only; stored encrypted with its masked form; the change is access-logged with the masked numbers only.
   */
  async setPhone(actor: Principal, id: string, phone: string | null): Promise<HouseholdDetail> {
    return this.db.transaction(async (m) => {
      const household = await this.lock(m, id);
      const before = household.phoneMasked;
      household.phoneEncrypted = phone ? this.cipher.encrypt(phone) : null;
      household.phoneMasked = phone ? maskPhone(phone) : null;
      await m.getRepository(Household).save(household);
      await this.log(
        m,
        actor,
        id,
        'household.phone.update',
        `${before ?? 'none'} -> ${household.phoneMasked ?? 'none'}`,
      );
      return this.load(m, id);
    });
  }

  /** The phone in full, for a platform admin who asked to see it (access-logged). */
  async readPhone(actor: Principal, id: string): Promise<HouseholdPhoneView> {
    return this.db.transaction(async (m) => {
      const household = UUID.test(id) ? await m.getRepository(Household).findOne({ where: { id } }) : null;
      if (!household) throw new HouseholdException(HouseholdErrorCodes.HOUSEHOLD_NOT_FOUND, 'household not found');
      await this.log(m, actor, id, 'household.phone.read', household.phoneMasked ?? 'none');
      return {
        householdId: id,
        phone: household.phoneEncrypted ? this.cipher.decrypt(household.phoneEncrypted) : null,
        phoneMasked: household.phoneMasked,
      };
    });
  }

  /** Decrypts a household's registry phone for a platform process (sending an SMS); null when none. */
  phoneOf(household: Pick<Household, 'phoneEncrypted'>): string | null {
    return household.phoneEncrypted ? this.cipher.decrypt(household.phoneEncrypted) : null;
  }

  /**
   * Appends a status event and sets the cached status to that of the event with the latest effective date
   * (a back-dated correction does not override a newer change; on the same date the later record wins).
   */
  async addStatusEvent(actor: Principal, id: string, body: StatusEventRequest): Promise<HouseholdDetail> {
    return this.db.transaction(async (m) => {
      await this.lock(m, id);
      await m.getRepository(HouseholdStatusEvent).insert({
        householdId: id,
        status: body.status,
        effectiveDate: body.effectiveDate,
        reason: body.reason,
        recordedBy: actor.userId,
      });
      await this.refreshStatus(m, [id]);
      await this.log(m, actor, id, 'household.status', `${body.status} from ${body.effectiveDate}`);
      return this.load(m, id);
    });
  }

  /** Sets households.status from their events (the latest effective date, then the latest recorded). */
  async refreshStatus(m: EntityManager, ids: string[]): Promise<void> {
    await m.query(
      `UPDATE households h SET status = e.status, updated_at = now()
         FROM (SELECT DISTINCT ON (household_id) household_id, status FROM household_status_events
                WHERE household_id = ANY($1)
                ORDER BY household_id, effective_date DESC, recorded_at DESC, id DESC) e
        WHERE h.id = e.household_id AND h.status IS DISTINCT FROM e.status`,
      [ids],
    );
  }

  private async refuseDuplicate(m: EntityManager, hash: string): Promise<void> {
    const existing = await m.getRepository(Household).findOne({ where: { idNumberHash: hash }, select: { id: true } });
    if (existing) {
      throw new HouseholdException(
        HouseholdErrorCodes.DUPLICATE_ID_NUMBER,
        'a household with this ID number is already in the registry',
        { field: 'idNumber', details: { existingHouseholdId: existing.id } },
      );
    }
  }

  private async lock(m: EntityManager, id: string): Promise<Household> {
    const household = UUID.test(id)
      ? await m.getRepository(Household).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } })
      : null;
    if (!household) throw new HouseholdException(HouseholdErrorCodes.HOUSEHOLD_NOT_FOUND, 'household not found');
    return household;
  }

  private async load(m: EntityManager, id: string): Promise<HouseholdDetail> {
    const household = UUID.test(id) ? await m.getRepository(Household).findOne({ where: { id } }) : null;
    if (!household) throw new HouseholdException(HouseholdErrorCodes.HOUSEHOLD_NOT_FOUND, 'household not found');
    const events: {
      id: string;
      status: RegistryStatus;
      effective_date: string;
      reason: string;
      recorded_by: string;
      display_name: string | null;
      recorded_at: Date;
    }[] = await m.query(
      `SELECT e.id, e.status, to_char(e.effective_date, 'YYYY-MM-DD') AS effective_date, e.reason, e.recorded_by,
              u.display_name, e.recorded_at
         FROM household_status_events e LEFT JOIN users u ON u.id = e.recorded_by
        WHERE e.household_id = $1
        ORDER BY e.effective_date ASC, e.recorded_at ASC, e.id ASC`,
      [id],
    );
    const [membership]: { cooperative_id: string; name: string; joined_at: string }[] = await m.query(
      `SELECT m.cooperative_id, c.name, to_char(m.joined_at, 'YYYY-MM-DD') AS joined_at
         FROM memberships m JOIN cooperatives c ON c.id = m.cooperative_id
        WHERE m.household_id = $1 AND m.left_at IS NULL`,
      [id],
    );
    return {
      ...toSummary(household),
      history: events.map((e): HouseholdStatusEventView => ({
        id: e.id,
        status: e.status,
        effectiveDate: e.effective_date,
        reason: e.reason,
        recordedBy: { id: e.recorded_by, displayName: e.display_name },
        recordedAt: new Date(e.recorded_at).toISOString(),
      })),
      membership: membership
        ? { cooperativeId: membership.cooperative_id, cooperativeName: membership.name, joinedAt: membership.joined_at }
        : null,
    };
  }

  private log(m: EntityManager, actor: Principal, householdId: string | null, action: string, detail: string) {
    return this.access.record(m, { actorId: actor.userId, actorRole: REGISTRY_ROLE, householdId, action, detail });
  }
}

export function toSummary(h: Household): HouseholdSummary {
  return {
    id: h.id,
    headName: h.headName,
    idNumberMasked: h.idNumberMasked,
    province: h.province,
    city: h.city,
    county: h.county,
    township: h.township,
    village: h.village,
    householdSize: h.householdSize,
    povertyCauses: h.povertyCauses,
    status: h.status,
    phoneMasked: h.phoneMasked ?? null,
    createdAt: h.createdAt.toISOString(),
    updatedAt: h.updatedAt.toISOString(),
  };
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function isUniqueViolation(e: unknown, constraint: string): boolean {
  if (!(e instanceof QueryFailedError)) return false;
  const d = (e as QueryFailedError & { driverError?: { code?: string; constraint?: string } }).driverError;
  return d?.code === '23505' && d.constraint === constraint;
}
