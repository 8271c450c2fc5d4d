import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { LIVE_LIMITS, type ProductUnit, type RoleGrant } from '@xiangbo/contracts';
import { DEAL_SELECT, type DealRow } from './deals.repository';
import { rowsOf } from './live-hub';
import type { ShowRow } from './shows.repository';

/** What a chat message is decided on: the show's status and slow mode, the clock, the sender's recent messages. */
export interface ChatContext {
  status: string;
  slow_mode_seconds: number;
  /** The database's clock, ms since the epoch. */
  now: number;
  /** The sender's messages in this show within the window asked for, ms since the epoch. */
  recent: number[];
}

export interface ChatMessageRow {
  id: string;
  user_id: string;
  display_name: string;
  text: string;
  from_host: boolean;
  created_at: Date;
}

/** The pinned product with its stock and first photo. */
export interface PinRow {
  pin_id: string;
  pinned_at: Date;
  product_id: string;
  name_zh: string;
  unit: ProductUnit;
  price_fen: string;
  stock: number;
  thumb_key: string | null;
}

/** The show with its pin, open deal, recent chat (oldest first) and stream: what a joining viewer needs. */
export type SnapshotRow = ShowRow & { pin: PinRow | null; deal: DealRow | null; chat: ChatMessageRow[] };

/**
 * The live room's SQL (tables `chat_messages`, `show_moderation`, `pins`, owned by the live feature; the viewer's
 * roles and name are read with it). Every method runs on the given manager.
 */
@Injectable()
export class RoomRepository {
  // ---- the room's state ------------------------------------------------------------------------------------

  /** Everything a joining viewer needs in ONE round trip; null when there is no such show. */
  async snapshot(m: EntityManager, showId: string): Promise<SnapshotRow | null> {
    const [row] = await m.query(
      `SELECT s.id, s.title, s.status, s.cooperative_id, c.name AS cooperative_name, s.host_id, s.slow_mode_seconds, s.likes, s.peak_viewers,
              (SELECT row_to_json(x) FROM (
                 SELECT pn.id AS pin_id, pn.pinned_at, p.id AS product_id, p.name_zh, p.unit, p.price_fen, p.stock,
                        (SELECT ph.thumb_key FROM product_photos ph WHERE ph.product_id = p.id ORDER BY ph.position LIMIT 1) AS thumb_key
                   FROM pins pn JOIN products p ON p.id = pn.product_id WHERE pn.show_id = s.id AND pn.unpinned_at IS NULL) x) AS pin,
              (SELECT row_to_json(x) FROM (
                 ${DEAL_SELECT} WHERE d.show_id = s.id AND d.status = 'open' AND d.ends_at > now() ORDER BY d.created_at DESC LIMIT 1) x) AS deal,
              (SELECT COALESCE(json_agg(x ORDER BY x.created_at, x.id), '[]'::json) FROM (
                 SELECT id, user_id, display_name, text, from_host, created_at FROM chat_messages
                  WHERE show_id = s.id AND NOT deleted ORDER BY created_at DESC, id DESC LIMIT ${LIVE_LIMITS.recentChat}) x) AS chat,
              (SELECT row_to_json(x) FROM (SELECT playback_id, receiving FROM show_streams WHERE show_id = s.id) x) AS stream
         FROM shows s JOIN cooperatives c ON c.id = s.cooperative_id WHERE s.id = $1`,
      [showId],
    );
    return row ?? null;
  }

  /** The product pinned now, if any. */
  async currentPin(m: EntityManager, showId: string): Promise<PinRow | null> {
    const [row]: PinRow[] = await m.query(
      `SELECT pn.id AS pin_id, pn.pinned_at, p.id AS product_id, p.name_zh, p.unit, p.price_fen, p.stock,
              (SELECT ph.thumb_key FROM product_photos ph WHERE ph.product_id = p.id ORDER BY ph.position LIMIT 1) AS thumb_key
         FROM pins pn JOIN products p ON p.id = pn.product_id WHERE pn.show_id = $1 AND pn.unpinned_at IS NULL`,
      [showId],
    );
    return row ?? null;
  }

  /** The show's latest messages not deleted, newest first. */
  recentChat(m: EntityManager, showId: string, limit: number): Promise<ChatMessageRow[]> {
    return m.query(
      `SELECT id, user_id, display_name, text, from_host, created_at FROM chat_messages
        WHERE show_id = $1 AND NOT deleted ORDER BY created_at DESC, id DESC LIMIT $2`,
      [showId, limit],
    );
  }

  // ---- viewers ---------------------------------------------------------------------------------------------

  /** A signed-in viewer's ban, mute and roles in one query. */
  async viewerContext(
    m: EntityManager,
    showId: string,
    userId: string,
  ): Promise<{ banned: boolean; muted_until: Date | null; roles: RoleGrant[] }> {
    const [row] = await m.query(
      `SELECT EXISTS (SELECT 1 FROM show_moderation WHERE show_id = $1 AND user_id = $2 AND kind = 'ban') AS banned,
              (SELECT max(until) FROM show_moderation WHERE show_id = $1 AND user_id = $2 AND kind = 'mute' AND until > now()) AS muted_until,
              COALESCE((SELECT json_agg(json_build_object('role', role, 'cooperativeId', cooperative_id)) FROM role_assignments WHERE user_id = $2), '[]'::json) AS roles`,
      [showId, userId],
    );
    return row;
  }

