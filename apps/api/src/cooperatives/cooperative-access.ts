import type { Principal } from '../auth/principal';
import { CooperativeErrorCode, CooperativeException } from './cooperatives.exception';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function cooperativeNotFound(): CooperativeException {
  return new CooperativeException(CooperativeErrorCode.COOPERATIVE_NOT_FOUND, 'cooperative not found');
}

/**
 * Scoping of the cooperative console. Someone who holds no role for this cooperative learns nothing about it
 * (404, the same answer as for a cooperative that does not exist); its hosts may read (403 on changes);
 * its coop_admins may do everything. Platform admins are not implied.
 */
export function assertCooperativeAccess(p: Principal, cooperativeId: string, mode: 'read' | 'manage'): void {
  if (!isUuid(cooperativeId)) throw cooperativeNotFound();
  if (p.hasFor(cooperativeId, 'coop_admin')) return;
  if (p.hasFor(cooperativeId, 'host')) {
    if (mode === 'read') return;
    throw new CooperativeException(
      CooperativeErrorCode.NOT_COOPERATIVE_ADMIN,
      "only the cooperative's admins can change this; hosts can read it",
    );
  }
  throw cooperativeNotFound();
}
