import { Body, Controller, Get, HttpCode, Param, Post, Query, UploadedFile } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import {
  messagePageQuerySchema,
  messageTextSchema,
  openConversationSchema,
  sendMessageSchema,
  type ChatMessageDto,
  type ConversationList,
  type ConversationSummary,
  type MessagePage,
} from '@xiangbo/contracts';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { Roles, SignedIn } from '../common/access.decorators';
import { MessagesService, type UploadedBytes } from './messages.service';
import { ImageUpload } from '../storage/image-upload.decorator';

class OpenConversationDto extends createZodDto(openConversationSchema) {}
class MessagePageQueryDto extends createZodDto(messagePageQuerySchema) {}
class SendMessageDto extends createZodDto(
  z.object({ text: messageTextSchema, clientId: sendMessageSchema.shape.clientId }),
) {}

/**
 * 客服 over HTTP: opening a conversation, lists, history pages, photos, read marks, and text for clients without
 * the socket (the socket's message:send is the same call). Who may do what is decided per conversation in the
 * service: its buyer, or the staff of its cooperative; everyone else gets 404.
 */
@ApiTags('messages')
@ApiBearerAuth()
@Controller()
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  /** The buyer's conversation with the cooperative of a product, an order of theirs, or a cooperative. */
  @SignedIn()
  @Post('conversations')
  @HttpCode(200)
  open(@CurrentPrincipal() p: Principal, @Body() body: OpenConversationDto): Promise<ConversationSummary> {
    return this.messages.open(p, body);
  }

  @SignedIn()
  @Get('conversations')
  mine(@CurrentPrincipal() p: Principal): Promise<ConversationList> {
    return this.messages.listForBuyer(p);
  }

  @SignedIn()
  @Get('conversations/unread')
  unread(@CurrentPrincipal() p: Principal): Promise<{ unreadTotal: number }> {
    return this.messages.unreadForBuyer(p);
  }

  @SignedIn()
  @Get('conversations/:id')
  detail(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<ConversationSummary> {
    return this.messages.detail(p, id);
  }

  @SignedIn()
  @Get('conversations/:id/messages')
  page(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Query() q: MessagePageQueryDto,
  ): Promise<MessagePage> {
    return this.messages.page(p, id, q.before, q.limit);
  }

  @SignedIn()
  @Post('conversations/:id/messages')
  send(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: SendMessageDto,
  ): Promise<ChatMessageDto> {
    return this.messages.send(p, id, body.text, body.clientId);
  }

  /** One photo per call (multipart field "photo"). */
  @SignedIn()
  @Post('conversations/:id/photos')
  @ImageUpload()
  sendPhoto(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @UploadedFile() file: UploadedBytes | undefined,
  ): Promise<ChatMessageDto> {
    return this.messages.sendPhoto(p, id, file);
  }

  @SignedIn()
  @Post('conversations/:id/read')
  @HttpCode(204)
  async read(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<void> {
    await this.messages.read(p, id);
  }

  /** The cooperative's inbox (its admins and hosts; its auditors and everyone else: 404). */
  @Roles('coop_admin', 'host')
  @Get('console/cooperatives/:coopId/conversations')
  inbox(@CurrentPrincipal() p: Principal, @Param('coopId') coopId: string): Promise<ConversationList> {
    return this.messages.listForCooperative(p, coopId);
  }
}
