import type { Principal } from '../auth/principal';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: string): boolean => UUID.test(v);

/**
 * The one rule of cooperative scoping: its coop_admins manage, its hosts read, everyone else learns nothing
 * (a feature answers 'not_found' with 404, the same as for an id that does not exist; 'forbidden' with 403).
 * Platform admins are not implied: they act through their own routes.
 */
export function cooperativeScope(
  p: Principal,
  cooperativeId: string,
  mode: 'read' | 'manage',
): 'ok' | 'forbidden' | 'not_found' {
  if (!isUuid(cooperativeId)) return 'not_found';
  if (p.hasFor(cooperativeId, 'coop_admin')) return 'ok';
  if (p.hasFor(cooperativeId, 'host')) return mode === 'read' ? 'ok' : 'forbidden';
  return 'not_found';
}
