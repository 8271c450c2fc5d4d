import { z } from 'zod';
import { POVERTY_CAUSES, REGISTRY_STATUSES, type PovertyCause, type RegistryStatus } from './registry';

/**
 * The household registry (platform admins only): request schemas and response shapes.
 * ID numbers travel only in create and search requests; responses carry the masked form (6101**********1234).
 */

const text = (max: number) =>
  z
    .string({ message: 'is required' })
    .trim()
    .min(1, { message: 'is required' })
    .max(max, { message: `must be at most ${max} characters` });

/** Registry dates are local dates in China (UTC+8). */
function todayInChina(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

function isCalendarDate(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return Number(m[1]) >= 1900 && d.toISOString().slice(0, 10) === v;
}

/** A real date written YYYY-MM-DD, not after today. */
export const registryDateSchema = z
  .string({ message: 'is required' })
  .trim()
  .refine(isCalendarDate, { message: 'must be a real date written YYYY-MM-DD' })
  .refine((v) => v <= todayInChina(), { message: 'must not be in the future' });

const householdSize = z
  .number({ message: 'must be a whole number from 1 to 30' })
  .int({ message: 'must be a whole number from 1 to 30' })
  .min(1, { message: 'must be a whole number from 1 to 30' })
  .max(30, { message: 'must be a whole number from 1 to 30' });

const povertyCauses = z
  .array(z.enum(POVERTY_CAUSES, { message: `must be one of ${POVERTY_CAUSES.join(', ')}` }))
  .max(POVERTY_CAUSES.length)
  .transform((v) => [...new Set(v)]);

const registryStatus = z.enum(REGISTRY_STATUSES, { message: `must be one of ${REGISTRY_STATUSES.join(', ')}` });

/** What a platform admin may change on a household with PATCH (never the ID number, never the status). */
const householdFields = {
  headName: text(40),
  province: text(20),
  city: text(30),
  county: text(30),
  township: text(30),
  village: text(30),
  householdSize,
  povertyCauses,
};

export const createHouseholdRequestSchema = z.object({
  ...householdFields,
  povertyCauses: povertyCauses.default([]),
  /** 18-digit resident ID number; validated (format, birth date, checksum) and stored only as a keyed hash + mask. */
  idNumber: text(30),
  status: registryStatus,
  statusEffectiveDate: registryDateSchema,
  statusReason: z.string().trim().max(500, { message: 'must be at most 500 characters' }).default(''),
});
export type CreateHouseholdRequest = z.infer<typeof createHouseholdRequestSchema>;

export const updateHouseholdRequestSchema = z
  .object(householdFields)
  .partial()
  .refine((v) => Object.values(v).some((x) => x !== undefined), {
    message: 'nothing to change',
    path: ['body'],
  });
export type UpdateHouseholdRequest = z.infer<typeof updateHouseholdRequestSchema>;

export const statusEventRequestSchema = z.object({
  status: registryStatus,
  effectiveDate: registryDateSchema,
  reason: text(500),
});
export type StatusEventRequest = z.infer<typeof statusEventRequestSchema>;

const page = z.coerce.number({ message: 'must be a page number' }).int().min(1).default(1);
const pageSize = z.coerce.number().int().min(1).max(100).default(20);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));

export const householdSearchQuerySchema = z.object({
  /** Head of household's name (part of it), or a whole ID number (matched by its keyed hash). */
  q: optionalText(100),
  village: optionalText(30),
  status: z.preprocess((v) => (v === '' ? undefined : v), registryStatus.optional()),
  page,
  pageSize,
});
export type HouseholdSearchQuery = z.infer<typeof householdSearchQuerySchema>;

export const accessLogQuerySchema = z.object({
  actorId: z.preprocess((v) => (v === '' ? undefined : v), z.uuid({ message: 'must be a user id' }).optional()),
  householdId: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.uuid({ message: 'must be a household id' }).optional(),
  ),
  action: optionalText(40),
  from: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().refine(isCalendarDate, { message: 'must be a date YYYY-MM-DD' }).optional(),
  ),
  to: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().refine(isCalendarDate, { message: 'must be a date YYYY-MM-DD' }).optional(),
  ),
  page,
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type AccessLogQuery = z.infer<typeof accessLogQuerySchema>;

export const registryImportQuerySchema = z.object({
  /** Validate and report without writing anything. */
  dryRun: z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .optional()
    .transform((v) => v === 'true' || v === '1'),
});

