import { hasRole, type Me, type Role } from '@xiangbo/contracts';

/** The back-office areas and who may enter them. The pages behind them are placeholders for now. */
export const CONSOLE_AREAS = [
  { id: 'console', path: '/console', roles: ['host', 'coop_admin'] },
  { id: 'audit', path: '/audit', roles: ['auditor'] },
  { id: 'admin', path: '/admin', roles: ['platform_admin'] },
] as const satisfies readonly { id: string; path: string; roles: readonly Role[] }[];

export type ConsoleArea = (typeof CONSOLE_AREAS)[number];
export type ConsoleAreaId = ConsoleArea['id'];

export function hasAnyRole(me: Pick<Me, 'roles'> | null | undefined, roles: readonly Role[]): boolean {
  return roles.some((role) => hasRole(me, role));
}

export function consoleAreasFor(me: Pick<Me, 'roles'> | null | undefined): ConsoleArea[] {
  return CONSOLE_AREAS.filter((area) => hasAnyRole(me, area.roles));
}
