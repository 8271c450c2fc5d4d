import { z } from 'zod';
import { isoDateSchema } from './cooperatives';

/** Most lines one paste or CSV may link at once. */
export const BULK_MEMBERS_MAX_LINES = 1000;

/**
 * POST /api/console/cooperatives/:id/members/bulk: many households linked at once from pasted lines or a CSV
 * (`ID number[, share units[, land in mu]]` a line; a header line and blank lines are skipped). `commit: false`
 * answers the report without writing anything (the preview); `commit: true` links every line the report marks
 * `ok`, in one transaction, and reports each line again.
 */
export const bulkLinkMembersSchema = z.object({
  text: z
    .string({ message: 'is required' })
    .min(1, { message: 'is required' })
    .max(200_000, { message: 'must be at most 200000 characters' }),
  joinedAt: isoDateSchema,
  commit: z.boolean({ message: 'must be true or false' }).default(false),
});
export type BulkLinkMembersRequest = z.input<typeof bulkLinkMembersSchema>;

/**
 * The verdict on one line: `ok` (will be linked), `linked` (was linked now), `already_member` (of this cooperative),
 * `member_elsewhere` (an active member of another cooperative), `not_in_registry` (the platform's registry has no
 * such household: only the platform adds households), `invalid_id` (not a valid resident ID number: `reason`
 * says which check failed), `invalid_values` (shares or land not a number), `duplicate` (the same ID earlier in
 * the list).
 */
export const BULK_MEMBER_STATUSES = [
  'ok',
  'linked',
  'already_member',
  'member_elsewhere',
  'not_in_registry',
  'invalid_id',
  'invalid_values',
  'duplicate',
] as const;
export type BulkMemberStatus = (typeof BULK_MEMBER_STATUSES)[number];

export interface BulkMemberRow {
  /** 1-based line number in the text as sent. */
  line: number;
  /** The ID number masked (1101**********1234); never the whole number. */
  idMasked: string;
  status: BulkMemberStatus;
  /** For invalid_id: format | birth_date | checksum. For member_elsewhere: the other cooperative's name. */
  reason?: string;
  /** The household head's masked name (王*明), when the registry has the household. */
  headMasked?: string;
  shareUnits: number;
  landMuHundredths: number;
}

export interface BulkLinkMembersResponse {
  committed: boolean;
  rows: BulkMemberRow[];
  /** Lines that are (or were, when committed) linked. */
  linkable: number;
  linked: number;
  /** Lines skipped: blank or a header. */
  skipped: number;
}
