import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  MESSAGE_LIMITS,
  type ChatMessageDto,
  type ConversationList,
  type ConversationSubject,
  type ConversationSummary,
  type MessagePage,
  type MessageSide,
  type OpenConversationRequest,
} from '@xiangbo/contracts';
import { maskName } from '@xiangbo/domain';
import type { EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal';
import { RateLimiterService } from '../auth/rate-limiter.service';
import { isUuid } from '../common/cooperative-scope';
import { processImage, StorageService } from '../storage';
import { MessagesHub } from './messages.hub';
import { ConversationRow, MessageRow, MessagesRepository } from './messages.repository';
import { MessagesErrorCode, MessagesException } from './messages.exception';
import { DomainEvents } from '../common/domain-events';

export interface UploadedBytes {
  buffer: Buffer;
}

/** The cooperative roles that answer buyers (客服). An auditor of the cooperative does not read buyers' messages. */
export const STAFF_ROLES = ['coop_admin', 'host'] as const;

interface Access {
  conversation: ConversationRow;
  side: MessageSide;
}

/**
 * Messages (客服): a buyer opens their one conversation with a cooperative from a product, an order or the
 * cooperative's page; the cooperative's staff (admins and hosts) answer it. Every call decides the caller's side
 * from the conversation itself: its buyer, or staff of its cooperative; anyone else finds nothing (404). Writes
 * run in one transaction; the live delivery follows the COMMIT.
 */
@Injectable()
export class MessagesService {
  constructor(
    private readonly repo: MessagesRepository,
    private readonly storage: StorageService,
    private readonly limiter: RateLimiterService,
    private readonly hub: MessagesHub,
    private readonly events: DomainEvents,
  ) {}

  private notFound() {
    return new MessagesException(MessagesErrorCode.CONVERSATION_NOT_FOUND, 'conversation not found');
  }

  private subjectNotFound(what: string) {
    return new MessagesException(MessagesErrorCode.CONVERSATION_SUBJECT_NOT_FOUND, `${what} not found`);
  }

  /** The caller's side of a conversation, or 404: another buyer's or another cooperative's looks like none. */
  private async access(p: Principal, conversationId: string, m?: EntityManager, lock = false): Promise<Access> {
    if (!isUuid(conversationId)) throw this.notFound();
    const conversation = await this.repo.conversation(m ?? this.repo.manager, conversationId, lock);
    if (!conversation) throw this.notFound();
    if (conversation.buyer_id === p.userId) return { conversation, side: 'buyer' };
    if (p.hasFor(conversation.cooperative_id, ...STAFF_ROLES)) return { conversation, side: 'staff' };
    throw this.notFound();
  }

  // ---- opening ----------------------------------------------------------------------------------------------

  async open(p: Principal, body: OpenConversationRequest): Promise<ConversationSummary> {
    const hits = await this.limiter.hit(`msg-open:${p.userId}`, 3600);
    if (hits.hits > MESSAGE_LIMITS.opensPerHour) {
      throw new MessagesException(
        MessagesErrorCode.MESSAGE_RATE_LIMITED,
        `too many conversations opened; try again in ${hits.retryAfter} seconds`,
        hits.retryAfter * 1000,
      );
    }
    const id = await this.repo.transaction(async (m) => {
      let cooperativeId: string;
      let subject: { kind: 'product' | 'order'; id: string } | null = null;
      if (body.productId) {
        const [product] = await this.repo.products(m, [body.productId]);
        if (!product?.published) throw this.subjectNotFound('product');
        cooperativeId = product.cooperative_id;
        subject = { kind: 'product', id: product.id };
      } else if (body.orderId) {
        const [order] = await this.repo.orders(m, [body.orderId]);
        // Another buyer's order is indistinguishable from a missing one.
        if (!order || order.buyer_id !== p.userId) throw this.subjectNotFound('order');
        cooperativeId = order.cooperative_id;
        subject = { kind: 'order', id: order.id };
      } else {
        cooperativeId = body.cooperativeId as string;
      }
      if (!(await this.repo.approvedCooperative(m, cooperativeId))) throw this.subjectNotFound('cooperative');
      if (p.hasFor(cooperativeId, ...STAFF_ROLES)) {
        throw new MessagesException(
          MessagesErrorCode.CONVERSATION_OWN_COOPERATIVE,
          "you are on this cooperative's staff: answer its buyers from the console",
        );
      }
      const masked = maskName((await this.repo.displayName(m, p.userId)) || '买家');
      const conv = await this.repo.upsertConversation(m, cooperativeId, p.userId, masked);
      if (subject && (conv.subject_kind !== subject.kind || conv.subject_id !== subject.id)) {
        // The card of what the buyer now asks about goes into the history (once per change of subject).
        await this.repo.setSubject(m, conv.id, subject.kind, subject.id);
        await this.repo.insertMessage(m, {
          conversation_id: conv.id,
          sender_side: 'buyer',
          sender_id: p.userId,
          kind: subject.kind,
          text: '',
          ref_id: subject.id,
        });
      }
      return conv.id;
    });
    return this.summary(id, 'buyer');
  }

  // ---- reading ----------------------------------------------------------------------------------------------

  async listForBuyer(p: Principal): Promise<ConversationList> {
    const rows = await this.repo.forBuyer(p.userId, 100);
    return {
      items: await this.summaries(rows, 'buyer'),
      unreadTotal: await this.repo.unreadForBuyer(p.userId),
    };
  }

  async listForCooperative(p: Principal, cooperativeId: string): Promise<ConversationList> {
    if (!isUuid(cooperativeId) || !p.hasFor(cooperativeId, ...STAFF_ROLES)) throw this.notFound();
    const rows = await this.repo.forCooperative(cooperativeId, 200);
    return {
      items: await this.summaries(rows, 'staff'),
      unreadTotal: await this.repo.unreadForCooperative(cooperativeId),
    };
  }

  async unreadForBuyer(p: Principal): Promise<{ unreadTotal: number }> {
    return { unreadTotal: await this.repo.unreadForBuyer(p.userId) };
  }

  async detail(p: Principal, conversationId: string): Promise<ConversationSummary> {
    const { conversation, side } = await this.access(p, conversationId);
    return (await this.summaries([conversation], side))[0];
  }

  async page(p: Principal, conversationId: string, before: string | undefined, limit: number): Promise<MessagePage> {
    const { conversation } = await this.access(p, conversationId);
    const rows = await this.repo.page(conversation.id, before, limit);
    const oldest = rows[0];
    return {
      items: await this.messages(rows),
      nextBefore: oldest && (await this.repo.hasOlder(conversation.id, oldest.id)) ? oldest.id : null,
    };
  }

  // ---- writing ----------------------------------------------------------------------------------------------

  private async checkRate(userId: string) {
    const hits = await this.limiter.hit(`msg-send:${userId}`, MESSAGE_LIMITS.windowSeconds);
    if (hits.hits > MESSAGE_LIMITS.perWindow) {
      throw new MessagesException(
        MessagesErrorCode.MESSAGE_RATE_LIMITED,
        `too many messages; try again in ${hits.retryAfter} seconds`,
        hits.retryAfter * 1000,
      );
    }
  }

  /** A text message (the text is already checked by the contract's schema: no control characters, 1–500). */
  async send(p: Principal, conversationId: string, text: string, clientId: string): Promise<ChatMessageDto> {
    await this.access(p, conversationId);
    await this.checkRate(p.userId);
    return this.write(p, conversationId, { kind: 'text', text, client_id: clientId });
  }

  /** A photo message: the image goes through the same checks and WebP conversion as review photos. */
  async sendPhoto(p: Principal, conversationId: string, file: UploadedBytes | undefined): Promise<ChatMessageDto> {
    await this.access(p, conversationId);
    await this.checkRate(p.userId);
    const image = await processImage(file?.buffer);
    const base = `messages/${conversationId}/${randomUUID()}`;
    const photo = { key: `${base}.webp`, thumbKey: `${base}-thumb.webp`, width: image.width, height: image.height };
    await this.storage.put(photo.key, image.original, image.contentType);
    await this.storage.put(photo.thumbKey, image.thumb, image.contentType);
    try {
      return await this.write(p, conversationId, { kind: 'photo', text: '', photo });
    } catch (e) {
      await Promise.all([this.storage.delete(photo.key), this.storage.delete(photo.thumbKey)]).catch(() => undefined);
      throw e;
    }
  }

  private async write(
    p: Principal,
    conversationId: string,
    msg: Pick<MessageRow, 'kind' | 'text'> & Partial<Pick<MessageRow, 'photo' | 'client_id'>>,
  ): Promise<ChatMessageDto> {
    const { message, created, cooperativeId, buyerId } = await this.repo.transaction(async (m) => {
      // Re-checked under the row lock: the caller's side is decided in the transaction that writes.
      const { conversation, side } = await this.access(p, conversationId, m, true);
      const r = await this.repo.insertMessage(m, {
        conversation_id: conversation.id,
        sender_side: side,
        sender_id: p.userId,
        ...msg,
      });
      // The buyer's notification centre hears of an answer once this commits (a resend stored once is no news).
      if (side === 'staff' && r.created)
        this.events.publish(m, 'conversation.answered', { conversationId: conversation.id });
      return { ...r, cooperativeId: conversation.cooperative_id, buyerId: conversation.buyer_id };
    });
    const [dto] = await this.messages([message]);
    if (created) await this.deliver(conversationId, buyerId, cooperativeId, dto);
    return dto;
  }

  /** The caller's side read everything; the other side sees 已读. */
  async read(p: Principal, conversationId: string): Promise<void> {
    const { conversation, side } = await this.access(p, conversationId);
    const { at } = await this.repo.transaction(async (m) => {
      const read = await this.repo.markRead(m, conversation.id, side);
      this.events.publish(m, 'conversation.read', { conversationId: conversation.id, side });
      return read;
    });
    const event = { conversationId, side, at: at.toISOString() };
    this.hub.toBuyer(conversation.buyer_id, 'conversation:read', event);
    this.hub.toCooperative(conversation.cooperative_id, 'conversation:read', event);
  }

  /** After COMMIT: each side gets the message with its own summary (its unread count). */
  private async deliver(conversationId: string, buyerId: string, cooperativeId: string, message: ChatMessageDto) {
    const [buyerView, staffView] = await Promise.all([
      this.summary(conversationId, 'buyer'),
      this.summary(conversationId, 'staff'),
    ]);
    this.hub.toBuyer(buyerId, 'message:new', { conversation: buyerView, message });
    this.hub.toCooperative(cooperativeId, 'message:new', { conversation: staffView, message });
  }

  // ---- shapes -----------------------------------------------------------------------------------------------

  private async summary(conversationId: string, side: MessageSide): Promise<ConversationSummary> {
    const row = await this.repo.conversation(this.repo.manager, conversationId);
    if (!row) throw this.notFound();
    return (await this.summaries([row], side))[0];
  }

  private async cards(refs: { kind: 'product' | 'order'; id: string }[]): Promise<Map<string, ConversationSubject>> {
    const m = this.repo.manager;
    const productIds = [...new Set(refs.filter((r) => r.kind === 'product').map((r) => r.id))];
    const orderIds = [...new Set(refs.filter((r) => r.kind === 'order').map((r) => r.id))];
    const [products, orders] = await Promise.all([this.repo.products(m, productIds), this.repo.orders(m, orderIds)]);
    const out = new Map<string, ConversationSubject>();
    for (const p of products)
      out.set(`product:${p.id}`, {
        kind: 'product',
        id: p.id,
        name: p.name_zh,
        priceFen: Number(p.price_fen),
        unit: p.unit,
        thumbUrl: p.thumb_key ? this.storage.url(p.thumb_key) : null,
      });
    for (const o of orders)
      out.set(`order:${o.id}`, {
        kind: 'order',
        id: o.id,
        number: o.number,
        status: o.status,
        totalFen: Number(o.total_fen),
        itemCount: o.item_count,
      });
    return out;
  }

  private async summaries(rows: ConversationRow[], side: MessageSide): Promise<ConversationSummary[]> {
    const cards = await this.cards(
      rows.flatMap((r) => (r.subject_kind && r.subject_id ? [{ kind: r.subject_kind, id: r.subject_id }] : [])),
    );
    return rows.map((r) => ({
      id: r.id,
      cooperative: { id: r.cooperative_id, name: r.cooperative_name },
      buyer: { masked: r.buyer_masked },
      subject: r.subject_kind && r.subject_id ? (cards.get(`${r.subject_kind}:${r.subject_id}`) ?? null) : null,
      lastMessage:
        r.last_side && r.last_kind && r.last_message_at
          ? { from: r.last_side, kind: r.last_kind, text: r.last_text ?? '', at: r.last_message_at.toISOString() }
          : null,
      unread: side === 'buyer' ? r.buyer_unread : r.staff_unread,
      peerReadAt: (side === 'buyer' ? r.staff_read_at : r.buyer_read_at)?.toISOString() ?? null,
      side,
      updatedAt: (r.last_message_at ?? r.created_at).toISOString(),
    }));
  }

  private async messages(rows: MessageRow[]): Promise<ChatMessageDto[]> {
    const cards = await this.cards(
      rows.flatMap((r) =>
        (r.kind === 'product' || r.kind === 'order') && r.ref_id ? [{ kind: r.kind, id: r.ref_id }] : [],
      ),
    );
    return rows.map((r) => ({
      id: String(r.id),
      conversationId: r.conversation_id,
      from: r.sender_side,
      kind: r.kind,
      text: r.text,
      photo: r.photo
        ? {
            url: this.storage.url(r.photo.key),
            thumbUrl: this.storage.url(r.photo.thumbKey),
            width: r.photo.width,
            height: r.photo.height,
          }
        : null,
      card:
        r.ref_id && (r.kind === 'product' || r.kind === 'order') ? (cards.get(`${r.kind}:${r.ref_id}`) ?? null) : null,
      clientId: r.client_id,
      at: new Date(r.created_at).toISOString(),
    }));
  }
}
