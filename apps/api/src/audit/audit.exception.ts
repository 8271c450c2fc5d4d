import { AppException } from '../common/app.exception';

export enum AuditErrorCode {
  COOPERATIVE_NOT_FOUND = 'COOPERATIVE_NOT_FOUND',
  USER_NOT_FOUND = 'USER_NOT_FOUND',
  AUDITOR_NOT_ASSIGNED = 'AUDITOR_NOT_ASSIGNED',
  /** Only approved cooperatives have books to audit. */
  COOPERATIVE_NOT_APPROVED = 'COOPERATIVE_NOT_APPROVED',
  FINDING_NOT_FOUND = 'FINDING_NOT_FOUND',
  FINDING_CLOSED = 'FINDING_CLOSED',
  /** Hosts may read findings; only the cooperative's admins answer them. */
  FINDINGS_READ_ONLY = 'FINDINGS_READ_ONLY',
  PAYOUT_NOT_FOUND = 'PAYOUT_NOT_FOUND',
  /** Only a paid payout not yet confirmed can be attested. */
  PAYOUT_NOT_ATTESTABLE = 'PAYOUT_NOT_ATTESTABLE',
  /** An auditor who is also staff of the cooperative may not attest or check its payouts. */
  CONFLICT_OF_INTEREST = 'CONFLICT_OF_INTEREST',
  /** The cooperative has no confirmed payouts to draw a call-back sample from. */
  NOTHING_TO_SAMPLE = 'NOTHING_TO_SAMPLE',
  CHECK_NOT_FOUND = 'CALLBACK_CHECK_NOT_FOUND',
  CHECK_ALREADY_RECORDED = 'CALLBACK_CHECK_ALREADY_RECORDED',
}

const STATUS: Record<AuditErrorCode, number> = {
  COOPERATIVE_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  AUDITOR_NOT_ASSIGNED: 404,
  COOPERATIVE_NOT_APPROVED: 409,
  FINDING_NOT_FOUND: 404,
  FINDING_CLOSED: 409,
  FINDINGS_READ_ONLY: 403,
  PAYOUT_NOT_FOUND: 404,
  PAYOUT_NOT_ATTESTABLE: 409,
  CONFLICT_OF_INTEREST: 403,
  NOTHING_TO_SAMPLE: 409,
  CALLBACK_CHECK_NOT_FOUND: 404,
  CALLBACK_CHECK_ALREADY_RECORDED: 409,
};

/** Errors of auditor assignment, audit reads and findings (问题线索). */
export class AuditException extends AppException {
  constructor(code: AuditErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, STATUS[code], message, undefined, undefined, details);
  }
}
