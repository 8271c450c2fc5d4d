export const ROLES = ['buyer', 'host', 'coop_admin', 'auditor', 'platform_admin'] as const;
export type Role = (typeof ROLES)[number];
/** Roles held for one cooperative; the others (buyer, platform_admin) are platform-wide. */
export const COOPERATIVE_ROLES = ['host', 'coop_admin', 'auditor'] as const satisfies readonly Role[];
export type CooperativeRole = (typeof COOPERATIVE_ROLES)[number];

/** Whether `me` holds the role (for that cooperative, when one is given). */
export function hasRole(
  me: { roles: readonly { role: Role; cooperativeId: string | null }[] } | null | undefined,
  role: Role,
  cooperativeId?: string,
): boolean {
  if (!me) return false;
  return me.roles.some((g) => g.role === role && (cooperativeId === undefined || g.cooperativeId === cooperativeId));
}
