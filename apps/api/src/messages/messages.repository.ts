import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ProductUnit, OrderStatusValue, MessageSide } from '@xiangbo/contracts';
import { DataSource, EntityManager } from 'typeorm';
import type { StoredMessagePhoto } from './entities/conversation.entity';

export interface ConversationRow {
  id: string;
  cooperative_id: string;
  cooperative_name: string;
  buyer_id: string;
  buyer_masked: string;
  subject_kind: 'product' | 'order' | null;
  subject_id: string | null;
  buyer_unread: number;
  staff_unread: number;
  buyer_read_at: Date | null;
  staff_read_at: Date | null;
  last_message_at: Date | null;
  created_at: Date;
  last_side: MessageSide | null;
  last_kind: 'text' | 'photo' | 'product' | 'order' | null;
  last_text: string | null;
}

export interface MessageRow {
  id: string;
  conversation_id: string;
  sender_side: MessageSide;
  sender_id: string;
  kind: 'text' | 'photo' | 'product' | 'order';
  text: string;
  photo: StoredMessagePhoto | null;
  ref_id: string | null;
  client_id: string | null;
  created_at: Date;
}

export interface ProductCardRow {
  id: string;
  name_zh: string;
  price_fen: string;
  unit: ProductUnit;
  cooperative_id: string;
  published: boolean;
  thumb_key: string | null;
}

export interface OrderCardRow {
  id: string;
  number: string;
  status: OrderStatusValue;
  total_fen: string;
  buyer_id: string;
  cooperative_id: string;
  item_count: number;
}

const SUMMARY_SELECT = `
  SELECT c.id, c.cooperative_id, co.name AS cooperative_name, c.buyer_id, c.buyer_masked, c.subject_kind, c.subject_id,
         c.buyer_unread, c.staff_unread, c.buyer_read_at, c.staff_read_at, c.last_message_at, c.created_at,
         lm.sender_side AS last_side, lm.kind AS last_kind, lm.text AS last_text
    FROM conversations c
    JOIN cooperatives co ON co.id = c.cooperative_id
    LEFT JOIN LATERAL (
      SELECT m.sender_side, m.kind, m.text FROM conversation_messages m
       WHERE m.conversation_id = c.id AND m.kind IN ('text', 'photo')
       ORDER BY m.id DESC LIMIT 1
    ) lm ON true`;

/**
 * Every statement of the messages feature. It writes only its own tables (conversations, conversation_messages);
 * it reads products, orders, cooperatives and the buyer's display name to open a conversation and draw its cards.
 */
