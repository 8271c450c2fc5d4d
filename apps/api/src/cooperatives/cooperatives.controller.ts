import { Body, Controller, Get, HttpCode, Param, Post, Query, UploadedFile } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import {
  cooperativeApplicationSchema,
  publicCooperativesQuerySchema,
  type MyCooperativeApplication,
  type Page,
  type PublicCooperative,
  type PublicCooperativeSummary,
} from '@xiangbo/contracts';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { Public, SignedIn } from '../common/access.decorators';
import { CooperativesService } from './cooperatives.service';
import { ImageUpload } from '../storage/image-upload.decorator';

class CooperativeApplicationDto extends createZodDto(cooperativeApplicationSchema) {}
class PublicCooperativesQueryDto extends createZodDto(publicCooperativesQuerySchema) {}

/** The part of an uploaded file we use (multer's in-memory file). */
export interface UploadedImage {
  buffer: Buffer;
  size: number;
}

@ApiTags('cooperatives')
@Controller('cooperatives')
export class CooperativesController {
  constructor(private readonly cooperatives: CooperativesService) {}

  /** Approved cooperatives, newest first (public). */
  @Public()
  @Get()
  list(@Query() query: PublicCooperativesQueryDto): Promise<Page<PublicCooperativeSummary>> {
    return this.cooperatives.listPublic(query);
  }

  /** A signed-in user applies to open a cooperative; a platform admin reviews it. */
  @ApiBearerAuth()
  @SignedIn()
  @Post()
  apply(@CurrentPrincipal() p: Principal, @Body() body: CooperativeApplicationDto): Promise<MyCooperativeApplication> {
    return this.cooperatives.apply(p.userId, body);
  }

  @ApiBearerAuth()
  @SignedIn()
  @Get('mine/applications')
  mine(@CurrentPrincipal() p: Principal): Promise<MyCooperativeApplication[]> {
    return this.cooperatives.myApplications(p.userId);
  }

  /** The public page of an approved cooperative: story, region, aggregate member figures. */
  @Public()
  @Get(':id')
  get(@Param('id') id: string): Promise<PublicCooperative> {
    return this.cooperatives.getPublic(id);
  }

  /** Multipart field `logo`: a JPEG, PNG or WebP image up to 8 MB; stored as a 400 px WebP. */
  @ApiBearerAuth()
  @SignedIn()
  @Post(':id/logo')
  @HttpCode(200)
  @ImageUpload('logo')
  setLogo(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @UploadedFile() file: UploadedImage | undefined,
  ): Promise<{ logoUrl: string }> {
    return this.cooperatives.setLogo(p, id, file?.buffer);
  }
}
