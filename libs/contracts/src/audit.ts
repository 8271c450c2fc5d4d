import { z } from 'zod';
import type { PayoutChannel, PayoutConfirmMethod, PayoutConfirmRoute } from './payouts';
import type { RegistryStatus } from './registry';

/**
 * Auditors (审计员): assigned to cooperatives by a platform admin, they read everything of those cooperatives
 * (access-logged), download the ledger export and raise findings (问题线索) the cooperative answers and an
 * auditor closes.
 */

export const assignAuditorSchema = z.object({
  userId: z.uuid({ message: 'must be a user id' }),
});
export type AssignAuditorRequest = z.infer<typeof assignAuditorSchema>;

export interface AuditorView {
  userId: string;
  displayName: string;
  email: string | null;
  mobile: string | null;
  assignedAt: string;
}

export const FINDING_STATUSES = ['open', 'answered', 'closed'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** What a finding is about. */
export const FINDING_SUBJECT_TYPES = [
  'ledger_transaction',
  'order',
  'payout',
  'household',
  'settlement',
  'other',
] as const;
export type FindingSubjectType = (typeof FINDING_SUBJECT_TYPES)[number];

const text = (max: number) =>
  z
    .string({ message: 'is required' })
    .trim()
    .min(1, { message: 'is required' })
    .max(max, { message: `must be at most ${max} characters` });

export const findingSubjectSchema = z.object({
  type: z.enum(FINDING_SUBJECT_TYPES, { message: `must be one of ${FINDING_SUBJECT_TYPES.join(', ')}` }),
  /** e.g. a ledger seq, an order number, a payout id. */
  ref: z.string().trim().max(100, { message: 'must be at most 100 characters' }).default(''),
});
export type FindingSubject = z.infer<typeof findingSubjectSchema>;

export const createFindingSchema = z.object({
  title: text(120),
  body: text(5000),
  subject: findingSubjectSchema.default({ type: 'other', ref: '' }),
});
export type CreateFindingRequest = z.input<typeof createFindingSchema>;

export const answerFindingSchema = z.object({ answer: text(5000) });
export type AnswerFindingRequest = z.infer<typeof answerFindingSchema>;

export const closeFindingSchema = z.object({ note: text(2000) });
export type CloseFindingRequest = z.infer<typeof closeFindingSchema>;

export interface FindingView {
  id: string;
  cooperativeId: string;
  auditorId: string;
  auditorName: string | null;
  title: string;
  body: string;
  subject: FindingSubject;
  status: FindingStatus;
  answer: string | null;
  answeredAt: string | null;
  closingNote: string | null;
  closedAt: string | null;
  createdAt: string;
}

/** A cooperative an auditor is assigned to. */
export interface AuditCooperative {
  id: string;
  name: string;
  county: string;
  village: string;
  openFindings: number;
  assignedAt: string;
}

export interface AuditOverview {
  cooperative: {
    id: string;
    name: string;
    uscc: string;
    province: string;
    city: string;
    county: string;
    village: string;
    status: string;
  };
  orders: {
    byStatus: { status: string; count: number; totalFen: number }[];
    recent: { id: string; number: string; status: string; totalFen: number; paidAt: string | null }[];
  };
  settlements: {
    runs: { id: string; status: string; total: number; done: number; createdAt: string; finishedAt: string | null }[];
    transactions: { kind: string; count: number }[];
    /** Balance of every account of the cooperative, from the postings (debit positive, credit negative). */
    balances: { account: string; balanceFen: number }[];
    lastSeq: number;
    lastHash: string | null;
  };
  payouts: {
    byStatus: { status: string; count: number; totalFen: number }[];
    unconfirmedFlagged: number;
    confirmDays: number;
    batches: number;
  };
  /** Member households with their clear names: this read is written to the personal-data access log. */
  members: {
    householdId: string;
    headName: string;
    village: string;
    registryStatus: RegistryStatus;
    shareUnits: number;
    joinedAt: string;
    leftAt: string | null;
    owedFen: number;
  }[];
  findings: { open: number; answered: number; closed: number };
}

// ---------- Payout confirmation in person (现场确认) and call-back checks (回访抽查) ----------

/** An auditor of the cooperative attests that the household confirmed receipt in front of them. */
export const attestPayoutSchema = z.object({
  /** Where and how: e.g. "村委会，户主本人出示身份证，确认收到". */
  note: text(500),
});
export type AttestPayoutRequest = z.infer<typeof attestPayoutSchema>;

/** A paid, unconfirmed payout as the assigned auditor sees it to attest (clear name: the read is access-logged). */
export interface PayoutToAttest {
  id: string;
  householdId: string;
  headName: string;
  idNumberMasked: string;
  village: string;
  amountFen: number;
  channel: PayoutChannel | null;
  reference: string | null;
  paidOn: string | null;
  confirmRoute: PayoutConfirmRoute | null;
  smsToMasked: string | null;
}

export interface AttestationView {
  payoutId: string;
  confirmedAt: string;
  confirmMethod: PayoutConfirmMethod;
  attestedBy: string;
  note: string;
}

export const CALLBACK_SAMPLE_MAX = 50;
export const createCallbackSampleSchema = z.object({
  size: z
    .number({ message: 'must be a whole number' })
    .int({ message: 'must be a whole number' })
    .min(1, { message: 'must be at least 1' })
    .max(CALLBACK_SAMPLE_MAX, { message: `must be at most ${CALLBACK_SAMPLE_MAX}` }),
});
export type CreateCallbackSampleRequest = z.infer<typeof createCallbackSampleSchema>;

export const CALLBACK_OUTCOMES = ['confirmed', 'disputed', 'unreachable'] as const;
export type CallbackOutcome = (typeof CALLBACK_OUTCOMES)[number];
/** 电话回访 / 上门回访. */
export const CALLBACK_VIA = ['phone', 'visit'] as const;
export type CallbackVia = (typeof CALLBACK_VIA)[number];

export const recordCallbackSchema = z.object({
  outcome: z.enum(CALLBACK_OUTCOMES, { message: `must be one of ${CALLBACK_OUTCOMES.join(', ')}` }),
  via: z.enum(CALLBACK_VIA, { message: `must be one of ${CALLBACK_VIA.join(', ')}` }),
  note: z.string().trim().max(2000, { message: 'must be at most 2000 characters' }).default(''),
});
export type RecordCallbackRequest = z.input<typeof recordCallbackSchema>;

export interface CallbackCheckView {
  id: string;
  payoutId: string;
  householdId: string;
  householdNameMasked: string;
  village: string;
  amountFen: number;
  paidOn: string | null;
  confirmMethod: PayoutConfirmMethod | null;
  confirmedAt: string | null;
  outcome: CallbackOutcome | 'pending';
  via: CallbackVia | null;
  note: string;
  checkedBy: string | null;
  checkedAt: string | null;
  /** The finding a disputed outcome raised. */
  findingId: string | null;
}

export interface CallbackSampleView {
  id: string;
  cooperativeId: string;
  auditorId: string;
  auditorName: string | null;
  /** How many were asked for, how many confirmed payouts there were to draw from, how many were drawn. */
  requestedSize: number;
  population: number;
  drawn: number;
  drawnAt: string;
  checks: CallbackCheckView[];
}

/** Who to call or visit for one check: the registry's phone in full (the read is access-logged). */
export interface CallbackContact {
  checkId: string;
  householdId: string;
  headName: string;
  village: string;
  phone: string | null;
}
