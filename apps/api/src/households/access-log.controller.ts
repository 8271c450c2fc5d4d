import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { AccessLogEntry, accessLogQuerySchema, Page } from '@xiangbo/contracts';
import { Roles } from '../common/access.decorators';
import { PersonalDataAccessService } from './personal-data-access.service';

class AccessLogQueryDto extends createZodDto(accessLogQuerySchema) {}

@ApiTags('registry')
@ApiBearerAuth()
@Controller('admin/access-log')
export class AccessLogController {
  constructor(private readonly access: PersonalDataAccessService) {}

  /** Who read which household's personal data, when and why; newest first. */
  @Roles('platform_admin')
  @Get()
  search(@Query() query: AccessLogQueryDto): Promise<Page<AccessLogEntry>> {
    return this.access.search(query);
  }
}
