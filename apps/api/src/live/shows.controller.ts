import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, UploadedFile } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import {
  createShowSchema,
  showListQuerySchema,
  updateShowSchema,
  type ConsoleShow,
  type Page,
  type ShowDetail,
  type ShowListItem,
} from '@xiangbo/contracts';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { Public, Roles } from '../common/access.decorators';
import { ShowsService } from './shows.service';
import { ImageUpload } from '../storage/image-upload.decorator';

class ShowListQueryDto extends createZodDto(showListQuerySchema) {}
class CreateShowDto extends createZodDto(createShowSchema) {}
class UpdateShowDto extends createZodDto(updateShowSchema) {}

/** Public show list and pages (a signed-in caller also learns whether they subscribed / follow). */
@ApiTags('live')
@Controller('shows')
export class ShowsController {
  constructor(private readonly shows: ShowsService) {}

  @Public()
  @Get()
  list(@Query() q: ShowListQueryDto, @CurrentPrincipal() p?: Principal): Promise<Page<ShowListItem>> {
    return this.shows.list(q, p?.userId ?? null);
  }

  @Public()
  @Get(':id')
  get(@Param('id') id: string, @CurrentPrincipal() p?: Principal): Promise<ShowDetail> {
    return this.shows.detail(id, p ?? null);
  }
}

/**
 * The host console. Hosts and coop_admins of the show's cooperative see its shows; the show's own host and the
 * coop_admins run it (other hosts of the cooperative: 403); staff of other cooperatives and buyers: 404 / 403.
 */
@ApiTags('console')
@ApiBearerAuth()
@Controller('console')
@Roles('coop_admin', 'host')
export class ConsoleShowsController {
  constructor(private readonly shows: ShowsService) {}

  @Get('cooperatives/:coopId/shows')
  list(@CurrentPrincipal() p: Principal, @Param('coopId') coopId: string): Promise<ConsoleShow[]> {
    return this.shows.listForCooperative(p, coopId);
  }

  @Post('cooperatives/:coopId/shows')
  create(
    @CurrentPrincipal() p: Principal,
    @Param('coopId') coopId: string,
    @Body() body: CreateShowDto,
  ): Promise<ConsoleShow> {
    return this.shows.create(p, coopId, body);
  }

  @Get('shows/:id')
  get(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<ConsoleShow> {
    return this.shows.consoleShow(p, id);
  }

  @Patch('shows/:id')
  update(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: UpdateShowDto): Promise<ConsoleShow> {
    return this.shows.update(p, id, body);
  }

  /** Multipart field "cover": JPEG, PNG or WebP, at most 8 MB. */
  @Post('shows/:id/cover')
  @HttpCode(200)
  @ImageUpload('cover')
  cover(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @UploadedFile() file: { buffer: Buffer } | undefined,
  ): Promise<ConsoleShow> {
    return this.shows.setCover(p, id, file?.buffer);
  }

  @Post('shows/:id/start')
  @HttpCode(200)
  start(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<ConsoleShow> {
    return this.shows.start(p, id);
  }

  @Post('shows/:id/end')
  @HttpCode(200)
  end(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<ConsoleShow> {
    return this.shows.end(p, id);
  }

  @Post('shows/:id/cancel')
  @HttpCode(200)
  cancel(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<ConsoleShow> {
    return this.shows.cancel(p, id);
  }
}
