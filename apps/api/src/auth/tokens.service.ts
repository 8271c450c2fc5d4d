import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { AuthErrorCode, AuthException } from './auth.exception';
import { RefreshToken } from './entities/refresh-token.entity';

export interface IssuedTokens {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresAt: Date;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Short-lived access tokens (JWT, HS256) and rotating refresh tokens with reuse detection. */
@Injectable()
export class TokensService {
  constructor(
    private readonly jwt: JwtService,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async verifyAccessToken(token: string): Promise<string | null> {
    try {
      const payload = await this.jwt.verifyAsync<{ sub: string; typ: string }>(token, { algorithms: ['HS256'] });
      return payload.typ === 'access' && typeof payload.sub === 'string' ? payload.sub : null;
    } catch {
      return null;
    }
  }

  /** Issues an access token and the first (familyId undefined) or next refresh token of a family. */
  async issue(
    manager: EntityManager,
    userId: string,
    familyId: string = randomUUID(),
    userAgent?: string,
  ): Promise<IssuedTokens> {
    const expiresIn = this.config.ACCESS_TOKEN_TTL_SECONDS;
    const accessToken = await this.jwt.signAsync({ sub: userId, typ: 'access' }, { expiresIn, algorithm: 'HS256' });
    const refreshToken = randomBytes(32).toString('base64url');
    const refreshExpiresAt = new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_DAYS * 86400_000);
    await manager.getRepository(RefreshToken).insert({
      userId,
      familyId,
      tokenHash: sha256(refreshToken),
      expiresAt: refreshExpiresAt,
      userAgent: userAgent?.slice(0, 255) ?? null,
    });
    return { accessToken, expiresIn, refreshToken, refreshExpiresAt };
  }

  /**
   * Rotates a refresh token. A token presented a second time revokes its whole family (the legitimate holder
   * and the thief both lose the session) — the revocation commits even though the call fails.
   */
  async rotate(rawToken: string, userAgent?: string): Promise<{ userId: string; tokens: IssuedTokens }> {
    type Outcome = { ok: true; userId: string; tokens: IssuedTokens } | { ok: false; error: AuthErrorCode };
    const outcome = await this.db.transaction(async (m): Promise<Outcome> => {
      const row = await m
        .getRepository(RefreshToken)
        .createQueryBuilder('t')
        .setLock('pessimistic_write')
        .where('t.token_hash = :h', { h: sha256(rawToken) })
        .getOne();
      if (!row) return { ok: false, error: AuthErrorCode.REFRESH_TOKEN_INVALID };
      if (row.usedAt || row.revokedAt) {
        await this.revokeFamily(m, row.familyId, 'reuse_detected');
        return { ok: false, error: AuthErrorCode.REFRESH_TOKEN_REUSED };
      }
      if (row.expiresAt.getTime() <= Date.now()) return { ok: false, error: AuthErrorCode.REFRESH_TOKEN_INVALID };
      await m.getRepository(RefreshToken).update({ id: row.id }, { usedAt: new Date() });
      const tokens = await this.issue(m, row.userId, row.familyId, userAgent);
      return { ok: true, userId: row.userId, tokens };
    });
    if (!outcome.ok) {
      throw new AuthException(
        outcome.error,
        outcome.error === AuthErrorCode.REFRESH_TOKEN_REUSED
          ? 'this sign-in was already refreshed elsewhere; all sessions of it are signed out, please sign in again'
          : 'your session has expired, please sign in again',
      );
    }
    return { userId: outcome.userId, tokens: outcome.tokens };
  }

  /** Sign out: revokes the family of the presented token (unknown tokens are ignored). */
  async revokeByToken(rawToken: string): Promise<void> {
    await this.db.transaction(async (m) => {
      const row = await m.getRepository(RefreshToken).findOne({ where: { tokenHash: sha256(rawToken) } });
      if (row) await this.revokeFamily(m, row.familyId, 'signed_out');
    });
  }

  private async revokeFamily(m: EntityManager, familyId: string, reason: string) {
    await m
      .getRepository(RefreshToken)
      .update({ familyId, revokedAt: IsNull() }, { revokedAt: new Date(), revokedReason: reason });
  }
}
