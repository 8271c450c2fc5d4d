import { generateUscc, idNumberCheckChar } from '@xiangbo/domain';
import type { RegistryStatus } from '@xiangbo/contracts';
import { randomUUID } from 'node:crypto';
import { insertCooperative, TestApp, userWithRoles } from '../../../test/test-app';
import { Household } from '../../households/entities/household.entity';
import { HouseholdStatusEvent } from '../../households/entities/household-status-event.entity';
import { IdNumberHasher } from '../../households/id-number-hasher';

/** Fixtures for the cooperatives integration tests (rows inserted directly where another feature owns the flow). */

let seed = Date.now() % 100_000;
/** A valid, unused 统一社会信用代码 of a farmers' cooperative. */
export function nextUscc(division = '611022'): string {
  return generateUscc(++seed, { division });
}

export function applicationBody(overrides: Record<string, unknown> = {}) {
  return {
    name: '柞水县金米村木耳专业合作社',
    uscc: nextUscc(),
    province: '陕西省',
    city: '商洛市',
    county: '柞水县',
    township: '小岭镇',
    village: '金米村',
    story: '金米村地处秦岭南麓，合作社带动农户种植木耳。',
    contactName: '张建国',
    contactPhone: '13800138000',
    ...overrides,
  };
}

/** An approved cooperative (valid USCC) and a user who is its coop_admin. */
export async function coopWithAdmin(t: TestApp, name?: string) {
  const coop = await insertCooperative(t, { uscc: nextUscc(), ...(name ? { name } : {}) });
  const admin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: coop.id }]);
  return { coop, admin };
}

/**
 * Taken once: adding the clock on every call let the sequence step back when `Date.now() % 500` wrapped, so two
 * households of one test could get the same ID number (and the unique index refused the second).
 */
const idBase = Date.now() % 500;
let idSeq = 0;
/** A valid resident ID number nobody else in the run uses. */
export function nextIdNumber(): string {
  const n = ++idSeq + idBase;
  const first17 = `611022197${n % 10}0${(n % 9) + 1}1${(n % 9) + 1}${String(n).padStart(3, '0').slice(-3)}`;
  return first17 + idNumberCheckChar(first17);
}

/** A registry household as the registry would create it (hashed ID, status event), returned with its clear ID. */
export async function insertHousehold(
  t: TestApp,
  fields: { headName?: string; status?: RegistryStatus; village?: string } = {},
) {
  const idNumber = nextIdNumber();
  const p = t.app.get(IdNumberHasher).protect(idNumber);
  if ('error' in p) throw new Error(`fixture ID number invalid: ${p.error}`);
  const status = fields.status ?? 'registered';
  const createdBy = randomUUID();
  const household = await t.db.transaction(async (m) => {
    const h = await m.getRepository(Household).save(
      m.getRepository(Household).create({
        headName: fields.headName ?? '王小明',
        idNumberHash: p.hash,
        idNumberMasked: p.masked,
        province: '陕西省',
        city: '商洛市',
        county: '柞水县',
        township: '小岭镇',
        village: fields.village ?? '金米村',
        householdSize: 4,
        povertyCauses: ['illness'],
        status,
        createdBy,
      }),
    );
    await m.getRepository(HouseholdStatusEvent).save(
      m.getRepository(HouseholdStatusEvent).create({
        householdId: h.id,
        status,
        effectiveDate: '2020-01-01',
        reason: '建档',
        recordedBy: createdBy,
      }),
    );
    return h;
  });
  return { household, idNumber };
}
