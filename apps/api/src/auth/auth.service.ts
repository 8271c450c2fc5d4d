import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import type { Me, RegisterRequest, SignInRequest } from '@xiangbo/contracts';
import { APP_CONFIG, AppConfig } from '../config/config';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { AuthErrorCode, AuthException } from './auth.exception';
import { hashPassword, verifyPassword } from './passwords';
import { RateLimiterService } from './rate-limiter.service';
import { IssuedTokens, TokensService } from './tokens.service';

export interface SessionResult {
  user: Me;
  tokens: IssuedTokens;
}

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly tokens: TokensService,
    private readonly limiter: RateLimiterService,
  ) {}

  async register(input: RegisterRequest, userAgent?: string): Promise<SessionResult> {
    const passwordHash = await hashPassword(input.password);
    try {
      return await this.db.transaction(async (m) => {
        const user = await m.getRepository(User).save(
          m.getRepository(User).create({
            email: input.email ?? null,
            mobile: input.mobile ?? null,
            passwordHash,
            displayName: input.displayName,
          }),
        );
        await this.users.grant(m, user.id, 'buyer', null, null);
        const tokens = await this.tokens.issue(m, user.id, undefined, userAgent);
        return { user: await this.users.toMe(user, m), tokens };
      });
    } catch (e) {
      if (
        e instanceof QueryFailedError &&
        (e as QueryFailedError & { driverError: { code?: string } }).driverError?.code === '23505'
      ) {
        throw new AuthException(
          AuthErrorCode.IDENTIFIER_TAKEN,
          'an account with this e-mail address or mobile number already exists',
        );
      }
      throw e;
    }
  }

  /**
   * Every attempt counts against the caller's IP and against the account, each in one atomic upsert taken BEFORE
   * the password is checked: of any number of simultaneous guesses at one account, at most
   * SIGNIN_MAX_PER_ACCOUNT get their password verified, the rest 429 with Retry-After. A successful sign-in
   * clears the account's count.
   */
  async signIn(input: SignInRequest, ip: string, userAgent?: string): Promise<SessionResult> {
    const window = this.config.SIGNIN_WINDOW_SECONDS;
    const accountKey = `signin:account:${input.identifier.trim().toLowerCase()}`;
    const ipState = await this.limiter.hit(`signin:ip:${ip}`, window);
    const ipOver = ipState.hits > this.config.SIGNIN_MAX_PER_IP;
    // An IP already over its limit does not also use up the account's attempts.
    const accountState = ipOver
      ? await this.limiter.peek(accountKey, window)
      : await this.limiter.hit(accountKey, window);
    const accountOver = accountState.hits > this.config.SIGNIN_MAX_PER_ACCOUNT;
    if (ipOver || accountOver) {
      const retryAfter = Math.max(ipOver ? ipState.retryAfter : 0, accountOver ? accountState.retryAfter : 0);
      throw new AuthException(
        AuthErrorCode.RATE_LIMITED,
        `too many sign-in attempts; try again in ${retryAfter} seconds`,
        {
          'Retry-After': String(retryAfter),
        },
      );
    }
    const user = await this.users.findByIdentifier(input.identifier);
    const ok = await verifyPassword(user?.passwordHash ?? null, input.password);
    if (!user || !ok) {
      throw new AuthException(AuthErrorCode.INVALID_CREDENTIALS, 'the account or password is not right');
    }
    await this.limiter.reset(accountKey);
    return this.db.transaction(async (m) => ({
      user: await this.users.toMe(user, m),
      tokens: await this.tokens.issue(m, user.id, undefined, userAgent),
    }));
  }

  async refresh(rawToken: string | undefined, userAgent?: string): Promise<SessionResult> {
    if (!rawToken) throw new AuthException(AuthErrorCode.REFRESH_TOKEN_INVALID, 'you are not signed in');
    const { userId, tokens } = await this.tokens.rotate(rawToken, userAgent);
    const user = await this.users.findById(userId);
    if (!user) throw new AuthException(AuthErrorCode.REFRESH_TOKEN_INVALID, 'this account no longer exists');
    return { user: await this.users.toMe(user), tokens };
  }

  async signOut(rawToken: string | undefined): Promise<void> {
    if (rawToken) await this.tokens.revokeByToken(rawToken);
  }

  /** Creates the first platform admin, or promotes an existing account; from config or the CLI, never an endpoint. */
  async ensurePlatformAdmin(
    email: string,
    password: string,
    displayName = '平台管理员',
  ): Promise<{ created: boolean }> {
    const normalised = email.trim().toLowerCase();
    const passwordHash = await hashPassword(password);
    return this.db.transaction(async (m) => {
      let user = await m.getRepository(User).findOne({ where: { email: normalised } });
      const created = !user;
      if (!user) {
        user = await m
          .getRepository(User)
          .save(m.getRepository(User).create({ email: normalised, mobile: null, passwordHash, displayName }));
        await this.users.grant(m, user.id, 'buyer', null, null);
      }
      await this.users.grant(m, user.id, 'platform_admin', null, null);
      return { created };
    });
  }
}
