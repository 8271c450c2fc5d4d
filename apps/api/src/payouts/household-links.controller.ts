import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { createZodDto } from 'nestjs-zod';
import { confirmByCodeSchema } from '@xiangbo/contracts';
import { Public } from '../common/access.decorators';
import { HouseholdLinksService } from './household-links.service';

class ConfirmByCodeDto extends createZodDto(confirmByCodeSchema) {}

/** The household's own page, no account: the one-time link or the 6-digit code. */
@ApiTags('household-links')
@Controller('household-links')
export class HouseholdLinksController {
  constructor(private readonly links: HouseholdLinksService) {}

  @Public()
  @Post('confirm-by-code')
  @HttpCode(200)
  confirmByCode(@Body() body: ConfirmByCodeDto, @Req() req: Request) {
    return this.links.confirmByCode(body, req.ip ?? 'unknown');
  }

  @Public()
  @Get(':token')
  view(@Param('token') token: string) {
    return this.links.view(token);
  }

  @Public()
  @Post(':token/confirm')
  @HttpCode(200)
  confirm(@Param('token') token: string) {
    return this.links.confirmByToken(token);
  }
}
