import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { ShowStatus } from '@xiangbo/contracts';

/** The audience's SQL (tables `follows` and `show_subscriptions`, owned by the live feature). Both writes are idempotent. */
@Injectable()
export class AudienceRepository {
  /** Whether the cooperative exists and is approved (only those can be followed). */
  async isApprovedCooperative(m: EntityManager, cooperativeId: string): Promise<boolean> {
    const [coop] = await m.query(`SELECT 1 FROM cooperatives WHERE id = $1 AND status = 'approved'`, [cooperativeId]);
    return Boolean(coop);
  }

  async follow(m: EntityManager, userId: string, cooperativeId: string): Promise<void> {
    await m.query(`INSERT INTO follows (user_id, cooperative_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
      userId,
      cooperativeId,
    ]);
  }

  async unfollow(m: EntityManager, userId: string, cooperativeId: string): Promise<void> {
    await m.query(`DELETE FROM follows WHERE user_id = $1 AND cooperative_id = $2`, [userId, cooperativeId]);
  }

  /** The cooperatives the user follows, the latest followed first. */
  async following(m: EntityManager, userId: string): Promise<string[]> {
    const rows: { cooperative_id: string }[] = await m.query(
      `SELECT cooperative_id FROM follows WHERE user_id = $1 ORDER BY created_at DESC`,
      [userId],
    );
    return rows.map((r) => r.cooperative_id);
  }

  /** The show's status, if it exists and its cooperative is approved. */
  async showStatus(m: EntityManager, showId: string): Promise<ShowStatus | null> {
    const [show] = await m.query(
      `SELECT s.status FROM shows s JOIN cooperatives c ON c.id = s.cooperative_id WHERE s.id = $1 AND c.status = 'approved'`,
      [showId],
    );
    return show?.status ?? null;
  }

  async subscribe(m: EntityManager, userId: string, showId: string): Promise<void> {
    await m.query(`INSERT INTO show_subscriptions (show_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
      showId,
      userId,
    ]);
  }

  async unsubscribe(m: EntityManager, userId: string, showId: string): Promise<void> {
    await m.query(`DELETE FROM show_subscriptions WHERE show_id = $1 AND user_id = $2`, [showId, userId]);
  }
}
