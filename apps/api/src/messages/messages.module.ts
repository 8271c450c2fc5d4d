import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { UsersModule } from '../users/users.module';
import { MessagesController } from './messages.controller';
import { MessagesGateway } from './messages.gateway';
import { MessagesHub } from './messages.hub';
import { MessagesRepository } from './messages.repository';
import { MessagesService } from './messages.service';

/**
 * Messages (客服) between a buyer and a cooperative: its own tables (conversations, conversation_messages), REST
 * for history and photos, and the /messages socket.io namespace on the live gateway's server for delivery.
 */
@Module({
  imports: [AuthModule, UsersModule],
  controllers: [MessagesController],
  providers: [MessagesRepository, MessagesService, MessagesHub, MessagesGateway],
})
export class MessagesModule {}
