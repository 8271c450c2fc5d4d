import { idNumberCheckChar, normaliseIdNumber } from './privacy';

/**
 * The household registry's CSV format: Chinese headers as county offices keep them in Excel, one household a row.
 * Pure: the API decodes the bytes and splits the CSV, then asks this module what each row means.
 * The status and cause codes are the registry vocabulary (REGISTRY_STATUSES, POVERTY_CAUSES in the contracts).
 */

export type RegistryStatusCode = 'registered' | 'monitored' | 'lifted' | 'none';
export type PovertyCauseCode =
  'illness' | 'disability' | 'schooling' | 'disaster' | 'lack_of_labour' | 'lack_of_skills' | 'other';

export const REGISTRY_CSV_COLUMNS = {
  headName: '户主姓名',
  idNumber: '身份证号',
  province: '省',
  city: '市',
  county: '县',
  township: '乡镇',
  village: '村',
  householdSize: '家庭人口',
  povertyCauses: '致贫原因',
  status: '状态',
  statusDate: '状态日期',
  reason: '原因',
} as const;
export type RegistryCsvField = keyof typeof REGISTRY_CSV_COLUMNS;

/** Every header but 原因 must be present (a value may still be empty where the column allows it). */
export const REGISTRY_CSV_REQUIRED_HEADERS: readonly string[] = Object.entries(REGISTRY_CSV_COLUMNS)
  .filter(([field]) => field !== 'reason')
  .map(([, header]) => header);

export const REGISTRY_STATUS_LABELS: Record<RegistryStatusCode, string> = {
  registered: '建档立卡',
  monitored: '防返贫监测',
  lifted: '已脱贫',
  none: '一般户',
};

export const POVERTY_CAUSE_LABELS: Record<PovertyCauseCode, string> = {
  illness: '因病',
  disability: '因残',
  schooling: '因学',
  disaster: '因灾',
  lack_of_labour: '缺劳力',
  lack_of_skills: '缺技术',
  other: '其他',
};

/** Spellings seen in county spreadsheets, besides the labels above. */
const STATUS_ALIASES: Record<string, RegistryStatusCode> = {
  建档立卡户: 'registered',
  贫困户: 'registered',
  监测户: 'monitored',
  防止返贫监测: 'monitored',
  防返贫监测户: 'monitored',
  脱贫户: 'lifted',
  无: 'none',
};
const CAUSE_ALIASES: Record<string, PovertyCauseCode> = {
  缺劳动力: 'lack_of_labour',
  因病致贫: 'illness',
  因残致贫: 'disability',
  因学致贫: 'schooling',
  因灾致贫: 'disaster',
  其它: 'other',
};

const MAX_LENGTH: Partial<Record<RegistryCsvField, number>> = {
  headName: 40,
  province: 20,
  city: 30,
  county: 30,
  township: 30,
  village: 30,
  reason: 500,
};

export const HOUSEHOLD_SIZE_MAX = 30;

export type RegistryRowProblemCode =
  | 'MISSING_VALUE'
  | 'TOO_LONG'
  | 'INVALID_ID_NUMBER'
  | 'INVALID_HOUSEHOLD_SIZE'
  | 'UNKNOWN_POVERTY_CAUSE'
  | 'UNKNOWN_STATUS'
  | 'INVALID_DATE'
  | 'FUTURE_DATE';

export interface RegistryRowProblem {
  code: RegistryRowProblemCode;
  /** The field (API name), so a screen can point at the column. */
  field: RegistryCsvField;
  /** Says what is wrong in words a county clerk reads (Chinese, naming the column). */
  message: string;
}

export interface RegistryRow {
  headName: string;
  /** Normalised (upper-case X) and valid; the caller hashes and masks it and never stores it. */
  idNumber: string;
  province: string;
  city: string;
  county: string;
  township: string;
  village: string;
  householdSize: number;
  povertyCauses: PovertyCauseCode[];
  status: RegistryStatusCode;
  statusDate: string;
  reason: string;
}

