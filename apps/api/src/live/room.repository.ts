import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { RoleGrant } from '@xiangbo/contracts';
import { rowsOf } from './live-hub';

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

/**
 * The live room's SQL (tables `chat_messages`, `show_moderation`, `pins`, owned by the live feature; the viewer's
 * roles and name are read with it). Every method runs on the given manager.
 */
@Injectable()
export class RoomRepository {
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