/** The CSV import's size limit (the file, in bytes) and row limit. */
export const REGISTRY_IMPORT_MAX_BYTES = 5 * 1024 * 1024;
export const REGISTRY_IMPORT_MAX_ROWS = 20_000;

export const HOUSEHOLD_ERROR_CODES = [
  'HOUSEHOLD_NOT_FOUND',
  'DUPLICATE_ID_NUMBER',
  'FILE_REQUIRED',
  'NOT_CSV',
  'UNSUPPORTED_ENCODING',
  'MALFORMED_CSV',
  'MISSING_HEADERS',
  'TOO_MANY_ROWS',
  'EMPTY_FILE',
] as const;
export type HouseholdErrorCode = (typeof HOUSEHOLD_ERROR_CODES)[number];

/** A mainland mobile number: 11 digits starting with 1[3-9] (spaces, dashes and a +86 prefix are dropped). */
export const HOUSEHOLD_PHONE_PATTERN = /^1[3-9]\d{9}$/;

/**
 * The household's phone in the registry: set by platform admins only (the number confirmation codes go to);
 * `null` removes it (the household then confirms payouts in front of an assigned auditor).
 */
export const householdPhoneSchema = z.object({
  phone: z.preprocess(
    (v) => (typeof v === 'string' ? v.replace(/[\s-]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '') : v),
    z
      .string({ message: 'must be an 11-digit mobile number or null' })
      .regex(HOUSEHOLD_PHONE_PATTERN, { message: 'must be an 11-digit mainland mobile number (1[3-9]…)' })
      .nullable(),
  ),
});
export type HouseholdPhoneRequest = z.infer<typeof householdPhoneSchema>;

/** The full number, for a platform admin who asked to see it (the read is access-logged). */
export interface HouseholdPhoneView {
  householdId: string;
  phone: string | null;
  phoneMasked: string | null;
}

/** A household as platform admins see it: the name in clear (they need it), the ID number masked. */
export interface HouseholdSummary {
  id: string;
  headName: string;
  idNumberMasked: string;
  province: string;
  city: string;
  county: string;
  township: string;
  village: string;
  householdSize: number;
  povertyCauses: PovertyCause[];
  status: RegistryStatus;
  /** The household's phone as the registry keeps it, masked (138****1234); null when none is recorded. */
  phoneMasked: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface HouseholdStatusEventView {
  id: string;
  status: RegistryStatus;
  effectiveDate: string;
  reason: string;
  recordedBy: { id: string; displayName: string | null };
  recordedAt: string;
}

export interface HouseholdMembershipView {
  cooperativeId: string;
  cooperativeName: string;
  joinedAt: string;
}

export interface HouseholdDetail extends HouseholdSummary {
  /** Oldest first by effective date (then by when it was recorded); the last one is the current status. */
  history: HouseholdStatusEventView[];
  /** The cooperative it is an active member of, if any. */
  membership: HouseholdMembershipView | null;
}

export type RegistryImportRefusalCode =
  | 'MISSING_VALUE'
  | 'TOO_LONG'
  | 'INVALID_ID_NUMBER'
  | 'INVALID_HOUSEHOLD_SIZE'
  | 'UNKNOWN_POVERTY_CAUSE'
  | 'UNKNOWN_STATUS'
  | 'INVALID_DATE'
  | 'FUTURE_DATE'
  | 'DUPLICATE_ID_NUMBER';

export interface RegistryImportRowReport {
  /** Line number in the file (the header is line 1). */
  row: number;
  /** In a dry run, 'imported' means "would be imported". */
  status: 'imported' | 'refused';
  /** The head of household's name as written in the file (platform admins only). */
  headName?: string;
  householdId?: string;
  reason?: {
    /** The first problem's code. */
    code: RegistryImportRefusalCode;
    /** Every problem of the row, in Chinese, naming the column. */
    message: string;
    /** Columns (API field names) with a problem. */
    fields: string[];
    /** For a duplicate of a household already in the registry. */
    existingHouseholdId?: string;
    /** For a duplicate of an earlier line of the same file. */
    duplicateOfRow?: number;
  };
}

export interface RegistryImportReport {
  dryRun: boolean;
  encoding: 'utf-8' | 'gbk';
  total: number;
  imported: number;
  refused: number;
  rows: RegistryImportRowReport[];
}

export interface AccessLogEntry {
  id: string;
  at: string;
  actorId: string;
  actorName: string | null;
  actorRole: string;
  householdId: string | null;
  /** Masked (王*明): reading the log is not a read of the household's personal data. */
  householdNameMasked: string | null;
  action: string;
  detail: string;
}
