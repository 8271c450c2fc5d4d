import type { RoleGrant } from '@xiangbo/contracts';
import { isUuid } from '../common/cooperative-scope';

export type ShowAccess = 'manage' | 'read' | 'none';

/**
 * Who may do what with a show: its cooperative's coop_admins and the show's own host run it ('manage'); the
 * cooperative's other hosts may look at it in the console ('read' → 403 on changes); everybody else learns
 * nothing ('none' → 404 in the console, FORBIDDEN for host actions in the room).
 * Platform admins are not implied (they act through their own routes).
 */
export function showAccess(
  userId: string | null,
  roles: RoleGrant[],
  show: { cooperativeId: string; hostId: string },
): ShowAccess {
  if (!userId || !isUuid(show.cooperativeId)) return 'none';
  const has = (role: string) => roles.some((r) => r.cooperativeId === show.cooperativeId && r.role === role);
  if (has('coop_admin')) return 'manage';
  if (has('host')) return show.hostId === userId ? 'manage' : 'read';
  return 'none';
}
