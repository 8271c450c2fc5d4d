import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { createZodDto } from 'nestjs-zod';
import { confirmByCodeSchema, confirmByLinkSchema } from '@xiangbo/contracts';
import { Public } from '../common/access.decorators';
import { HouseholdLinksService } from './household-links.service';

class ConfirmByCodeDto extends createZodDto(confirmByCodeSchema) {}
class ConfirmByLinkDto extends createZodDto(confirmByLinkSchema) {}

/** The household's own page, no account, reached from the SMS: confirming always takes the 6-digit code. */
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
  confirm(@Param('token') token: string, @Body() body: ConfirmByLinkDto, @Req() req: Request) {
    return this.links.confirmByToken(token, body.code, req.ip ?? 'unknown');
  }
}
