import type { Principal } from '../auth/principal';
import { cooperativeScope, isUuid } from '../common/cooperative-scope';
import { LedgerErrorCode, LedgerException } from './ledger.exception';

/** Console scoping: coop_admins manage, hosts read, everyone else learns nothing (404). */
export function assertCoopScope(p: Principal, cooperativeId: string, mode: 'read' | 'manage'): void {
  const s = cooperativeScope(p, cooperativeId, mode);
  if (s === 'not_found') throw new LedgerException(LedgerErrorCode.COOPERATIVE_NOT_FOUND, 'cooperative not found');
  if (s === 'forbidden')
    throw new LedgerException(LedgerErrorCode.NOT_COOPERATIVE_ADMIN, "only the cooperative's admins can do this");
}

/** The ledger export: the cooperative's admins and the auditors assigned to it; the role it is read in. */
export function exportRole(p: Principal, cooperativeId: string): 'coop_admin' | 'auditor' {
  if (isUuid(cooperativeId)) {
    if (p.hasFor(cooperativeId, 'coop_admin')) return 'coop_admin';
    if (p.roles.some((r) => r.role === 'auditor' && r.cooperativeId === cooperativeId)) return 'auditor';
  }
  throw new LedgerException(LedgerErrorCode.COOPERATIVE_NOT_FOUND, 'cooperative not found');
}

/**
 * SQL: a household's registry status on a calendar day — its latest status event effective on or before that
 * day; 'none' if its events all start later; its current status if it has no events at all.
 */
export function statusAsOfSql(household: string, day: string): string {
  return `COALESCE(
    (SELECT e.status FROM household_status_events e WHERE e.household_id = ${household}.id AND e.effective_date <= ${day}
      ORDER BY e.effective_date DESC, e.recorded_at DESC LIMIT 1),
    CASE WHEN EXISTS (SELECT 1 FROM household_status_events e2 WHERE e2.household_id = ${household}.id) THEN 'none' ELSE ${household}.status END)`;
}