  /** The user's display name, if the account is live (holds any role). */
  async liveUser(m: EntityManager, userId: string): Promise<{ display_name: string } | null> {
    const [row] = await m.query(
      `SELECT u.display_name FROM users u WHERE u.id = $1 AND EXISTS (SELECT 1 FROM role_assignments r WHERE r.user_id = u.id)`,
      [userId],
    );
    return row ?? null;
  }

  /** The ban and the mute still running (a mute past its time is no mute). */
  moderation(
    m: EntityManager,
    showId: string,
    userId: string,
  ): Promise<{ kind: 'mute' | 'ban'; until: Date | null }[]> {
    return m.query(
      `SELECT kind, until FROM show_moderation WHERE show_id = $1 AND user_id = $2 AND (kind = 'ban' OR until > now())`,
      [showId, userId],
    );
  }

  // ---- chat ------------------------------------------------------------------------------------------------

  /** One user's messages in one show are decided one at a time, across processes (until the transaction ends). */
  async lockSender(m: EntityManager, showId: string, userId: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`chat:${showId}:${userId}`]);
  }

  /** The show's status and slow mode, the database clock and the sender's messages of the last `windowSeconds`. */
  async chatContext(
    m: EntityManager,
    showId: string,
    userId: string,
    windowSeconds: number,
  ): Promise<ChatContext | null> {
    const [ctx] = await m.query(
      `SELECT s.status, s.slow_mode_seconds, (extract(epoch from clock_timestamp()) * 1000)::float8 AS now,
              ARRAY(SELECT (extract(epoch from c.created_at) * 1000)::float8 FROM chat_messages c
                     WHERE c.show_id = s.id AND c.user_id = $2 AND c.created_at > clock_timestamp() - make_interval(secs => $3)) AS recent
         FROM shows s WHERE s.id = $1`,
      [showId, userId, windowSeconds],
    );
    return ctx ?? null;
  }

  async insertChat(
    m: EntityManager,
    msg: { showId: string; userId: string; displayName: string; text: string; fromHost: boolean },
  ): Promise<ChatMessageRow> {
    const [row] = await m
      .query(
        `INSERT INTO chat_messages (show_id, user_id, display_name, text, from_host, created_at)
           VALUES ($1, $2, $3, $4, $5, clock_timestamp()) RETURNING id, user_id, display_name, text, from_host, created_at`,
        [msg.showId, msg.userId, msg.displayName, msg.text, msg.fromHost],
      )
      .then(rowsOf);
    return row as unknown as ChatMessageRow;
  }

  /** Marks one message of the show deleted; false when the show has no such message. */
  async deleteChat(m: EntityManager, showId: string, messageId: string, by: string): Promise<boolean> {
    const rows = await m
      .query(`UPDATE chat_messages SET deleted = true, deleted_by = $3 WHERE id = $1 AND show_id = $2 RETURNING id`, [
        messageId,
        showId,
        by,
      ])
      .then(rowsOf);
    return rows.length > 0;
  }

  /** Marks every message of the user in the show deleted; returns their ids. */
  async hideChatOf(m: EntityManager, showId: string, userId: string, by: string): Promise<string[]> {
    const rows = await m
      .query(
        `UPDATE chat_messages SET deleted = true, deleted_by = $3 WHERE show_id = $1 AND user_id = $2 AND NOT deleted RETURNING id`,
        [showId, userId, by],
      )
      .then(rowsOf);
    return rows.map((r) => String(r.id));
  }

  // ---- pins ------------------------------------------------------------------------------------------------

  async isShowProduct(m: EntityManager, showId: string, productId: string): Promise<boolean> {
    const [inShow] = await m.query(`SELECT 1 FROM show_products WHERE show_id = $1 AND product_id = $2`, [
      showId,
      productId,
    ]);
    return Boolean(inShow);
  }

  async insertPin(m: EntityManager, showId: string, productId: string, by: string): Promise<void> {
    await m.query(
      `INSERT INTO pins (show_id, product_id, pinned_by, pinned_at) VALUES ($1, $2, $3, clock_timestamp())`,
      [showId, productId, by],
    );
  }

  // ---- moderation ------------------------------------------------------------------------------------------

  /** Mutes for `minutes` from now (a running mute is replaced); returns until when. */
  async mute(m: EntityManager, showId: string, userId: string, minutes: number, by: string): Promise<Date> {
    const [row] = await m.query(
      `INSERT INTO show_moderation (show_id, user_id, kind, until, created_by) VALUES ($1, $2, 'mute', now() + make_interval(mins => $3), $4)
         ON CONFLICT (show_id, user_id, kind) DO UPDATE SET until = EXCLUDED.until, created_by = EXCLUDED.created_by RETURNING until`,
      [showId, userId, minutes, by],
    );
    return row.until;
  }

  /** Bans from the show (until lifted); a second ban changes nothing. */
  async ban(m: EntityManager, showId: string, userId: string, by: string): Promise<void> {
    await m.query(
      `INSERT INTO show_moderation (show_id, user_id, kind, until, created_by) VALUES ($1, $2, 'ban', NULL, $3)
         ON CONFLICT (show_id, user_id, kind) DO NOTHING`,
      [showId, userId, by],
    );
  }

  /** Lifts a mute or a ban. */
  async lift(m: EntityManager, showId: string, userId: string, kind: 'mute' | 'ban'): Promise<void> {
    if (kind === 'mute') {
      await m.query(`DELETE FROM show_moderation WHERE show_id = $1 AND user_id = $2 AND kind = 'mute'`, [
        showId,
        userId,
      ]);
    } else {
      await m.query(`DELETE FROM show_moderation WHERE show_id = $1 AND user_id = $2 AND kind = 'ban'`, [
        showId,
        userId,
      ]);
    }
  }
}
