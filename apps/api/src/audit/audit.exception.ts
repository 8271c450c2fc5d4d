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
}

const STATUS: Record<AuditErrorCode, number> = {
  COOPERATIVE_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  AUDITOR_NOT_ASSIGNED: 404,
  COOPERATIVE_NOT_APPROVED: 409,
  FINDING_NOT_FOUND: 404,
  FINDING_CLOSED: 409,
  FINDINGS_READ_ONLY: 403,
};

/** Errors of auditor assignment, audit reads and findings (问题线索). */
export class AuditException extends AppException {
  constructor(code: AuditErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, STATUS[code], message, undefined, undefined, details);
  }
}
