import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isUuid } from '../common/cooperative-scope';
import { LiveException, LiveRestCode } from './live.exception';

/** Buyers follow cooperatives (关注) and subscribe to shows (订阅); both are idempotent. */
@Injectable()
export class AudienceService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async follow(userId: string, cooperativeId: string): Promise<void> {
    const [coop] = isUuid(cooperativeId)
      ? await this.db.query(`SELECT 1 FROM cooperatives WHERE id = $1 AND status = 'approved'`, [cooperativeId])
      : [];
    if (!coop) throw new LiveException(LiveRestCode.COOPERATIVE_NOT_FOUND, 'cooperative not found');
    await this.db.query(`INSERT INTO follows (user_id, cooperative_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
      userId,
      cooperativeId,
    ]);
  }

  async unfollow(userId: string, cooperativeId: string): Promise<void> {
    if (isUuid(cooperativeId))
      await this.db.query(`DELETE FROM follows WHERE user_id = $1 AND cooperative_id = $2`, [userId, cooperativeId]);
  }

  async following(userId: string): Promise<{ cooperativeIds: string[] }> {
    const rows: { cooperative_id: string }[] = await this.db.query(
      `SELECT cooperative_id FROM follows WHERE user_id = $1 ORDER BY created_at DESC`,
      [userId],
    );
    return { cooperativeIds: rows.map((r) => r.cooperative_id) };
  }

  async subscribe(userId: string, showId: string): Promise<void> {
    const [show] = isUuid(showId)
      ? await this.db.query(
          `SELECT s.status FROM shows s JOIN cooperatives c ON c.id = s.cooperative_id WHERE s.id = $1 AND c.status = 'approved'`,
          [showId],
        )
      : [];
    if (!show || show.status === 'cancelled') throw new LiveException(LiveRestCode.SHOW_NOT_FOUND, 'show not found');
    if (show.status === 'ended')
      throw new LiveException(LiveRestCode.INVALID_SHOW_TRANSITION, 'this show has already ended');
    await this.db.query(`INSERT INTO show_subscriptions (show_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
      showId,
      userId,
    ]);
  }

  async unsubscribe(userId: string, showId: string): Promise<void> {
    if (isUuid(showId))
      await this.db.query(`DELETE FROM show_subscriptions WHERE show_id = $1 AND user_id = $2`, [showId, userId]);
  }
}
