import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { CooperativeRole, Role, RoleGrant } from '@xiangbo/contracts';

/** Who is calling, as established by the AccessGuard from the access token and the roles in the database. */
export class Principal {
  constructor(
    readonly userId: string,
    readonly roles: RoleGrant[],
  ) {}

  has(role: Role): boolean {
    return this.roles.some((r) => r.role === role);
  }

  /** True when the caller holds one of `roles` for this cooperative (platform admins are not implied). */
  hasFor(cooperativeId: string, ...roles: CooperativeRole[]): boolean {
    return this.roles.some((r) => r.cooperativeId === cooperativeId && (roles as Role[]).includes(r.role));
  }

  cooperativesWith(...roles: CooperativeRole[]): string[] {
    return [
      ...new Set(
        this.roles
          .filter((r) => r.cooperativeId && (roles as Role[]).includes(r.role))
          .map((r) => r.cooperativeId as string),
      ),
    ];
  }
}

export type AuthedRequest = { principal?: Principal };

/** The signed-in caller; only on routes whose policy requires sign-in (undefined on public routes when signed out). */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext) => {
  const req = ctx.switchToHttp().getRequest<AuthedRequest>();
  return req.principal;
});
