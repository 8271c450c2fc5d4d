import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import {
  adminApplicationsQuerySchema,
  rejectApplicationSchema,
  type AdminCooperativeApplication,
  type MyCooperativeApplication,
  type Page,
} from '@xiangbo/contracts';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { Roles } from '../common/access.decorators';
import { CooperativesService } from './cooperatives.service';

class AdminApplicationsQueryDto extends createZodDto(adminApplicationsQuerySchema) {}
class RejectApplicationDto extends createZodDto(rejectApplicationSchema) {}

/** Platform admins review cooperative applications. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/cooperatives')
export class AdminCooperativesController {
  constructor(private readonly cooperatives: CooperativesService) {}

  @Roles('platform_admin')
  @Get()
  list(@Query() query: AdminApplicationsQueryDto): Promise<Page<AdminCooperativeApplication>> {
    return this.cooperatives.listApplications(query);
  }

  /** Approves a pending application; its applicant becomes the cooperative's coop_admin. */
  @Roles('platform_admin')
  @Post(':id/approve')
  @HttpCode(200)
  approve(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<MyCooperativeApplication> {
    return this.cooperatives.approve(p.userId, id);
  }

  /** Rejects a pending application with a reason the applicant sees. */
  @Roles('platform_admin')
  @Post(':id/reject')
  @HttpCode(200)
  reject(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: RejectApplicationDto,
  ): Promise<MyCooperativeApplication> {
    return this.cooperatives.reject(p.userId, id, body.reason);
  }
}
