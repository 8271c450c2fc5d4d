import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isUuid } from '../common/cooperative-scope';
import { AudienceRepository } from './audience.repository';
import { LiveException, LiveRestCode } from './live.exception';

/** Buyers follow cooperatives (关注) and subscribe to shows (订阅); both are idempotent. */
@Injectable()
export class AudienceService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repo: AudienceRepository,
  ) {}

  async follow(userId: string, cooperativeId: string): Promise<void> {
    const approved = isUuid(cooperativeId) && (await this.repo.isApprovedCooperative(this.db.manager, cooperativeId));
    if (!approved) throw new LiveException(LiveRestCode.COOPERATIVE_NOT_FOUND, 'cooperative not found');
    await this.repo.follow(this.db.manager, userId, cooperativeId);
  }

  async unfollow(userId: string, cooperativeId: string): Promise<void> {
    if (isUuid(cooperativeId)) await this.repo.unfollow(this.db.manager, userId, cooperativeId);
  }

  async following(userId: string): Promise<{ cooperativeIds: string[] }> {
    return { cooperativeIds: await this.repo.following(this.db.manager, userId) };
  }

  async subscribe(userId: string, showId: string): Promise<void> {
    const status = isUuid(showId) ? await this.repo.showStatus(this.db.manager, showId) : null;
    if (!status || status === 'cancelled') throw new LiveException(LiveRestCode.SHOW_NOT_FOUND, 'show not found');
    if (status === 'ended')
      throw new LiveException(LiveRestCode.INVALID_SHOW_TRANSITION, 'this show has already ended');
    await this.repo.subscribe(this.db.manager, userId, showId);
  }

  async unsubscribe(userId: string, showId: string): Promise<void> {
    if (isUuid(showId)) await this.repo.unsubscribe(this.db.manager, userId, showId);
  }
}
