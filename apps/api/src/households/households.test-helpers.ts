import { idNumberCheckChar } from '@xiangbo/domain';

let seq = 0;
/**
 * A fresh, valid (checksummed) resident ID number for fictional test people: 柞水县 area code, birth dates
 * from 1950 on, a different one each call (each test file has its own database).
 */
export function testIdNumber(): string {
  const n = ++seq;
  const birth = new Date(Date.UTC(1950, 0, 1) + Math.floor(n / 9) * 86_400_000);
  const ymd = birth.toISOString().slice(0, 10).replace(/-/g, '');
  const first17 = `611026${ymd}00${n % 9}`;
  return first17 + idNumberCheckChar(first17);
}

/** The same 17 digits with a wrong check character. */
export function withWrongChecksum(id: string): string {
  const right = id[17];
  return id.slice(0, 17) + (right === '0' ? '1' : '0');
}

export function householdBody(overrides: Record<string, unknown> = {}) {
  return {
    headName: '王小明',
    idNumber: testIdNumber(),
    province: '陕西省',
    city: '商洛市',
    county: '柞水县',
    township: '小岭镇',
    village: '金米村',
    householdSize: 4,
    povertyCauses: ['illness', 'lack_of_skills'],
    status: 'registered',
    statusEffectiveDate: '2016-03-01',
    statusReason: '识别为建档立卡户',
    ...overrides,
  };
}