@Injectable()
export class MessagesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  get manager(): EntityManager {
    return this.db.manager;
  }

  /** The buyer's one conversation with the cooperative, made on first use (two opens at once make one). */
  async upsertConversation(m: EntityManager, cooperativeId: string, buyerId: string, buyerMasked: string) {
    const [row]: { id: string; subject_kind: string | null; subject_id: string | null }[] = await m.query(
      `INSERT INTO conversations (cooperative_id, buyer_id, buyer_masked) VALUES ($1, $2, $3)
       ON CONFLICT ON CONSTRAINT conversations_one_per_buyer DO UPDATE SET buyer_id = EXCLUDED.buyer_id
       RETURNING id, subject_kind, subject_id`,
      [cooperativeId, buyerId, buyerMasked],
    );
    return row;
  }

  async setSubject(m: EntityManager, id: string, kind: 'product' | 'order', subjectId: string): Promise<void> {
    await m.query(`UPDATE conversations SET subject_kind = $2, subject_id = $3 WHERE id = $1`, [id, kind, subjectId]);
  }

  async conversation(m: EntityManager, id: string, lock = false): Promise<ConversationRow | null> {
    const rows: ConversationRow[] = await m.query(
      lock
        ? `SELECT c.*, co.name AS cooperative_name, NULL AS last_side, NULL AS last_kind, NULL AS last_text
             FROM conversations c JOIN cooperatives co ON co.id = c.cooperative_id WHERE c.id = $1 FOR UPDATE OF c`
        : `${SUMMARY_SELECT} WHERE c.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** A buyer's conversations with at least one message, latest first. */
  forBuyer(buyerId: string, limit: number): Promise<ConversationRow[]> {
    return this.db.query(
      `${SUMMARY_SELECT} WHERE c.buyer_id = $1 AND c.last_message_at IS NOT NULL
        ORDER BY c.last_message_at DESC, c.id LIMIT $2`,
      [buyerId, limit],
    );
  }

  /** A cooperative's inbox: conversations in which the buyer (or staff) wrote, unread first, then latest first. */
  forCooperative(cooperativeId: string, limit: number): Promise<ConversationRow[]> {
    return this.db.query(
      `${SUMMARY_SELECT} WHERE c.cooperative_id = $1 AND c.last_message_at IS NOT NULL
        ORDER BY (c.staff_unread > 0) DESC, c.last_message_at DESC, c.id LIMIT $2`,
      [cooperativeId, limit],
    );
  }

  async unreadForBuyer(buyerId: string): Promise<number> {
    const [r]: { n: number }[] = await this.db.query(
      `SELECT COALESCE(sum(buyer_unread), 0)::int AS n FROM conversations WHERE buyer_id = $1`,
      [buyerId],
    );
    return r.n;
  }

  async unreadForCooperative(cooperativeId: string): Promise<number> {
    const [r]: { n: number }[] = await this.db.query(
      `SELECT COALESCE(sum(staff_unread), 0)::int AS n FROM conversations WHERE cooperative_id = $1`,
      [cooperativeId],
    );
    return r.n;
  }

  /**
   * Inserts a message once per (conversation, clientId): a resend returns the stored one with `created: false`.
   * A text or photo message bumps the other side's unread count and the conversation's time; a card does not.
   */
  async insertMessage(
    m: EntityManager,
    msg: Omit<MessageRow, 'id' | 'created_at' | 'photo' | 'ref_id' | 'client_id'> & {
      photo?: StoredMessagePhoto | null;
      ref_id?: string | null;
      client_id?: string | null;
    },
  ): Promise<{ message: MessageRow; created: boolean }> {
    const inserted: MessageRow[] = await m.query(
      `INSERT INTO conversation_messages (conversation_id, sender_side, sender_id, kind, text, photo, ref_id, client_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT ON CONSTRAINT conversation_messages_client_once DO NOTHING
       RETURNING *`,
      [
        msg.conversation_id,
        msg.sender_side,
        msg.sender_id,
        msg.kind,
        msg.text,
        msg.photo ? JSON.stringify(msg.photo) : null,
        msg.ref_id ?? null,
        msg.client_id ?? null,
      ],
    );
    if (!inserted.length) {
      const [existing]: MessageRow[] = await m.query(
        `SELECT * FROM conversation_messages WHERE conversation_id = $1 AND client_id = $2`,
        [msg.conversation_id, msg.client_id],
      );
      return { message: existing, created: false };
    }
    const message = inserted[0];
    if (message.kind === 'text' || message.kind === 'photo') {
      const other = message.sender_side === 'buyer' ? 'staff_unread' : 'buyer_unread';
      await m.query(`UPDATE conversations SET ${other} = ${other} + 1, last_message_at = $2 WHERE id = $1`, [
        message.conversation_id,
        message.created_at,
      ]);
    }
    return { message, created: true };
  }

  /** One side read everything: its unread count goes to 0 and its read time is now. */
  async markRead(m: EntityManager, id: string, side: MessageSide): Promise<{ at: Date; changed: boolean }> {
    const col = side === 'buyer' ? 'buyer' : 'staff';
    const [before]: { n: number }[] = await m.query(
      `SELECT ${col}_unread AS n FROM conversations WHERE id = $1 FOR UPDATE`,
      [id],
    );
    const [at]: { at: Date }[] = await m.query(`SELECT now() AS at`);
    await m.query(`UPDATE conversations SET ${col}_unread = 0, ${col}_read_at = $2 WHERE id = $1`, [id, at.at]);
    return { at: at.at, changed: (before?.n ?? 0) > 0 };
  }

  /** A page of messages, newest `limit` older than `before`, returned oldest first. */
  async page(conversationId: string, before: string | undefined, limit: number): Promise<MessageRow[]> {
    const rows: MessageRow[] = await this.db.query(
      `SELECT * FROM conversation_messages
        WHERE conversation_id = $1 AND ($2::bigint IS NULL OR id < $2::bigint)
        ORDER BY id DESC LIMIT $3`,
      [conversationId, before ?? null, limit],
    );
    return rows.reverse();
  }

  async hasOlder(conversationId: string, id: string): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM conversation_messages WHERE conversation_id = $1 AND id < $2::bigint LIMIT 1`,
      [conversationId, id],
    );
    return rows.length > 0;
  }

  products(m: EntityManager, ids: string[]): Promise<ProductCardRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return m.query(
      `SELECT p.id, p.name_zh, p.price_fen, p.unit, p.cooperative_id, p.published,
              (SELECT ph.thumb_key FROM product_photos ph WHERE ph.product_id = p.id ORDER BY ph.position LIMIT 1) AS thumb_key
         FROM products p WHERE p.id = ANY($1::uuid[])`,
      [ids],
    );
  }

  orders(m: EntityManager, ids: string[]): Promise<OrderCardRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return m.query(
      `SELECT o.id, o.number, o.status, o.total_fen, o.buyer_id, o.cooperative_id,
              (SELECT COALESCE(sum(l.quantity), 0)::int FROM order_lines l WHERE l.order_id = o.id) AS item_count
         FROM orders o WHERE o.id = ANY($1::uuid[])`,
      [ids],
    );
  }

  async approvedCooperative(m: EntityManager, id: string): Promise<boolean> {
    const rows = await m.query(`SELECT 1 FROM cooperatives WHERE id = $1 AND status = 'approved'`, [id]);
    return rows.length > 0;
  }

  async displayName(m: EntityManager, userId: string): Promise<string> {
    const [row]: { display_name: string }[] = await m.query(`SELECT display_name FROM users WHERE id = $1`, [userId]);
    return row?.display_name ?? '';
  }
}
