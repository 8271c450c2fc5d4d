import { z } from 'zod';
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
