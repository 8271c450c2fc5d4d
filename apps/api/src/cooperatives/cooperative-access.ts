import type { Principal } from '../auth/principal';
import { cooperativeScope, isUuid } from '../common/cooperative-scope';
import { CooperativeErrorCode, CooperativeException } from './cooperatives.exception';

export { isUuid };

export function cooperativeNotFound(): CooperativeException {
  return new CooperativeException(CooperativeErrorCode.COOPERATIVE_NOT_FOUND, 'cooperative not found');
}

/**
 * Scoping of the cooperative console. Someone who holds no role for this cooperative learns nothing about it
 * (404, the same answer as for a cooperative that does not exist); its hosts may read (403 on changes);
 * its coop_admins may do everything. Platform admins are not implied.
 */
export function assertCooperativeAccess(p: Principal, cooperativeId: string, mode: 'read' | 'manage'): void {
  const scope = cooperativeScope(p, cooperativeId, mode);
  if (scope === 'not_found') throw cooperativeNotFound();
  if (scope === 'forbidden') {
    throw new CooperativeException(
      CooperativeErrorCode.NOT_COOPERATIVE_ADMIN,
      "only the cooperative's admins can change this; hosts can read it",
    );
  }
}
