import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { PaymentEvent } from './entities/payment-event.entity';

/** The once-only record of provider events (see PaymentEvent). */
@Injectable()
export class PaymentEventsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Records the event in `manager`'s transaction; false when it was already recorded. A concurrent delivery of
   * the same id waits on the primary key until the first transaction ends, then finds it (or records it, if the
   * first one rolled back).
   */
  async recordOnce(manager: EntityManager, id: string, type: string): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(PaymentEvent)
      .values({ id, type: type.slice(0, 100) })
      .orIgnore()
      .returning(['id'])
      .execute();
    return Array.isArray(result.raw) && result.raw.length === 1;
  }

  /** A cheap early answer for redeliveries (the authoritative check is recordOnce in the effect's transaction). */
  async seen(id: string): Promise<boolean> {
    return this.db.getRepository(PaymentEvent).exists({ where: { id } });
  }
}
