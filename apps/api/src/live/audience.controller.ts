import { Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { notificationListQuerySchema, type NotificationPage } from '@xiangbo/contracts';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { SignedIn } from '../common/access.decorators';
import { AudienceService } from './audience.service';
import { NotificationsService } from './notifications.service';

class NotificationListQueryDto extends createZodDto(notificationListQuerySchema) {}

/** Following cooperatives, subscribing to shows, and the in-app notification centre. */
@ApiTags('live')
@ApiBearerAuth()
@Controller()
@SignedIn()
export class AudienceController {
  constructor(
    private readonly audience: AudienceService,
    private readonly notifications: NotificationsService,
  ) {}

  @Get('follows')
  following(@CurrentPrincipal() p: Principal) {
    return this.audience.following(p.userId);
  }

  @Put('follows/:cooperativeId')
  @HttpCode(204)
  follow(@CurrentPrincipal() p: Principal, @Param('cooperativeId') id: string) {
    return this.audience.follow(p.userId, id);
  }

  @Delete('follows/:cooperativeId')
  @HttpCode(204)
  unfollow(@CurrentPrincipal() p: Principal, @Param('cooperativeId') id: string) {
    return this.audience.unfollow(p.userId, id);
  }

  @Put('shows/:id/subscription')
  @HttpCode(204)
  subscribe(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.audience.subscribe(p.userId, id);
  }

  @Delete('shows/:id/subscription')
  @HttpCode(204)
  unsubscribe(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.audience.unsubscribe(p.userId, id);
  }

  @Get('notifications')
  notificationsList(@CurrentPrincipal() p: Principal, @Query() q: NotificationListQueryDto): Promise<NotificationPage> {
    return this.notifications.list(p.userId, q.page, q.pageSize);
  }

  @Post('notifications/read-all')
  @HttpCode(204)
  readAll(@CurrentPrincipal() p: Principal) {
    return this.notifications.markAllRead(p.userId);
  }

  @Post('notifications/:id/read')
  @HttpCode(204)
  read(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.notifications.markRead(p.userId, id);
  }
}
