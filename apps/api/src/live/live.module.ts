import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module';
import { AudienceController } from './audience.controller';
import { AudienceRepository } from './audience.repository';
import { AudienceService } from './audience.service';
import { DealsRepository } from './deals.repository';
import { DealsService } from './deals.service';
import { LiveEventsBridge } from './live-events';
import { LiveGateway } from './live.gateway';
import { LiveHub } from './live-hub';
import { LiveReader } from './live-reader';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService, SocketNotificationChannel } from './notifications.service';
import { RoomRepository } from './room.repository';
import { RoomService } from './room.service';
import { ShowImpactService } from './show-impact';
import { ShowImpactRepository } from './show-impact.repository';
import { ConsoleShowsController, ShowsController } from './shows.controller';
import { ShowsRepository } from './shows.repository';
import { ShowsService } from './shows.service';

/**
 * Live shows: schedule and run shows (REST), the real-time room (socket.io namespace /live on the API's port),
 * flash deals through the orders' atomic reservation path, moderation, follows, subscriptions, notifications.
 */
@Module({
  imports: [OrdersModule],
  controllers: [ShowsController, ConsoleShowsController, AudienceController],
  providers: [
    LiveHub,
    LiveReader,
    ShowImpactRepository,
    ShowImpactService,
    RoomRepository,
    RoomService,
    DealsService,
    DealsRepository,
    ShowsRepository,
    ShowsService,
    AudienceRepository,
    AudienceService,
    NotificationsRepository,
    NotificationsService,
    SocketNotificationChannel,
    LiveEventsBridge,
    LiveGateway,
  ],
  exports: [ShowsService, LiveHub],
})
export class LiveModule {}
