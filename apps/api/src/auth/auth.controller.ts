import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { AuthResponse, Me, REFRESH_COOKIE, registerRequestSchema, signInRequestSchema } from '@xiangbo/contracts';
import { Public, SignedIn } from '../common/access.decorators';
import { APP_CONFIG, AppConfig } from '../config/config';
import { UsersService } from '../users/users.service';
import { AuthErrorCode, AuthException } from './auth.exception';
import { AuthService, SessionResult } from './auth.service';
import { CurrentPrincipal, Principal } from './principal';

class RegisterDto extends createZodDto(registerRequestSchema) {}
class SignInDto extends createZodDto(signInRequestSchema) {}

const COOKIE_PATH = '/api/auth';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('register')
  async register(
    @Body() body: RegisterDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AuthResponse> {
    return this.session(res, await this.auth.register(body, req.get('user-agent')));
  }

  @Public()
  @Post('sign-in')
  @HttpCode(200)
  async signIn(
    @Body() body: SignInDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AuthResponse> {
    return this.session(res, await this.auth.signIn(body, req.ip ?? 'unknown', req.get('user-agent')));
  }

  @Public()
  @ApiCookieAuth(REFRESH_COOKIE)
  @Post('refresh')
  @HttpCode(200)
  async refresh(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AuthResponse> {
    try {
      return this.session(res, await this.auth.refresh(req.cookies?.[REFRESH_COOKIE], req.get('user-agent')));
    } catch (e) {
      if (e instanceof AuthException) this.clearCookie(res);
      throw e;
    }
  }

  @Public()
  @Post('sign-out')
  @HttpCode(204)
  async signOut(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.signOut(req.cookies?.[REFRESH_COOKIE]);
    this.clearCookie(res);
  }

  @SignedIn()
  @Get('me')
  async me(@CurrentPrincipal() principal: Principal): Promise<Me> {
    const user = await this.users.findById(principal.userId);
    if (!user) throw new AuthException(AuthErrorCode.UNAUTHENTICATED, 'please sign in');
    return this.users.toMe(user);
  }

  private session(res: Response, s: SessionResult): AuthResponse {
    res.cookie(REFRESH_COOKIE, s.tokens.refreshToken, {
      httpOnly: true,
      secure: this.config.COOKIE_SECURE,
      sameSite: 'strict',
      path: COOKIE_PATH,
      expires: s.tokens.refreshExpiresAt,
    });
    res.setHeader('Cache-Control', 'no-store');
    return { accessToken: s.tokens.accessToken, expiresIn: s.tokens.expiresIn, user: s.user };
  }

  private clearCookie(res: Response) {
    res.clearCookie(REFRESH_COOKIE, {
      httpOnly: true,
      secure: this.config.COOKIE_SECURE,
      sameSite: 'strict',
      path: COOKIE_PATH,
    });
  }
}
