import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { NotFoundException } from '../common/app.exception';
import { Public } from '../common/access.decorators';
import { FILES_URL_PREFIX, StorageService } from './storage.service';

/** Serves stored files at /api/files/<key>. Keys are unguessable (UUIDs) and files never change: cached for a year. */
@ApiTags('files')
@Controller('files')
export class FilesController {
  constructor(private readonly storage: StorageService) {}

  @Public()
  @Get('*key')
  async get(@Req() req: Request, @Res() res: Response): Promise<void> {
    let key: string;
    try {
      key = decodeURIComponent(req.path.slice(FILES_URL_PREFIX.length));
    } catch {
      throw new NotFoundException('file');
    }
    const file = await this.storage.get(key);
    if (!file) throw new NotFoundException('file');
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Length', String(file.size));
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    file.stream.on('error', () => res.destroy());
    file.stream.pipe(res);
  }
}
