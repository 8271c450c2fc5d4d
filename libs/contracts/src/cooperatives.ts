import { normaliseUscc } from '@xiangbo/domain';
import { z } from 'zod';
import { MOBILE_PATTERN } from './auth';
import {
  COOPERATIVE_STATUSES,
  LABOUR_ROLES,
  STAFF_ROLES,
  type CooperativeStatus,
  type LabourRole,
  type Region,
  type RegistryStatus,
  type StaffRole,
} from './registry';

/** Cooperatives, their staff and their member households: requests (zod) and responses (types). */

const text = (max: number) =>
  z
    .string({ message: 'is required' })
    .trim()
    .min(1, { message: 'is required' })
    .max(max, { message: `must be at most ${max} characters` });

/** Mobile (13800138000) or landline with area code (0914-1234567). */
export const CONTACT_PHONE_PATTERN = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;

export const regionSchema = z.object({
  province: text(20),
  city: text(30),
  county: text(30),
  township: text(30),
  village: text(30),
});

/** 统一社会信用代码: normalised (spaces removed, upper case), then format and GB 32100 check character. */
export const usccSchema = z
  .string({ message: 'is required' })
  .transform((s) => s.replace(/\s+/g, '').toUpperCase())
  .superRefine((s, ctx) => {
    if (s === '') {
      ctx.addIssue({ code: 'custom', message: 'is required', params: { reason: 'required' } });
      return;
    }
    const r = normaliseUscc(s);
    if (!r.ok) {
      ctx.addIssue({
        code: 'custom',
        message:
          r.reason === 'format'
            ? 'must be 18 characters: digits and capital letters except I, O, S, V, Z'
            : 'the check character does not match: a character is mistyped',
        params: { reason: r.reason },
      });
    }
  });

const contactPhone = z
  .string({ message: 'is required' })
  .trim()
  .regex(CONTACT_PHONE_PATTERN, { message: 'must be a mobile number or a landline with its area code' });

export const STORY_MAX = 5000;
const story = z
  .string()
  .trim()
  .max(STORY_MAX, { message: `must be at most ${STORY_MAX} characters` });

export const cooperativeApplicationSchema = regionSchema.extend({
  name: z
    .string({ message: 'is required' })
    .trim()
    .min(2, { message: 'must be at least 2 characters' })
    .max(100, { message: 'must be at most 100 characters' }),
  uscc: usccSchema,
  story: story.default(''),
  contactName: text(40),
  contactPhone,
});
export type CooperativeApplicationRequest = z.input<typeof cooperativeApplicationSchema>;
export type CooperativeApplication = z.output<typeof cooperativeApplicationSchema>;

/**
 * What a cooperative may change itself after approval. Name, USCC and region are those of the registered legal
 * entity (the platform checked them against the licence) and the status belongs to the platform: none of them
 * can be changed here; unknown keys are dropped.
 */
export const updateCooperativeProfileSchema = z.object({
  story: story.optional(),
  contactName: text(40).optional(),
  contactPhone: contactPhone.optional(),
});
export type UpdateCooperativeProfileRequest = z.infer<typeof updateCooperativeProfileSchema>;

export const rejectApplicationSchema = z.object({
  reason: z
    .string({ message: 'is required' })
    .trim()
    .min(1, { message: 'is required' })
    .max(500, { message: 'must be at most 500 characters' }),
});
export type RejectApplicationRequest = z.infer<typeof rejectApplicationSchema>;

const page = z.coerce.number().int().min(1).max(10_000).default(1);
const pageSize = (max: number, dflt: number) => z.coerce.number().int().min(1).max(max).default(dflt);

export const adminApplicationsQuerySchema = z.object({
  status: z.enum(COOPERATIVE_STATUSES).optional(),
  page,
  pageSize: pageSize(100, 20),
});
export type AdminApplicationsQuery = z.infer<typeof adminApplicationsQuerySchema>;

export const publicCooperativesQuerySchema = z.object({
  /** Part of the name, county, township or village. */
  q: z.string().trim().max(50).optional(),
  province: z.string().trim().max(20).optional(),
  page,
  pageSize: pageSize(50, 20),
});
export type PublicCooperativesQuery = z.infer<typeof publicCooperativesQuerySchema>;

/** An application as its applicant sees it (GET /api/cooperatives/mine/applications). */
export interface MyCooperativeApplication extends Region {
  id: string;
  name: string;
  uscc: string;
  status: CooperativeStatus;
  /** Why it was rejected (null while pending or once approved). */
  reviewReason: string | null;
  logoUrl: string | null;
  createdAt: string;
  reviewedAt: string | null;
}

/** An application as a platform admin reviews it. */
export interface AdminCooperativeApplication extends MyCooperativeApplication {
  story: string;
  contactName: string;
  contactPhone: string;
  applicant: { id: string; displayName: string; email: string | null; mobile: string | null };
}

/** One card of the public list (GET /api/cooperatives). */
export interface PublicCooperativeSummary extends Region {
  id: string;
  name: string;
  storySnippet: string;
  logoUrl: string | null;
  /** Published products. */
  productCount: number;
}

/** The public cooperative page (GET /api/cooperatives/:id): aggregates only, never a member's name. */
export interface PublicCooperative extends Region {
  id: string;
  name: string;
  story: string;
  /** The contact of the legal entity, as on its licence and shop front. */
  contactName: string;
  /** Masked (138****8000): the full number is for the cooperative's console and the platform only. */
  contactPhone: string;
  logoUrl: string | null;
  /** Households that are members now. */
  memberCount: number;
  /** Of those, households whose registry status is registered (建档立卡) or monitored (防返贫监测). */
  registeredOrMonitoredMemberCount: number;
  productCount: number;
  approvedAt: string | null;
}