export type RegistryRowResult = { ok: true; row: RegistryRow } | { ok: false; problems: RegistryRowProblem[] };

const ID_NUMBER_MESSAGES = {
  format: '身份证号应为 18 位（最后一位可以是 X）',
  birth_date: '身份证号中的出生日期不存在',
  checksum: '身份证号校验位不正确，请核对',
} as const;

export function idNumberProblemMessage(reason: keyof typeof ID_NUMBER_MESSAGES): string {
  return ID_NUMBER_MESSAGES[reason];
}

/** Header cells as exported by Excel/WPS: a BOM on the first, stray spaces, full-width spaces. */
export function normaliseHeader(cell: string): string {
  return cell.replace(/^\uFEFF/, '').replace(/[\s\u3000]+/g, '');
}

/** Required headers that are not in the header row (in the documented order). */
export function missingRegistryHeaders(headerRow: readonly string[]): string[] {
  const present = new Set(headerRow.map(normaliseHeader));
  return REGISTRY_CSV_REQUIRED_HEADERS.filter((h) => !present.has(h));
}

/** True for a real calendar date written YYYY-MM-DD. */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1900 && date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Today's date in China (UTC+8, no daylight saving), YYYY-MM-DD: registry dates are local dates. */
export function todayInChina(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Spreadsheets write dates as 2024/3/5 or 2024.03.05 as often as 2024-03-05; all mean the same day. */
export function normaliseCsvDate(value: string): string {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(value.trim());
  return m ? `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}` : value.trim();
}

export function parseRegistryStatus(value: string): RegistryStatusCode | null {
  const v = value.trim();
  for (const [code, label] of Object.entries(REGISTRY_STATUS_LABELS)) {
    if (v === label || v === code) return code as RegistryStatusCode;
  }
  return STATUS_ALIASES[v] ?? null;
}

/** Causes separated by 、 ； ; ， , / or spaces; unknown labels are returned apart so the row can be refused. */
export function parsePovertyCauses(value: string): { causes: PovertyCauseCode[]; unknown: string[] } {
  const causes: PovertyCauseCode[] = [];
  const unknown: string[] = [];
  for (const part of value.split(/[、；;，,/\s\u3000]+/)) {
    const p = part.trim();
    if (!p) continue;
    const code =
      (Object.entries(POVERTY_CAUSE_LABELS).find(([c, label]) => p === label || p === c)?.[0] as
        PovertyCauseCode | undefined) ?? CAUSE_ALIASES[p];
    if (!code) unknown.push(p);
    else if (!causes.includes(code)) causes.push(code);
  }
  return { causes, unknown };
}

/**
 * Reads one data row, keyed by (normalised) header. Returns the household it describes, or every problem found,
 * each naming its column, so the clerk can fix the whole row at once.
 */
export function parseRegistryRow(
  record: Readonly<Record<string, string | undefined>>,
  today = todayInChina(),
): RegistryRowResult {
  const problems: RegistryRowProblem[] = [];
  const cell = (field: RegistryCsvField) => (record[REGISTRY_CSV_COLUMNS[field]] ?? '').trim();
  const required = (field: RegistryCsvField): string => {
    const v = cell(field);
    if (!v) {
      problems.push({ code: 'MISSING_VALUE', field, message: `“${REGISTRY_CSV_COLUMNS[field]}”不能为空` });
      return v;
    }
    const max = MAX_LENGTH[field];
    if (max !== undefined && [...v].length > max) {
      problems.push({ code: 'TOO_LONG', field, message: `“${REGISTRY_CSV_COLUMNS[field]}”最多 ${max} 个字` });
    }
    return v;
  };

  const headName = required('headName');

  const rawId = cell('idNumber');
  let idNumber = '';
  if (!rawId) {
    problems.push({ code: 'MISSING_VALUE', field: 'idNumber', message: '“身份证号”不能为空' });
  } else {
    const n = normaliseIdNumber(rawId);
    if (n.ok) idNumber = n.value;
    else problems.push({ code: 'INVALID_ID_NUMBER', field: 'idNumber', message: ID_NUMBER_MESSAGES[n.reason] });
  }

  const province = required('province');
  const city = required('city');
  const county = required('county');
  const township = required('township');
  const village = required('village');

  const rawSize = cell('householdSize');
  let householdSize = 0;
  if (!rawSize) {
    problems.push({ code: 'MISSING_VALUE', field: 'householdSize', message: '“家庭人口”不能为空' });
  } else if (!/^\d{1,3}$/.test(rawSize) || Number(rawSize) < 1 || Number(rawSize) > HOUSEHOLD_SIZE_MAX) {
    problems.push({
      code: 'INVALID_HOUSEHOLD_SIZE',
      field: 'householdSize',
      message: `“家庭人口”应为 1 到 ${HOUSEHOLD_SIZE_MAX} 之间的整数`,
    });
  } else {
    householdSize = Number(rawSize);
  }

  const { causes: povertyCauses, unknown } = parsePovertyCauses(cell('povertyCauses'));
  if (unknown.length) {
    problems.push({
      code: 'UNKNOWN_POVERTY_CAUSE',
      field: 'povertyCauses',
      message: `无法识别的致贫原因：${unknown.join('、')}（可选：${Object.values(POVERTY_CAUSE_LABELS).join('、')}）`,
    });
  }

  const rawStatus = cell('status');
  let status: RegistryStatusCode = 'none';
  if (!rawStatus) {
    problems.push({ code: 'MISSING_VALUE', field: 'status', message: '“状态”不能为空' });
  } else {
    const s = parseRegistryStatus(rawStatus);
    if (s) status = s;
    else
      problems.push({
        code: 'UNKNOWN_STATUS',
        field: 'status',
        message: `无法识别的状态“${rawStatus}”（可选：${Object.values(REGISTRY_STATUS_LABELS).join('、')}）`,
      });
  }

  const rawDate = cell('statusDate');
  const statusDate = normaliseCsvDate(rawDate);
  if (!rawDate) {
    problems.push({ code: 'MISSING_VALUE', field: 'statusDate', message: '“状态日期”不能为空' });
  } else if (!isCalendarDate(statusDate)) {
    problems.push({ code: 'INVALID_DATE', field: 'statusDate', message: '“状态日期”应为有效日期，格式 YYYY-MM-DD' });
  } else if (statusDate > today) {
    problems.push({ code: 'FUTURE_DATE', field: 'statusDate', message: '“状态日期”不能晚于今天' });
  }

  const reason = cell('reason');
  if ([...reason].length > (MAX_LENGTH.reason ?? 500)) {
    problems.push({ code: 'TOO_LONG', field: 'reason', message: '“原因”最多 500 个字' });
  }

  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    row: {
      headName,
      idNumber,
      province,
      city,
      county,
      township,
      village,
      householdSize,
      povertyCauses,
      status,
      statusDate,
      reason,
    },
  };
}

/** Quotes a CSV cell when it needs it (RFC 4180). */
function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * A template a clerk can open in Excel/WPS and fill in: the headers and two example rows with fictional people
 * and ID numbers that pass the checksum. UTF-8 with a BOM so Excel shows the Chinese correctly.
 */
export function registryCsvTemplate(): string {
  const id = (first17: string) => first17 + idNumberCheckChar(first17);
  const headers = Object.values(REGISTRY_CSV_COLUMNS);
  const rows = [
    [
      '王小明',
      id('61102619800101001'),
      '陕西省',
      '商洛市',
      '柞水县',
      '小岭镇',
      '金米村',
      '4',
      '因病、缺技术',
      '建档立卡',
      '2016-03-01',
      '识别为建档立卡户',
    ],
    [
      '李梅',
      id('34122519750615002'),
      '安徽省',
      '阜阳市',
      '阜南县',
      '公桥乡',
      '巩堰村',
      '3',
      '缺劳力',
      '防返贫监测',
      '2023-07-10',
      '',
    ],
  ];
  return '\uFEFF' + [headers, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
