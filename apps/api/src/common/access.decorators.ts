import { SetMetadata } from '@nestjs/common';
import type { Role } from '@xiangbo/contracts';

/**
 * Every route declares who may call it; the global AccessGuard denies a route that declares nothing.
 * - `@Public()`: anyone, signed in or not.
 * - `@SignedIn()`: any signed-in user.
 * - `@Roles('platform_admin')`: signed in and holding one of the roles (cooperative roles: for any cooperative;
 *   the service then checks the cooperative itself).
 */
export const ACCESS_KEY = 'xb:access';
export type AccessPolicy = { kind: 'public' } | { kind: 'signed-in' } | { kind: 'roles'; roles: Role[] };

export const Public = () => SetMetadata(ACCESS_KEY, { kind: 'public' } satisfies AccessPolicy);
export const SignedIn = () => SetMetadata(ACCESS_KEY, { kind: 'signed-in' } satisfies AccessPolicy);
export const Roles = (...roles: Role[]) => SetMetadata(ACCESS_KEY, { kind: 'roles', roles } satisfies AccessPolicy);
