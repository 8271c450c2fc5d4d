import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ACCESS_KEY, AccessPolicy } from '../common/access.decorators';
import { UsersService } from '../users/users.service';
import { AuthErrorCode, AuthException } from './auth.exception';
import { AuthedRequest, Principal } from './principal';
import { TokensService } from './tokens.service';

/**
 * Global guard: deny by default. A route must declare @Public(), @SignedIn() or @Roles(...); one that declares
 * nothing answers 403 and is reported, and a test walks every route to make sure none is missing a policy.
 * Roles are read from the database for each call (grouped with the calls of the same moment, never cached), so a
 * revoked role stops working at once.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger('AccessGuard');

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokensService,
    private readonly users: UsersService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true; // socket gateways authorise from the handshake themselves
    const policy = this.reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_KEY, [
      ctx.getHandler(),
      ctx.getClass(),
    ]);
    const req = ctx.switchToHttp().getRequest<Request & AuthedRequest>();
    if (!policy) {
      this.logger.error(`${req.method} ${req.route?.path ?? req.url} declares no access policy; denied`);
      throw new AuthException(AuthErrorCode.NO_ACCESS_POLICY, 'this route is not open to anyone');
    }
    const principal = await this.authenticate(req);
    if (policy.kind === 'public') return true;
    if (!principal) throw new AuthException(AuthErrorCode.UNAUTHENTICATED, 'please sign in');
    if (policy.kind === 'roles' && !policy.roles.some((r) => principal.has(r))) {
      throw new AuthException(AuthErrorCode.FORBIDDEN, 'your account does not have the role this needs');
    }
    return true;
  }

  private async authenticate(req: Request & AuthedRequest): Promise<Principal | undefined> {
    const header = req.headers.authorization;
    if (!header?.startsWith('Bearer ')) return undefined;
    const userId = await this.tokens.verifyAccessToken(header.slice(7).trim());
    if (!userId) return undefined;
    const roles = await this.users.rolesForAccess(userId);
    if (roles.length === 0) return undefined; // every live account holds at least "buyer"
    req.principal = new Principal(userId, roles);
    return req.principal;
  }
}
