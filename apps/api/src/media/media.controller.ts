import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { StreamSettings } from '@xiangbo/contracts';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { Public, Roles } from '../common/access.decorators';
import { AppException } from '../common/app.exception';
import { APP_CONFIG, AppConfig } from '../config/config';
import { EmbeddedMediaServer } from './embedded-media-server';
import { isLoopback } from './net';
import { VideoService } from './video.service';

const notFound = (what: string) => new AppException('STREAM_NOT_FOUND', 404, `${what} is not available`);

/** The host console's stream panel: server URL and key, ingest status, key reset. */
@ApiTags('console')
@ApiBearerAuth()
@Controller('console/shows/:id/stream')
@Roles('coop_admin', 'host')
export class StreamSettingsController {
  constructor(
    private readonly video: VideoService,
    private readonly media: EmbeddedMediaServer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  get(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Req() req: Request): Promise<StreamSettings> {
    return this.video.settings(p, id, req.hostname, this.available());
  }

  @Post('reset-key')
  @HttpCode(200)
  reset(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Req() req: Request): Promise<StreamSettings> {
    return this.video.resetKey(p, id, req.hostname, this.available());
  }

  private available() {
    return this.config.MEDIA_SERVER === 'external' || this.media.available;
  }
}

/**
 * Playback from the embedded media server on the API's own port: HTTP-FLV while a show is on, and the HLS
 * playlist (live fallback, then the recording). Names are public playback ids, never stream keys.
 */
@ApiTags('live')
@Controller('media')
export class MediaController {
  constructor(
    private readonly media: EmbeddedMediaServer,
    private readonly video: VideoService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Get('live/:file')
  flv(@Param('file') file: string, @Req() req: Request, @Res() res: Response): void {
    const m = /^([a-f0-9]{24})\.flv$/.exec(file);
    if (!m || !this.media.playFlv(m[1], req, res)) throw notFound('this stream');
  }

  @Public()
  @Get('hls/:playbackId/:file')
  hls(@Param('playbackId') playbackId: string, @Param('file') file: string, @Res() res: Response): void {
    if (this.config.MEDIA_SERVER === 'off') throw notFound('this recording');
    if (!/^[a-f0-9]{24}$/.test(playbackId) || !/^(index\.m3u8|seg\d{5}\.ts)$/.test(file)) throw notFound('this file');
    const path = join(this.media.hlsDir(playbackId), file);
    if (!existsSync(path)) throw notFound('this file');
    const playlist = file.endsWith('.m3u8');
    res.setHeader('Content-Type', playlist ? 'application/vnd.apple.mpegurl' : 'video/mp2t');
    // The playlist grows while the show is live; segments never change.
    res.setHeader('Cache-Control', playlist ? 'no-cache' : 'public, max-age=86400, immutable');
    res.sendFile(path);
  }

  /**
   * An external media server's authentication callback (MediaMTX `authHTTPAddress`, or any server that can POST
   * the path): publishing to live/<stream key> is decided like the embedded server's; reading live/* is refused
   * (viewers read play/<playback id>); everything else is allowed. The shared secret comes in the query string
   * (MediaMTX cannot send headers) or the x-media-hook-secret header.
   */
  @Public()
  @Post('hooks/auth')
  @HttpCode(200)
  async hook(@Req() req: Request, @Body() body: unknown): Promise<{ ok: true; playbackId?: string }> {
    const { data, app, name } = this.hookCall(req, body);
    if (data.action === 'publish' && app === 'live') {
      const d = await this.video.authorisePublish(name ?? '', false);
      if (!d.ok) throw new AppException('PUBLISH_REFUSED', 401, `publish refused: ${d.reason}`);
      return { ok: true, playbackId: d.playbackId };
    }
    // Only the server's own relay (loopback) publishes to play/<playback id> and reads live/<key>.
    if (data.action === 'publish' && !isLoopback(data.ip ?? ''))
      throw new AppException('PUBLISH_REFUSED', 401, 'publish to live/<stream key>');
    // Viewers read play/<playback id>; live/<key> is read by the relay alone.
    if (app === 'live' && !isLoopback(data.ip ?? ''))
      throw new AppException('PLAY_REFUSED', 401, 'the hosts’ streams are not for viewers');
    return { ok: true };
  }

  /**
   * The external server's stream at live/<key> is ready (MediaMTX `runOnReady`): the show's viewers are told
   * it is on; answers the playback id as plain text, the name the server's relay publishes to (play/<id>).
   */
  @Public()
  @Post('hooks/ready')
  @HttpCode(200)
  async ready(@Req() req: Request, @Body() body: unknown, @Res() res: Response): Promise<void> {
    const { data, app, name } = this.hookCall(req, body);
    if (app !== 'live' || !data.id)
      throw new AppException('VALIDATION_FAILED', 400, 'path live/<key> and id are required');
    const d = await this.video.externalReady(name ?? '', data.id);
    if (!d.ok) throw new AppException('PUBLISH_REFUSED', 401, `publish refused: ${d.reason}`);
    res.type('text/plain').send(d.playbackId);
  }

  /** The external server's stream at live/<key> is gone (MediaMTX `runOnNotReady`). */
  @Public()
  @Post('hooks/not-ready')
  @HttpCode(200)
  async notReady(@Req() req: Request, @Body() body: unknown): Promise<{ ok: true }> {
    const { data, app, name } = this.hookCall(req, body);
    if (app === 'live' && data.id) await this.video.externalGone(name ?? '', data.id);
    return { ok: true };
  }

  private hookCall(req: Request, body: unknown) {
    const secret = req.header('x-media-hook-secret') ?? (typeof req.query.secret === 'string' ? req.query.secret : '');
    if (
      this.config.MEDIA_SERVER !== 'external' ||
      !this.config.MEDIA_HOOK_SECRET ||
      !safeEqual(secret, this.config.MEDIA_HOOK_SECRET)
    )
      throw new AppException('MEDIA_HOOK_FORBIDDEN', 403, 'unknown media server');
    const parsed = hookSchema.safeParse(body);
    if (!parsed.success) throw new AppException('VALIDATION_FAILED', 400, 'a path is required');
    const [app, name] = parsed.data.path.replace(/^\//, '').split('/');
    return { data: parsed.data, app, name };
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const hookSchema = z.object({
  action: z.string().min(1).default('ready'),
  path: z.string().min(1).max(200),
  id: z.string().min(1).max(64).optional(),
  ip: z.string().max(64).optional(),
});