/** The cooperative in its own console. */
export interface ConsoleCooperative extends Region {
  id: string;
  name: string;
  uscc: string;
  status: CooperativeStatus;
  story: string;
  contactName: string;
  contactPhone: string;
  logoUrl: string | null;
  approvedAt: string | null;
  /** True for its coop_admins; hosts can read but not change. */
  canManage: boolean;
}

// ---------- Staff ----------

export const createInvitationSchema = z.object({
  /** E-mail (stored lower-cased) or mainland mobile number of the person invited. */
  identifier: z
    .string({ message: 'is required' })
    .trim()
    .min(1, { message: 'is required' })
    .max(254, { message: 'must be at most 254 characters' })
    .transform((s) => (s.includes('@') ? s.toLowerCase() : s.replace(/[\s-]/g, '')))
    .refine((s) => (s.includes('@') ? z.email().safeParse(s).success : MOBILE_PATTERN.test(s)), {
      message: 'must be an e-mail address or an 11-digit mainland mobile number',
    }),
  role: z.enum(STAFF_ROLES, { message: 'must be host or coop_admin' }),
});
export type CreateInvitationRequest = z.input<typeof createInvitationSchema>;

export interface StaffMember {
  userId: string;
  displayName: string;
  email: string | null;
  mobile: string | null;
  roles: StaffRole[];
  since: string;
}

export interface StaffInvitationView {
  id: string;
  identifier: string;
  role: StaffRole;
  invitedBy: string;
  invitedAt: string;
}

export interface CooperativeStaff {
  staff: StaffMember[];
  invitations: StaffInvitationView[];
}

/** An open invitation addressed to the signed-in user (GET /api/invitations). */
export interface MyInvitation {
  id: string;
  cooperativeId: string;
  cooperativeName: string;
  role: StaffRole;
  invitedAt: string;
}

// ---------- Members ----------

/** A calendar date, YYYY-MM-DD, that exists. */
export const isoDateSchema = z
  .string({ message: 'is required' })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date like 2025-03-01' })
  .refine(
    (s) => {
      const d = new Date(`${s}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s && s >= '1949-10-01';
    },
    { message: 'is not a valid date' },
  );

export const SHARE_UNITS_MAX = 1_000_000;
/** 100,000 亩 in hundredths. */
export const LAND_MU_HUNDREDTHS_MAX = 10_000_000;

const shareUnits = z
  .number({ message: 'must be a whole number' })
  .int({ message: 'must be a whole number' })
  .min(0, { message: 'must not be negative' })
  .max(SHARE_UNITS_MAX, { message: `must be at most ${SHARE_UNITS_MAX}` });
const landMuHundredths = z
  .number({ message: 'must be a whole number of hundredths of a mu' })
  .int({ message: 'must be a whole number of hundredths of a mu' })
  .min(0, { message: 'must not be negative' })
  .max(LAND_MU_HUNDREDTHS_MAX, { message: 'is too large' });
const labourRole = z.enum(LABOUR_ROLES, { message: `must be one of ${LABOUR_ROLES.join(', ')}` });

export const linkMemberSchema = z.object({
  /** The head of household's resident ID number: only used to find the registry household, never stored. */
  idNumber: z
    .string({ message: 'is required' })
    .trim()
    .min(1, { message: 'is required' })
    .max(30, { message: 'must be at most 30 characters' }),
  shareUnits: shareUnits.default(0),
  landMuHundredths: landMuHundredths.default(0),
  labourRole: labourRole.default('none'),
  joinedAt: isoDateSchema,
});
export type LinkMemberRequest = z.input<typeof linkMemberSchema>;

/** What a cooperative may change of a membership: never the household, its registry status or the dates. */
export const updateMemberSchema = z.object({
  shareUnits: shareUnits.optional(),
  landMuHundredths: landMuHundredths.optional(),
  labourRole: labourRole.optional(),
});
export type UpdateMemberRequest = z.infer<typeof updateMemberSchema>;

export const leaveMemberSchema = z.object({ leftAt: isoDateSchema });
export type LeaveMemberRequest = z.infer<typeof leaveMemberSchema>;

export const MEMBER_STATES = ['active', 'left', 'all'] as const;
export const membersQuerySchema = z.object({
  state: z.enum(MEMBER_STATES).default('active'),
  page,
  pageSize: pageSize(200, 50),
});
export type MembersQuery = z.infer<typeof membersQuerySchema>;

/** A member household in the cooperative console: masked name and ID, registry status read-only. */
export interface MemberView {
  id: string;
  householdId: string;
  /** Always masked (王*明), for staff too. */
  headName: string;
  /** 6101**********1234: tells two households with the same masked name apart. */
  idNumberMasked: string;
  village: string;
  registryStatus: RegistryStatus;
  shareUnits: number;
  landMuHundredths: number;
  /** The same land as a decimal string of mu, e.g. "1.25". */
  landMu: string;
  labourRole: LabourRole;
  joinedAt: string;
  leftAt: string | null;
}

/** Hundredths of a mu → "1.25" (no float arithmetic). */
export function formatLandMu(hundredths: number): string {
  const sign = hundredths < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(hundredths));
  const whole = Math.floor(abs / 100);
  const frac = abs % 100;
  return `${sign}${whole}${frac === 0 ? '' : `.${String(frac).padStart(2, '0').replace(/0$/, '')}`}`;
}

/** "1.25" or "1.5" or "3" (mu) → hundredths, or null when it is not a non-negative number with at most 2 decimals. */
export function parseLandMu(text: string): number | null {
  const m = /^\s*(\d{1,7})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
